//! GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

use std::fmt::Write;

use crate::analysis::Severity;
use crate::line_index::{ColumnUnit, LineIndex};

use super::{FileReport, display_path};

/// Workflow command properties escape `%`, CR, LF, `:` and `,`; messages escape `%`, CR, LF.
fn escape(text: &str, property: bool) -> String {
    let escaped = text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property { escaped.replace(':', "%3A").replace(',', "%2C") } else { escaped }
}

pub fn render(files: &[FileReport]) -> String {
    let mut out = String::new();
    for file in files {
        let index = LineIndex::new(&file.text);
        for diagnostic in &file.diagnostics {
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            let start = index.position(&file.text, diagnostic.span.start, ColumnUnit::Char);
            let end = index.position(&file.text, diagnostic.span.end, ColumnUnit::Char);
            let title = format!("{} {}", diagnostic.rule.code, diagnostic.rule.name);
            let _ = writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape(&display_path(&file.path), true),
                start.line + 1,
                start.col + 1,
                end.line + 1,
                end.col + 1,
                escape(&title, true),
                escape(&diagnostic.message, false),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_workflow_command_values() {
        assert_eq!(super::escape("a,b:c%\n", true), "a%2Cb%3Ac%25%0A");
        assert_eq!(super::escape("a,b:c", false), "a,b:c");
    }
}
