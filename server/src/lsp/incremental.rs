//! The editor's fast path: after a keystroke inside the prose of a document, the last report
//! is moved rather than computed again (see `analysis::incremental`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::incremental::{Before, shift_file};
use crate::config::Config;
use crate::openapi::syntax;

use super::state::{RootReport, State};

/// The report of `root` at `text`, moved from the last report when the only change since is
/// an edit of `root` inside one prose value that no rule reads. `None` when the full check
/// must run; the re-parsed tree is left in the parse cache for it either way.
pub fn after_prose_edit(
    state: &State,
    root: &Path,
    text: &Arc<str>,
    versions: &HashMap<PathBuf, i32>,
    config: &Config,
    disk_generation: u64,
) -> Option<RootReport> {
    let previous = state.reports.get(root)?.clone();
    // Nothing else may have changed: settings, files on disk, other open documents.
    if previous.config.as_ref() != Some(config) || previous.disk_generation != disk_generation {
        return None;
    }
    previous.versions.get(root)?;
    let others_unchanged = previous.versions.len() == versions.len()
        && versions.iter().all(|(path, version)| path == root || previous.versions.get(path) == Some(version));
    if !others_unchanged {
        return None;
    }
    let old_text = previous.files.get(root)?.text.clone();
    let (cached_text, parsed) = state.parse_cache.take(root)?;
    if !Arc::ptr_eq(&cached_text, &old_text) && cached_text != old_text {
        state.parse_cache.put(root, cached_text, parsed);
        return None;
    }
    let before = Before::read(&parsed, &old_text, text);
    let parsed = syntax::reparse(&old_text, parsed, text);
    let holds = before.as_ref().is_some_and(|before| before.holds(&parsed, crate::rules::registry(), config));
    state.parse_cache.put(root, text.clone(), parsed);
    let Some(before) = before else {
        tracing::debug!(root = %root.display(), "full check: the edit is not inside a prose value");
        return None;
    };
    if !holds {
        tracing::debug!(root = %root.display(), "full check: the edit changed more than prose, or a rule reads it");
        return None;
    }
    let change = before.change;
    let Some(files) = previous
        .files
        .iter()
        .map(|(path, file)| Some((path.clone(), shift_file(file, root, text, &change)?)))
        .collect::<Option<HashMap<_, _>>>()
    else {
        tracing::debug!(root = %root.display(), "full check: a finding or fix is inside the edited text");
        return None;
    };
    let line_indexes = dashmap::DashMap::new();
    if let Some(index) = previous.line_indexes.get(root)
        && let Some(moved) = index.after_edit(&old_text, text, change.start, change.old_end, change.new_end)
    {
        line_indexes.insert(root.to_path_buf(), Arc::new(moved));
    }
    for entry in previous.line_indexes.iter().filter(|entry| entry.key() != root) {
        line_indexes.insert(entry.key().clone(), entry.value().clone());
    }
    tracing::debug!(root = %root.display(), "findings moved after an edit of prose");
    Some(RootReport { files, versions: versions.clone(), line_indexes, config: Some(config.clone()), disk_generation })
}
