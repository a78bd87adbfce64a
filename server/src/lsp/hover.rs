//! Hover: the rule documentation of every finding under the cursor, most severe first.

use tower_lsp_server::ls_types as lsp;

use std::sync::Arc;

use crate::analysis::Diagnostic;
use crate::rules::{RuleMeta, section};

use super::convert::{Positions, path_of};
use super::diagnostics::roots_for;
use super::state::State;

/// The findings under the cursor, most severe first, with their ranges and the text of the
/// file they are in.
pub fn findings_at(state: &State, uri: &lsp::Uri, position: lsp::Position) -> Vec<(Diagnostic, lsp::Range, Arc<str>)> {
    let Some(path) = path_of(uri) else { return Vec::new() };
    let mut found: Vec<(Diagnostic, lsp::Range, Arc<str>)> = Vec::new();
    for root in roots_for(state, &path) {
        let Some(report) = state.reports.get(&root).map(|report| report.clone()) else {
            continue;
        };
        let Some(file) = report.files.get(&path) else {
            continue;
        };
        let positions = Positions::new(&file.text, state.column_unit());
        let offset = positions.offset(position);
        for diagnostic in &file.diagnostics {
            if diagnostic.span.start <= offset
                && offset <= diagnostic.span.end
                && !found.iter().any(|(seen, _, _)| {
                    seen.span == diagnostic.span && seen.rule.code == diagnostic.rule.code && seen.message == diagnostic.message
                })
            {
                found.push((diagnostic.clone(), positions.range(&diagnostic.span), file.text.clone()));
            }
        }
    }
    found.sort_by_key(|(diagnostic, _, _)| diagnostic.severity);
    found
}

/// The arguments of a command about one finding: where it is and its rule.
pub fn finding_arguments(uri: &lsp::Uri, diagnostic: &lsp::Diagnostic) -> Vec<serde_json::Value> {
    let code = match &diagnostic.code {
        Some(lsp::NumberOrString::String(code)) => code.clone(),
        _ => String::new(),
    };
    vec![
        serde_json::json!(uri.as_str()),
        serde_json::json!(diagnostic.range.start.line),
        serde_json::json!(diagnostic.range.start.character),
        serde_json::json!(code),
    ]
}

/// The finding a command's [`finding_arguments`] name, if it is still there.
pub fn finding_from_arguments(state: &State, arguments: &[serde_json::Value]) -> Option<(Diagnostic, lsp::Range, Arc<str>)> {
    let uri = arguments.first()?.as_str()?.parse::<lsp::Uri>().ok()?;
    let line = u32::try_from(arguments.get(1)?.as_u64()?).ok()?;
    let character = u32::try_from(arguments.get(2)?.as_u64()?).ok()?;
    let code = arguments.get(3)?.as_str()?;
    findings_at(state, &uri, lsp::Position { line, character }).into_iter().find(|(diagnostic, _, _)| diagnostic.rule.code == code)
}

pub fn hover(state: &State, params: lsp::HoverParams) -> Option<lsp::Hover> {
    let position = params.text_document_position_params;
    let found = findings_at(state, &position.text_document.uri, position.position);
    let range = found.first()?.1;
    let value = found.iter().map(|(diagnostic, _, _)| render(diagnostic)).collect::<Vec<_>>().join("\n\n---\n\n");
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value }),
        range: Some(range),
    })
}

/// The markdown for one finding: what is wrong here and where, then the rule's
/// documentation.
pub fn render(diagnostic: &Diagnostic) -> String {
    let meta = diagnostic.rule;
    let mut out = format!("**{}** `{}` · {}\n\n{}", meta.code, meta.name, diagnostic.severity.label(), diagnostic.message);
    if let Some(place) = diagnostic.pointer.describe() {
        out.push_str(&format!("\n\nAt {place}"));
    }
    out.push_str(&rule_sections(meta));
    out
}

/// The rule's documentation for a hover: what it checks, why it matters, how to fix it (its
/// `Fix` section, else its example of what to write instead), and a link.
fn rule_sections(meta: &RuleMeta) -> String {
    let docs = meta.documentation();
    let mut out = String::new();
    for (heading, title) in [("What it does", "What it checks"), ("Why is this bad?", "Why it matters")] {
        if let Some(body) = section(&docs, heading) {
            out.push_str(&format!("\n\n**{title}**\n\n{body}"));
        }
    }
    let fix = section(&docs, "Fix").or_else(|| {
        let example = section(&docs, "Example")?;
        let (_, instead) = example.split_once("Use instead:")?;
        Some(format!("Write instead:\n{}", instead.trim_end()))
    });
    if let Some(body) = fix {
        out.push_str(&format!("\n\n**How to fix**\n\n{body}"));
    }
    out.push_str(&format!("\n\n[{} documentation]({})", meta.code, meta.url()));
    out
}

/// Hover on a rule named in an `archlens: allow(…)` comment, an `x-archlens-allow` list or
/// `archlens.toml`: that rule's documentation.
pub fn rule_hover(state: &State, uri: &lsp::Uri, position: lsp::Position) -> Option<lsp::Hover> {
    let path = path_of(uri)?;
    let text: Arc<str> = match state.documents.get(&path) {
        Some(document) => document.text.clone(),
        None => Arc::from(std::fs::read_to_string(&path).ok()?),
    };
    let positions = Positions::new(&text, state.column_unit());
    let offset = positions.offset(position);
    let line_start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |at| offset + at);
    let line = &text[line_start..line_end];
    let in_config = path.file_name().is_some_and(|name| name == crate::config::CONFIG_FILE);
    if !in_config && !line.contains("archlens") {
        return None;
    }
    let is_word = |character: char| character.is_ascii_alphanumeric() || character == '-' || character == '_';
    let column = offset - line_start;
    let start = line[..column].rfind(|character: char| !is_word(character)).map_or(0, |at| at + 1);
    let end = line[column..].find(|character: char| !is_word(character)).map_or(line.len(), |at| column + at);
    let word = &line[start..end];
    let meta = crate::rules::find_rule(word)?;
    let value =
        format!("**{}** `{}` · {} · {} by default{}", meta.code, meta.name, meta.area.title(), meta.severity.label(), rule_sections(meta));
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value }),
        range: Some(positions.range(&((line_start + start)..(line_start + end)))),
    })
}
