//! Machine-readable output: one JSON array of findings with 1-based positions, each with its
//! fixes' titles and every place of its related information.

use serde_json::json;

use crate::line_index::{ColumnUnit, LineIndex, LineIndexes};

use super::{FileReport, display_path};

pub fn render(files: &[FileReport]) -> String {
    let mut findings = Vec::new();
    let mut related_indexes = LineIndexes::default();
    for file in files {
        let index = LineIndex::new(&file.text);
        for diagnostic in &file.diagnostics {
            let start = index.position(&file.text, diagnostic.span.start, ColumnUnit::Char);
            let end = index.position(&file.text, diagnostic.span.end, ColumnUnit::Char);
            let related: Vec<serde_json::Value> = diagnostic
                .related
                .iter()
                .map(|related| {
                    let at = related_indexes.of(&related.path, &related.text).position(&related.text, related.span.start, ColumnUnit::Char);
                    json!({
                        "message": related.message,
                        "path": display_path(&related.path),
                        "start": {"line": at.line + 1, "column": at.col + 1},
                    })
                })
                .collect();
            findings.push(json!({
                "code": diagnostic.rule.code,
                "name": diagnostic.rule.name,
                "severity": diagnostic.severity.label(),
                "message": diagnostic.message,
                "path": display_path(&file.path),
                "pointer": diagnostic.pointer.as_str(),
                "start": {"line": start.line + 1, "column": start.col + 1},
                "end": {"line": end.line + 1, "column": end.col + 1},
                "fixes": diagnostic.fixes.iter().map(|fix| fix.title.clone()).collect::<Vec<_>>(),
                "related": related,
            }));
        }
    }
    let mut out = serde_json::to_string_pretty(&findings).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}
