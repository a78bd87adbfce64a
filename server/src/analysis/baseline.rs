//! Baselines: today's findings recorded by a fingerprint that survives editing (rule, file
//! relative to the baseline, JSON pointer; never a line number), so that only new findings
//! show. A fingerprint seen n times in the baseline hides n findings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Diagnostic, FileReport};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// Paths in fingerprints are relative to this folder: the baseline file's.
    #[serde(skip)]
    pub root: PathBuf,
    version: u32,
    findings: Vec<BaselineEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct BaselineEntry {
    rule: String,
    file: String,
    pointer: String,
    count: usize,
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

fn key(root: &Path, path: &Path, diagnostic: &Diagnostic) -> (String, String, String) {
    (diagnostic.rule.code.to_owned(), relative(root, path), diagnostic.pointer.as_str().to_owned())
}

impl Baseline {
    /// Records every finding of the given files, with paths relative to `root`.
    pub fn record<'a>(root: &Path, files: impl IntoIterator<Item = (&'a Path, &'a [Diagnostic])>) -> Baseline {
        let mut counts: BTreeMap<(String, String, String), usize> = BTreeMap::new();
        for (path, diagnostics) in files {
            for diagnostic in diagnostics {
                *counts.entry(key(root, path, diagnostic)).or_default() += 1;
            }
        }
        let findings = counts.into_iter().map(|((rule, file, pointer), count)| BaselineEntry { rule, file, pointer, count }).collect();
        Baseline { root: root.to_path_buf(), version: 1, findings }
    }

    /// Reads a baseline written by [`Baseline::to_json`]; paths in it are relative to `root`.
    pub fn from_json(text: &str, root: &Path) -> Result<Baseline, String> {
        let mut baseline: Baseline = serde_json::from_str(text).map_err(|error| format!("not a baseline: {error}"))?;
        baseline.root = root.to_path_buf();
        Ok(baseline)
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Removes the findings the baseline knows, file by file; returns how many were hidden.
    pub fn hide(&self, files: &mut [FileReport]) -> usize {
        let mut budget: BTreeMap<(String, String, String), usize> =
            self.findings.iter().map(|entry| ((entry.rule.clone(), entry.file.clone(), entry.pointer.clone()), entry.count)).collect();
        let mut hidden = 0;
        for file in files {
            file.diagnostics.retain(|diagnostic| match budget.get_mut(&key(&self.root, &file.path, diagnostic)) {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    hidden += 1;
                    false
                }
                _ => true,
            });
        }
        hidden
    }
}
