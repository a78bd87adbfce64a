//! Code actions: the fixes of the last check of the current text, never a new analysis.

use std::collections::HashMap;

use tower_lsp_server::ls_types as lsp;

use super::convert::{DataFix, path_of};
use super::diagnostics;
use super::state::State;
use crate::openapi::project::FileSource;

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
    // The fixes of the current diagnostics; none while a check of the current text runs. A
    // diagnostic the client sends gets the fixes of the current diagnostic equal to it (same
    // range, code and message), whichever version it was first published for: those fixes
    // were computed on the current text.
    let Some((ours, _)) = diagnostics::collect_with(state, &path, true) else { return Some(actions) };
    let from_client: Vec<lsp::Diagnostic> =
        params.context.diagnostics.into_iter().filter(|diagnostic| diagnostic.source.as_deref() == Some("archlens")).collect();
    let chosen: Vec<(lsp::Diagnostic, Vec<DataFix>)> = if from_client.is_empty() {
        // Clients that do not send diagnostics back get ours for the requested range.
        ours.into_iter().filter(|(diagnostic, _)| overlaps(&diagnostic.range, &params.range)).collect()
    } else {
        from_client
            .into_iter()
            .filter_map(|diagnostic| {
                let (_, fixes) = ours.iter().find(|(mine, _)| {
                    mine.range == diagnostic.range && mine.code == diagnostic.code && mine.message == diagnostic.message
                })?;
                Some((diagnostic, fixes.clone()))
            })
            .collect()
    };
    let explains = state.config_for(&path).llm.enabled;
    let mut explanations = Vec::new();
    for (diagnostic, fixes) in chosen {
        explanations.extend(super::record::action_for(&uri, &diagnostic));
        if explains {
            explanations.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: "Explain with AI".to_owned(),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                command: Some(super::explain::command_for(&uri, &diagnostic)),
                ..Default::default()
            }));
        }
        for fix in fixes {
            let target = match &fix.target {
                // A fix for another file, offered while that file has the text it was made for.
                Some((target, hash)) => match path_of(target).map(|path| current_text(state, &path)) {
                    Some(Some(text)) if super::convert::text_hash(&text) == *hash => target.clone(),
                    _ => continue,
                },
                None => uri.clone(),
            };
            let edit = lsp::WorkspaceEdit { changes: Some(HashMap::from([(target, fix.edits)])), ..Default::default() };
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
    // After the fixes: the first action offered stays a fix.
    actions.extend(explanations);
    Some(actions)
}

/// Every preferred fix of the file's current diagnostics, as one edit. Fixes whose edits
/// overlap one already taken wait for the next run.
fn fix_all(state: &State, path: &std::path::Path, uri: &lsp::Uri) -> Option<lsp::CodeActionOrCommand> {
    let (diagnostics, _) = diagnostics::collect_with(state, path, true)?;
    let mut edits: Vec<lsp::TextEdit> = Vec::new();
    for (_, fixes) in diagnostics {
        let Some(fix) = fixes.into_iter().find(|fix| fix.preferred && fix.target.is_none()) else { continue };
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

/// The text of a file: the editor's buffer when it is open, else the disk.
fn current_text(state: &State, path: &std::path::Path) -> Option<std::sync::Arc<str>> {
    match state.documents.get(path) {
        Some(document) => Some(document.text.clone()),
        None => crate::workspace::DiskSource.read(path).ok(),
    }
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
