//! Code actions: the fixes a diagnostic carries in its `data`, never a new analysis.

use std::collections::HashMap;

use tower_lsp_server::ls_types as lsp;

use super::convert::{DiagnosticData, path_of};
use super::diagnostics;
use super::state::State;

/// The source action that applies every preferred fix of a file at once.
pub const FIX_ALL: &str = "source.fixAll.archlens";

/// True when the client's `only` filter admits actions of `kind`.
fn wanted(only: &Option<Vec<lsp::CodeActionKind>>, kind: &str) -> bool {
    only.as_ref()
        .is_none_or(|kinds| kinds.iter().any(|wanted| kind == wanted.as_str() || kind.starts_with(&format!("{}.", wanted.as_str()))))
}

pub fn code_actions(state: &State, params: lsp::CodeActionParams) -> Option<lsp::CodeActionResponse> {
    let uri = params.text_document.uri;
    let path = path_of(&uri)?;
    let only = params.context.only.clone();
    let mut actions = Vec::new();
    if wanted(&only, FIX_ALL)
        && let Some(action) = fix_all(state, &path, &uri)
    {
        actions.push(action);
    }
    if !wanted(&only, lsp::CodeActionKind::QUICKFIX.as_str()) {
        return Some(actions);
    }
    let current_version = state.documents.get(&path).map(|document| document.version);
    let mut from_client: Vec<lsp::Diagnostic> =
        params.context.diagnostics.into_iter().filter(|diagnostic| diagnostic.source.as_deref() == Some("archlens")).collect();
    // Clients that do not send diagnostics back get ours for the requested range.
    if from_client.is_empty()
        && let Some((ours, _)) = diagnostics::collect(state, &path)
    {
        from_client = ours.into_iter().filter(|diagnostic| overlaps(&diagnostic.range, &params.range)).collect();
    }
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

/// Every preferred fix of the file's current diagnostics, as one edit. Fixes whose edits
/// overlap one already taken wait for the next run.
fn fix_all(state: &State, path: &std::path::Path, uri: &lsp::Uri) -> Option<lsp::CodeActionOrCommand> {
    let (diagnostics, _) = diagnostics::collect(state, path)?;
    let mut edits: Vec<lsp::TextEdit> = Vec::new();
    for diagnostic in &diagnostics {
        let Some(data) = diagnostic.data.clone().and_then(|data| serde_json::from_value::<DiagnosticData>(data).ok()) else { continue };
        let Some(fix) = data.fixes.into_iter().find(|fix| fix.preferred) else { continue };
        let clashes = fix.edits.iter().any(|edit| edits.iter().any(|taken| overlaps_strictly(&taken.range, &edit.range)));
        if !clashes {
            edits.extend(fix.edits);
        }
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|edit| (edit.range.start.line, edit.range.start.character));
    Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: "Fix all archlens problems in this file".into(),
        kind: Some(lsp::CodeActionKind::new(FIX_ALL)),
        edit: Some(lsp::WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..Default::default() }),
        ..Default::default()
    }))
}

/// Ranges that share more than a boundary; two insertions at one place do not clash.
fn overlaps_strictly(left: &lsp::Range, right: &lsp::Range) -> bool {
    let key = |position: lsp::Position| (position.line, position.character);
    key(left.start) < key(right.end) && key(right.start) < key(left.end)
}

fn overlaps(left: &lsp::Range, right: &lsp::Range) -> bool {
    let before = |a: lsp::Position, b: lsp::Position| (a.line, a.character) < (b.line, b.character);
    !before(left.end, right.start) && !before(right.end, left.start)
}
