//! Code actions: the fixes a diagnostic carries in its `data`, never a new analysis.

use std::collections::HashMap;

use tower_lsp_server::ls_types as lsp;

use super::convert::{DiagnosticData, path_of};
use super::diagnostics;
use super::state::State;

pub fn code_actions(state: &State, params: lsp::CodeActionParams) -> Option<lsp::CodeActionResponse> {
    let uri = params.text_document.uri;
    let path = path_of(&uri)?;
    let current_version = state.documents.get(&path).map(|document| document.version);
    let mut from_client: Vec<lsp::Diagnostic> =
        params.context.diagnostics.into_iter().filter(|diagnostic| diagnostic.source.as_deref() == Some("archlens")).collect();
    // Clients that do not send diagnostics back get ours for the requested range.
    if from_client.is_empty()
        && let Some((ours, _)) = diagnostics::collect(state, &path)
    {
        from_client = ours.into_iter().filter(|diagnostic| overlaps(&diagnostic.range, &params.range)).collect();
    }
    let mut actions = Vec::new();
    for diagnostic in from_client {
        let Some(data) = diagnostic.data.clone().and_then(|data| serde_json::from_value::<DiagnosticData>(data).ok()) else {
            continue;
        };
        if data.version.is_some() && current_version.is_some() && data.version != current_version {
            // The fix was computed for an older text; applying it could corrupt the document.
            continue;
        }
        for fix in data.fixes {
            let edit = lsp::WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), fix.edits)])), ..Default::default() };
            actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: fix.title,
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(edit),
                is_preferred: fix.preferred.then_some(true),
                ..Default::default()
            }));
        }
    }
    Some(actions)
}

fn overlaps(left: &lsp::Range, right: &lsp::Range) -> bool {
    let before = |a: lsp::Position, b: lsp::Position| (a.line, a.character) < (b.line, b.character);
    !before(left.end, right.start) && !before(right.end, left.start)
}
