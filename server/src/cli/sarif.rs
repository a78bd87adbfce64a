//! SARIF 2.1.0 output, for code-scanning services: every rule with its documentation, every
//! finding with its region (UTF-16 columns, as SARIF counts by default).

use serde_json::{Value, json};

use crate::analysis::Severity;
use crate::line_index::{ColumnUnit, LineIndex};
use crate::rules::{RuleMeta, registry, section};

use super::{FileReport, display_path};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn region(text: &str, index: &LineIndex, span: &std::ops::Range<usize>) -> Value {
    let start = index.position(text, span.start, ColumnUnit::Utf16);
    let end = index.position(text, span.end, ColumnUnit::Utf16);
    json!({"startLine": start.line + 1, "startColumn": start.col + 1, "endLine": end.line + 1, "endColumn": end.col + 1})
}

/// A file's URI relative to the current folder (`%SRCROOT%`), with `/` separators.
fn artifact(path: &std::path::Path) -> Value {
    json!({"uri": display_path(path).replace('\\', "/"), "uriBaseId": "%SRCROOT%"})
}

pub fn render(files: &[FileReport]) -> String {
    // The built-in rules, then the user's own query rules that reported something.
    let built_in = registry().len();
    let mut metas: Vec<&RuleMeta> = registry().iter().map(|rule| rule.meta()).collect();
    for diagnostic in files.iter().flat_map(|file| &file.diagnostics) {
        if !metas.iter().any(|meta| meta.code == diagnostic.rule.code) {
            metas.push(diagnostic.rule);
        }
    }
    let rules: Vec<Value> = metas
        .iter()
        .enumerate()
        .map(|(position, meta)| {
            let docs = meta.documentation();
            let mut rule = json!({
                "id": meta.code,
                "name": meta.name,
                "shortDescription": {"text": meta.summary()},
                "fullDescription": {"text": section(&docs, "Why is this bad?").unwrap_or_else(|| meta.summary())},
                "help": {"text": docs, "markdown": docs},
                "defaultConfiguration": {"level": level(meta.severity)},
                "properties": {"tags": [meta.area.title()]},
            });
            if position < built_in {
                rule["helpUri"] = json!(meta.url());
            }
            rule
        })
        .collect();
    let mut results = Vec::new();
    let mut related_indexes = crate::line_index::LineIndexes::default();
    for file in files {
        let index = LineIndex::new(&file.text);
        for diagnostic in &file.diagnostics {
            let rule_index = metas.iter().position(|meta| meta.code == diagnostic.rule.code).unwrap_or(0);
            let related: Vec<Value> = diagnostic
                .related
                .iter()
                .enumerate()
                .map(|(id, related)| {
                    let related_index = related_indexes.of(&related.path, &related.text);
                    json!({
                        "id": id,
                        "message": {"text": related.message},
                        "physicalLocation": {"artifactLocation": artifact(&related.path), "region": region(&related.text, related_index, &related.span)},
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": diagnostic.rule.code,
                "ruleIndex": rule_index,
                "level": level(diagnostic.severity),
                "message": {"text": diagnostic.message},
                "locations": [{"physicalLocation": {"artifactLocation": artifact(&file.path), "region": region(&file.text, &index, &diagnostic.span)}}],
                "partialFingerprints": {"archlens/pointer": format!("{}:{}:{}", diagnostic.rule.code, display_path(&file.path), diagnostic.pointer)},
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            results.push(result);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "archlens", "version": env!("CARGO_PKG_VERSION"), "informationUri": crate::rules::DOCS_URL, "rules": rules}},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}
