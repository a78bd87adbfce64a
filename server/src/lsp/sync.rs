//! Document synchronisation. Every handler here changes state before its first `.await`
//! (there is none), so edits apply in the order the client sent them even though the
//! transport runs handlers concurrently.

use std::sync::Arc;

use tower_lsp_server::Client;
use tower_lsp_server::ls_types as lsp;

use super::convert::{Positions, path_of};
use super::diagnostics;
use super::state::{OpenDocument, State};

pub fn did_open(client: &Client, state: &Arc<State>, params: lsp::DidOpenTextDocumentParams) {
    let document = params.text_document;
    let Some(path) = path_of(&document.uri) else {
        return;
    };
    state.documents.insert(path.clone(), OpenDocument::new(Arc::from(document.text), document.version));
    diagnostics::schedule(client, state, &path);
}

pub fn did_change(client: &Client, state: &Arc<State>, params: lsp::DidChangeTextDocumentParams) {
    let Some(path) = path_of(&params.text_document.uri) else {
        return;
    };
    let version = params.text_document.version;
    {
        let Some(mut document) = state.documents.get_mut(&path) else {
            tracing::warn!(path = %path.display(), "change to a document that is not open; ignored");
            return;
        };
        if version <= document.version {
            tracing::warn!(path = %path.display(), version, current = document.version, "stale change dropped");
            return;
        }
        let mut text = document.text.to_string();
        for change in params.content_changes {
            match change.range {
                None => text = change.text,
                Some(range) => {
                    // Only the lines up to the change are indexed: a keystroke near the top of
                    // a large document does not scan all of it.
                    let last_line = range.start.line.max(range.end.line) as usize;
                    let index = crate::line_index::LineIndex::up_to_line(&text, last_line);
                    let positions = Positions { text: &text, index: Arc::new(index), unit: state.column_unit() };
                    let start = positions.offset(range.start);
                    let end = positions.offset(range.end).max(start);
                    text.replace_range(start..end, &change.text);
                }
            }
        }
        *document = OpenDocument::new(Arc::from(text), version);
    }
    tracing::debug!(version, "change applied");
    diagnostics::schedule(client, state, &path);
}

pub fn did_close(client: &Client, state: &Arc<State>, params: lsp::DidCloseTextDocumentParams) {
    let Some(path) = path_of(&params.text_document.uri) else {
        return;
    };
    state.documents.remove(&path);
    state.parse_cache.forget(&path);
    state.rust_facts.remove(&path);
    state.disk_changed();
    // Re-check from disk; a file that belongs to no document is cleared.
    diagnostics::schedule(client, state, &path);
}

pub fn did_save(client: &Client, state: &Arc<State>, params: lsp::DidSaveTextDocumentParams) {
    let Some(path) = path_of(&params.text_document.uri) else {
        return;
    };
    // Open buffers are already checked as typed; a save matters for files read from disk, and
    // for archlens.toml, which applies as saved.
    if !state.documents.contains_key(&path) || path.file_name().is_some_and(|name| name == crate::config::CONFIG_FILE) {
        state.disk_changed();
        diagnostics::schedule(client, state, &path);
    }
}

pub fn did_change_configuration(client: &Client, state: &Arc<State>, params: lsp::DidChangeConfigurationParams) {
    state.set_settings(params.settings);
    let roots: Vec<_> = state.reports.iter().map(|entry| entry.key().clone()).collect();
    for root in roots {
        tokio::spawn(diagnostics::check_root(client.clone(), state.clone(), root));
    }
}
