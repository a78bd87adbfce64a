//! Runs the rules over one architecture decision record, and applies
//! `<!-- archlens: allow(CODE) -->` comments, configured severities and suppression fixes.

use std::path::Path;
use std::sync::Arc;

use crate::adr::AdrFile;
use crate::analysis::{Diagnostic, FileReport, Report, Sink};
use crate::config::Config;
use crate::line_index::{ColumnUnit, LineIndex};

/// Checks one decision record with every enabled ADR rule; `<!-- archlens: allow(CODE) -->`
/// anywhere in the record silences a rule for it.
pub fn check_file(path: &Path, text: Arc<str>, config: &Config) -> Report {
    let config = config.for_file(path);
    let file = AdrFile::new(path, &text);
    let index = LineIndex::new(&text);
    let allowed: Vec<String> = text
        .match_indices("<!--")
        .filter_map(|(at, _)| {
            let comment = &text[at + 4..];
            let comment = &comment[..comment.find("-->")?];
            crate::analysis::suppression::parse_allow(comment.trim())
        })
        .flatten()
        .collect();
    let mut diagnostics = Vec::new();
    for rule in
        crate::rules::registry().iter().filter(|rule| rule.meta().input == crate::rules::Input::Adr && config.is_enabled(rule.meta()))
    {
        let meta = rule.meta();
        if allowed.iter().any(|code| meta.is_named(code)) {
            continue;
        }
        let mut sink = Sink::default();
        rule.check_adr(&file, &mut sink);
        for finding in sink.into_findings() {
            let line = index.position(&text, finding.span.start, ColumnUnit::Utf8).line as usize;
            let start = index.line_range(&text, line).start;
            diagnostics.push(Diagnostic {
                rule: meta,
                severity: config.severity_of(meta, finding.severity),
                path: path.to_path_buf(),
                suppression: Some(crate::analysis::Fix::new(
                    format!("Allow {} ({}) in this record", meta.code, meta.name),
                    vec![crate::openapi::edit::TextEdit::insert(start, format!("<!-- archlens: allow({}) -->\n", meta.code))],
                )),
                span: finding.span,
                pointer: finding.pointer,
                message: finding.message,
                fixes: finding.fixes,
                related: Vec::new(),
            });
        }
    }
    Report { files: vec![FileReport { path: path.to_path_buf(), text: text.clone(), diagnostics }] }
}
