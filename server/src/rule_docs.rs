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
        "# {code} {name}\n\nArea: {area} · Default severity: {severity} · Suppress with {suppress}\n\n{docs}\n",
        code = meta.code,
        name = meta.name,
        area = meta.area.title(),
        severity = meta.severity.label(),
        docs = meta.documentation(),
    )
}

/// The index page listing every rule.
pub fn index_page() -> String {
    let mut page = String::from(
        "# archlens rules\n\nGenerated from the rule sources by `archlens gen-docs docs/rules`; do not edit by hand.\n\n| code | name | area | severity | summary |\n|---|---|---|---|---|\n",
    );
    for meta in documented() {
        page.push_str(&format!(
            "| [{code}]({code}.md) | {name} | {area} | {severity} | {summary} |\n",
            code = meta.code,
            name = meta.name,
            area = meta.area.title(),
            severity = meta.severity.label(),
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
