//! Hover: the rule documentation of every finding under the cursor, most severe first.

use tower_lsp_server::ls_types as lsp;

use crate::analysis::Diagnostic;
use crate::rules::section;

use super::convert::{Positions, path_of};
use super::diagnostics::roots_for;
use super::state::State;

pub fn hover(state: &State, params: lsp::HoverParams) -> Option<lsp::Hover> {
    let position = params.text_document_position_params;
    let path = path_of(&position.text_document.uri)?;
    let mut found: Vec<(Diagnostic, lsp::Range)> = Vec::new();
    for root in roots_for(state, &path) {
        let Some(report) = state.reports.get(&root).map(|report| report.clone()) else {
            continue;
        };
        let Some(file) = report.files.get(&path) else {
            continue;
        };
        let positions = Positions::new(&file.text, state.column_unit());
        let offset = positions.offset(position.position);
        for diagnostic in &file.diagnostics {
            if diagnostic.span.start <= offset
                && offset <= diagnostic.span.end
                && !found.iter().any(|(seen, _)| {
                    seen.span == diagnostic.span && seen.rule.code == diagnostic.rule.code && seen.message == diagnostic.message
                })
            {
                found.push((diagnostic.clone(), positions.range(&diagnostic.span)));
            }
        }
    }
    if found.is_empty() {
        return None;
    }
    found.sort_by_key(|(diagnostic, _)| diagnostic.severity);
    let range = found[0].1;
    let value = found.iter().map(|(diagnostic, _)| render(diagnostic)).collect::<Vec<_>>().join("\n\n---\n\n");
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value }),
        range: Some(range),
    })
}

/// The markdown for one finding: what is wrong here, then the rule's documentation.
pub fn render(diagnostic: &Diagnostic) -> String {
    let meta = diagnostic.rule;
    let docs = meta.documentation();
    let mut out = format!("**{}** `{}` · {}\n\n{}", meta.code, meta.name, diagnostic.severity.label(), diagnostic.message);
    for (heading, title) in [("What it does", "What it checks"), ("Why is this bad?", "Why it matters"), ("Fix", "How to fix")] {
        if let Some(body) = section(&docs, heading) {
            out.push_str(&format!("\n\n**{title}**\n\n{body}"));
        }
    }
    out.push_str(&format!("\n\n[{} documentation]({})", meta.code, meta.url()));
    out
}
