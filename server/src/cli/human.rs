//! rustc-style output: the message, `path:line:col`, the source line and a caret underline.

use std::fmt::Write;

use crate::analysis::Severity;
use crate::line_index::{ColumnUnit, LineIndex};

use super::{FileReport, display_path};

struct Paint {
    enabled: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.enabled { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
    }

    fn severity(&self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
            Severity::Hint => "1;32",
        };
        self.wrap(code, text)
    }
}

/// How many places of related information a finding lists in the terminal; a grouped
/// finding has hundreds, which the JSON and SARIF outputs keep.
const RELATED_SHOWN: usize = 10;

pub fn render(files: &[FileReport], checked: &str, color: bool) -> String {
    let paint = Paint { enabled: color };
    let mut out = String::new();
    let mut counts = [0usize; 4];
    let mut related_indexes = crate::line_index::LineIndexes::default();
    for file in files {
        if file.diagnostics.is_empty() {
            continue;
        }
        let index = LineIndex::new(&file.text);
        for diagnostic in &file.diagnostics {
            counts[diagnostic.severity as usize] += 1;
            let start = index.position(&file.text, diagnostic.span.start, ColumnUnit::Char);
            let end = index.position(&file.text, diagnostic.span.end, ColumnUnit::Char);
            let header = format!("{}[{}]", diagnostic.severity.label(), diagnostic.rule.code);
            let _ = writeln!(out, "{}: {}", paint.severity(diagnostic.severity, &header), paint.wrap("1", &diagnostic.message));
            let line_number = (start.line + 1).to_string();
            let gutter = " ".repeat(line_number.len());
            let _ =
                writeln!(out, "{gutter}{} {}:{}:{}", paint.wrap("1;34", "-->"), display_path(&file.path), start.line + 1, start.col + 1);
            let line_range = index.line_range(&file.text, start.line as usize);
            let line_text = file.text[line_range].replace('\t', " ");
            let caret_len = if end.line == start.line {
                (end.col.saturating_sub(start.col)).max(1) as usize
            } else {
                line_text.chars().count().saturating_sub(start.col as usize).max(1)
            };
            let _ = writeln!(out, "{gutter} {}", paint.wrap("1;34", "|"));
            let _ = writeln!(out, "{} {} {line_text}", paint.wrap("1;34", &line_number), paint.wrap("1;34", "|"));
            let carets = format!("{}{}", " ".repeat(start.col as usize), "^".repeat(caret_len));
            let _ = writeln!(out, "{gutter} {} {}", paint.wrap("1;34", "|"), paint.severity(diagnostic.severity, &carets));
            for related in diagnostic.related.iter().take(RELATED_SHOWN) {
                let related_index = related_indexes.of(&related.path, &related.text);
                let position = related_index.position(&related.text, related.span.start, ColumnUnit::Char);
                let _ = writeln!(
                    out,
                    "{gutter} = note: {} ({}:{}:{})",
                    related.message,
                    display_path(&related.path),
                    position.line + 1,
                    position.col + 1
                );
            }
            if diagnostic.related.len() > RELATED_SHOWN {
                let more = diagnostic.related.len() - RELATED_SHOWN;
                let _ = writeln!(out, "{gutter} = note: … and {more} more places (`--format json` lists them all)");
            }
            let help = match diagnostic.fixes.first() {
                Some(fix) => format!("{} (a fix is available in the editor)", fix.title),
                None => format!("see `archlens explain {}`", diagnostic.rule.code),
            };
            let _ = writeln!(out, "{gutter} = {}: {help}", paint.wrap("1", "help"));
            out.push('\n');
        }
    }
    let [errors, warnings, infos, hints] = counts;
    let total = errors + warnings + infos + hints;
    if total == 0 {
        let _ = writeln!(out, "archlens: no findings in {checked}");
    } else {
        let _ = writeln!(
            out,
            "archlens: {errors} error{}, {warnings} warning{}, {infos} info{} in {checked}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
            if infos + hints == 1 { "" } else { "s" },
        );
    }
    out
}
