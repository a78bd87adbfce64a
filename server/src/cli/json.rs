//! Machine-readable output: one JSON array of findings with 1-based positions.

use serde_json::json;

use crate::line_index::{ColumnUnit, LineIndex};

use super::{FileReport, display_path};

pub fn render(files: &[FileReport]) -> String {
    let mut findings = Vec::new();
    for file in files {
        let index = LineIndex::new(&file.text);
        for diagnostic in &file.diagnostics {
            let start = index.position(&file.text, diagnostic.span.start, ColumnUnit::Char);
            let end = index.position(&file.text, diagnostic.span.end, ColumnUnit::Char);
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
            }));
        }
    }
    let mut out = serde_json::to_string_pretty(&findings).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}
