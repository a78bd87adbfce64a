//! The rule pages in `docs/rules/` are generated from the rules' doc comments; this test fails
//! when they are stale. Regenerate with `cargo run -- gen-docs docs/rules`.

use std::path::Path;

#[test]
fn generated_rule_pages_are_up_to_date() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules");
    let mut stale = Vec::new();
    let pages = archlens::rule_docs::all_pages();
    for (name, content) in &pages {
        let on_disk = std::fs::read_to_string(folder.join(name)).unwrap_or_default();
        if &on_disk != content {
            stale.push(name.clone());
        }
    }
    let extra: Vec<String> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| !pages.iter().any(|(page, _)| page == name))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "docs/rules is stale (run `cargo run -- gen-docs docs/rules`): changed {stale:?}, not generated {extra:?}"
    );
}

#[test]
fn the_configuration_schema_is_up_to_date_and_accepts_the_documented_keys() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/archlens.schema.json");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        on_disk,
        archlens::rule_docs::config_schema_text(),
        "docs/archlens.schema.json is stale (run `cargo run -- gen-docs docs/rules`)"
    );
    let schema = archlens::config::json_schema();
    for key in ["baseline", "rules", "openapi"] {
        assert!(schema["properties"][key].is_object(), "{key}");
    }
    for key in ["select", "ignore", "severity", "group-info"] {
        assert!(schema["properties"]["rules"]["properties"][key].is_object(), "{key}");
    }
    // Every key the schema names is one the parser accepts.
    let example = "baseline = \"known.json\"\n[rules]\nselect = [\"SEC\"]\nignore = [\"API001\"]\ngroup-info = false\n[rules.severity]\nSEC = \"warning\"\n[openapi]\nversioning = \"header\"\n";
    archlens::config::Config::from_toml(example).expect("the documented keys parse");
}
