//! The rule pages under `docs/rules/`, generated from the rules' doc comments (the one source
//! of rule documentation, shared with hover and `archlens explain`).

use crate::rules::{RuleMeta, registry};

/// The markdown page of one rule.
pub fn rule_page(meta: &RuleMeta) -> String {
    let suppress = match meta.input {
        crate::rules::Input::Sql => format!("`-- archlens: allow({})` above the statement", meta.code),
        _ => format!("`# archlens: allow({code})` (YAML) or `x-archlens-allow: [{code}]` (JSON)", code = meta.code),
    };
    format!(
        "# {code} {name}\n\nArea: {area} · Default severity: {severity} · {default} · Suppress with {suppress}\n\n{docs}\n",
        code = meta.code,
        name = meta.name,
        area = meta.area.title(),
        severity = meta.severity.label(),
        default = default_state(meta),
        docs = meta.documentation(),
    )
}

/// Whether the rule is on by default, and its measured precision when it was measured.
fn default_state(meta: &RuleMeta) -> String {
    let state = if meta.on_by_default() { "On by default" } else { "Off by default (turn it on with `extend-select`)" };
    match crate::rules::precision::measured(meta.code) {
        Some(_) => format!("{state}, precision measured on real projects: {}", crate::rules::precision::label(meta.code)),
        None => state.to_owned(),
    }
}

/// The index page listing every rule.
pub fn index_page() -> String {
    let mut page = String::from(
        "# archlens rules\n\nGenerated from the rule sources by `archlens gen-docs docs/rules`; do not edit by hand. Precision is measured on real projects (`scripts/precision`); a rule under 0.9 is off by default.\n\n| code | name | area | severity | default | precision | summary |\n|---|---|---|---|---|---|---|\n",
    );
    for meta in documented() {
        page.push_str(&format!(
            "| [{code}]({code}.md) | {name} | {area} | {severity} | {default} | {precision} | {summary} |\n",
            code = meta.code,
            name = meta.name,
            area = meta.area.title(),
            severity = meta.severity.label(),
            default = if meta.on_by_default() { "on" } else { "off" },
            precision = crate::rules::precision::label(meta.code),
            summary = meta.summary()
        ));
    }
    page
}

/// Every generated file: (file name, content).
pub fn all_pages() -> Vec<(String, String)> {
    let mut pages = vec![("README.md".to_owned(), index_page())];
    pages.extend(documented().map(|meta| (format!("{}.md", meta.code), rule_page(meta))));
    pages
}

/// Every rule a user can run: the rules built for tests alone have no page.
fn documented() -> impl Iterator<Item = &'static RuleMeta> {
    registry().iter().map(|rule| rule.meta()).filter(|meta| !meta.is_for_tests())
}

/// The text of `docs/archlens.schema.json`.
pub fn config_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&crate::config::json_schema()).unwrap_or_default();
    text.push('\n');
    text
}
