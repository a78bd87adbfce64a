//! The fixture harness: for every rule folder `testdata/{openapi,rust,adr,sql}/<CODE>_<name>/`,
//! each `fire_*` document must report that rule exactly as its `.expect` file says, each
//! `silent_*` document must not report it, every fix must leave a document that parses and
//! no longer reports the finding, and every suppression action must silence it.
//!
//! Migrations keep the names their tools need to order them (`0002_fire_drop_column.sql`,
//! `2024-01-02-000000_silent_new_table/up.sql`): for them `fire_` or `silent_` may come
//! anywhere in the migration's name, and the other migrations of the folder are the earlier
//! state they are checked against.
//!
//! `ARCHLENS_BLESS=1 cargo test --test fixtures` rewrites the `.expect` files; review the diff.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use archlens::analysis::{Diagnostic, Fix, Report};
use archlens::config::Config;
use archlens::line_index::{ColumnUnit, LineIndex};
use archlens::openapi::edit::apply_edits;
use archlens::workspace::{OverlaySource, check_document};

fn testdata() -> PathBuf {
    archlens::openapi::project::normalize(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/openapi"))
}

/// Checks a fixture with the `archlens.toml` of its folder, if it has one, and every rule on:
/// a fixture tests its rule whether it is on by default or not.
fn check(root: &Path, workspace: &Path, overlay: &OverlaySource) -> Report {
    let mut config = Config::load_for(root.parent().unwrap_or(workspace)).expect("a valid archlens.toml");
    config.extend_select.push("ALL".to_owned());
    check_document(root, workspace, overlay, &config, &|| false).expect("fixture loads").expect("not cancelled")
}

fn findings<'r>(report: &'r Report, code: &str) -> Vec<&'r Diagnostic> {
    report.files.iter().flat_map(|file| file.diagnostics.iter()).filter(|diagnostic| diagnostic.rule.code == code).collect()
}

fn render(report: &Report, code: &str, base: &Path) -> String {
    let mut lines = Vec::new();
    for file in &report.files {
        let index = LineIndex::new(&file.text);
        for diagnostic in file.diagnostics.iter().filter(|diagnostic| diagnostic.rule.code == code) {
            let start = index.position(&file.text, diagnostic.span.start, ColumnUnit::Char);
            let end = index.position(&file.text, diagnostic.span.end, ColumnUnit::Char);
            let path = file.path.strip_prefix(base).unwrap_or(&file.path).display().to_string();
            lines.push(format!(
                "{path}:{}:{}-{}:{} {} {}",
                start.line + 1,
                start.col + 1,
                end.line + 1,
                end.col + 1,
                diagnostic.severity.label(),
                diagnostic.message
            ));
        }
    }
    lines.join("\n") + "\n"
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expectation {
    Fire,
    Silent,
}

/// Whether a file is a fixture, and what it expects.
fn expectation(path: &Path) -> Option<Expectation> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let extension = path.extension().and_then(|extension| extension.to_str());
    let (name, extension) = match extension {
        // A migration's name is its folder's for `up.sql` and `down.sql`.
        Some("sql") if name == "up.sql" || name == "down.sql" => (path.parent()?.file_name()?.to_string_lossy().into_owned(), extension),
        Some("sql") => (name, extension),
        _ => (name, extension),
    };
    let anywhere = extension == Some("sql");
    let down = anywhere && {
        let file = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        file == "down.sql" || file.ends_with(".down.sql")
    };
    let has = |prefix: &str| if anywhere { name.contains(prefix) } else { name.starts_with(prefix) };
    if !matches!(extension, Some("yaml" | "yml" | "json" | "rs" | "md" | "sql")) {
        return None;
    }
    if has("fire_") && !down {
        Some(Expectation::Fire)
    } else if has("fire_") {
        // A down migration is never checked: the one of a firing migration stays silent.
        Some(Expectation::Silent)
    } else if has("silent_") {
        Some(Expectation::Silent)
    } else {
        None
    }
}

fn fixture_documents(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(directory) = stack.pop() {
        for entry in std::fs::read_dir(&directory).expect("readable folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if expectation(&path).is_some() {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Syntax errors: API024's for documents, tree-sitter's for Rust files, DB008's for
/// migrations.
fn syntax_errors(report: &Report) -> usize {
    let rust = report
        .files
        .iter()
        .filter(|file| archlens::rust::is_rust_file(&file.path))
        .filter(|file| archlens::rust::parse(&file.text).is_none_or(|tree| tree.root_node().has_error()))
        .count();
    rust + findings(report, "API024").iter().filter(|diagnostic| diagnostic.message.contains("syntax error")).count()
        + findings(report, "DB008").len()
}

/// Applies `fix` to the file of `diagnostic` and checks the project again.
fn recheck_with(root: &Path, workspace: &Path, diagnostic: &Diagnostic, fixes: &[&Fix], original: &str) -> (Report, String) {
    let edits: Vec<_> = fixes.iter().flat_map(|fix| fix.edits.iter().cloned()).collect();
    let fixed = apply_edits(original, &edits);
    let mut overlay = OverlaySource::default();
    overlay.open.insert(diagnostic.path.clone(), Arc::from(fixed.as_str()));
    (check(root, workspace, &overlay), fixed)
}

#[test]
fn every_rule_fires_where_it_must_and_stays_silent_elsewhere() {
    let bless = std::env::var_os("ARCHLENS_BLESS").is_some();
    let mut failures = Vec::new();
    let areas = [testdata(), testdata().join("../rust"), testdata().join("../adr"), testdata().join("../sql")];
    let mut folders: Vec<PathBuf> = areas
        .iter()
        .flat_map(|folder| std::fs::read_dir(folder).expect("testdata/openapi, rust, adr and sql").flatten())
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    let mut checked_rules = 0;
    for folder in folders {
        let folder_name = folder.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let Some((code, _)) = folder_name.split_once('_') else {
            continue;
        };
        let Some(meta) = archlens::rules::find_rule(code) else {
            failures.push(format!("{folder_name}: no rule {code}"));
            continue;
        };
        checked_rules += 1;
        let documents = fixture_documents(&folder);
        assert!(documents.iter().any(|path| expectation(path) == Some(Expectation::Fire)), "{folder_name} has no fire_ fixture");
        assert!(documents.iter().any(|path| expectation(path) == Some(Expectation::Silent)), "{folder_name} has no silent_ fixture");
        for document in documents {
            let name = document.strip_prefix(&folder).unwrap_or(&document).display().to_string();
            let report = check(&document, &folder, &OverlaySource::default());
            let rendered = render(&report, meta.code, &folder);
            let reported = findings(&report, meta.code);
            if expectation(&document) == Some(Expectation::Silent) {
                if !reported.is_empty() {
                    failures.push(format!("{folder_name}/{name}: must stay silent but reported:\n{rendered}"));
                }
                continue;
            }
            let expect_path = PathBuf::from(format!("{}.expect", document.display()));
            if bless {
                std::fs::write(&expect_path, &rendered).expect("write .expect");
            }
            let expected = std::fs::read_to_string(&expect_path).unwrap_or_default();
            if reported.is_empty() {
                failures.push(format!("{folder_name}/{name}: must report {code} but did not"));
            } else if expected != rendered {
                failures.push(format!(
                    "{folder_name}/{name}: findings differ from {}\n--- expected\n{expected}--- actual\n{rendered}",
                    expect_path.display()
                ));
            }
            check_fixes(&document, &folder, &report, meta.code, &format!("{folder_name}/{name}"), &mut failures);
        }
    }
    // Rules that compare a service's code with its documents have whole projects as
    // fixtures: `testdata/drift`, checked by `tests/drift.rs`.
    let per_file = archlens::rules::registry().iter().filter(|rule| rule.meta().input != archlens::rules::Input::Service).count();
    assert_eq!(checked_rules, per_file, "every rule has a fixture folder");
    assert!(failures.is_empty(), "{} fixture failures:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// Each fix, alone and all together, must parse and remove its finding; each suppression
/// must silence its finding.
fn check_fixes(document: &Path, folder: &Path, report: &Report, code: &str, label: &str, failures: &mut Vec<String>) {
    let syntax_before = syntax_errors(report);
    for file in &report.files {
        let with_fixes: Vec<&Diagnostic> =
            file.diagnostics.iter().filter(|diagnostic| diagnostic.rule.code == code && !diagnostic.fixes.is_empty()).collect();
        let before = file.diagnostics.iter().filter(|diagnostic| diagnostic.rule.code == code).count();
        for diagnostic in &with_fixes {
            let (after, fixed) = recheck_with(document, folder, diagnostic, &[&diagnostic.fixes[0]], &file.text);
            let still = findings(&after, code)
                .iter()
                .any(|other| other.path == diagnostic.path && other.pointer == diagnostic.pointer && other.message == diagnostic.message);
            if still || syntax_errors(&after) > syntax_before {
                failures
                    .push(format!("{label}: fix `{}` for `{}` did not converge:\n{fixed}", diagnostic.fixes[0].title, diagnostic.message));
            }
            if findings(&after, "API024").len() > findings(report, "API024").len() {
                failures.push(format!("{label}: fix `{}` made the document invalid:\n{fixed}", diagnostic.fixes[0].title));
            }
        }
        if with_fixes.len() > 1 {
            let all: Vec<&Fix> = with_fixes.iter().map(|diagnostic| &diagnostic.fixes[0]).collect();
            let (after, fixed) = recheck_with(document, folder, with_fixes[0], &all, &file.text);
            let remaining = findings(&after, code).iter().filter(|other| other.path == file.path).count();
            if remaining != before - with_fixes.len() || syntax_errors(&after) > syntax_before {
                failures.push(format!("{label}: applying all {} fixes at once left {remaining} findings:\n{fixed}", with_fixes.len()));
            }
        }
        // A syntax error cannot be allowed away: the document has to parse.
        for diagnostic in file.diagnostics.iter().filter(|diagnostic| {
            diagnostic.rule.code == code && !diagnostic.message.contains("syntax error") && diagnostic.message != "the document is empty"
        }) {
            let Some(suppression) = &diagnostic.suppression else {
                failures.push(format!("{label}: `{}` has no suppression action", diagnostic.message));
                continue;
            };
            let (after, fixed) = recheck_with(document, folder, diagnostic, &[suppression], &file.text);
            let still = findings(&after, code)
                .iter()
                .any(|other| other.path == diagnostic.path && other.pointer == diagnostic.pointer && other.message == diagnostic.message);
            if still || syntax_errors(&after) > syntax_before {
                failures.push(format!("{label}: suppression of `{}` did not work:\n{fixed}", diagnostic.message));
            }
        }
    }
}

#[test]
fn findings_in_referenced_files_are_reported_there() {
    let folder = testdata().join("multi-file");
    let root = folder.join("openapi.yaml");
    let report = check(&root, &folder, &OverlaySource::default());
    let fragment = report.files.iter().find(|file| file.path.ends_with("paths/users.yaml")).expect("the fragment is loaded");
    let codes: Vec<&str> = fragment.diagnostics.iter().map(|diagnostic| diagnostic.rule.code).collect();
    assert!(codes.contains(&"API012") && codes.contains(&"API008"), "{codes:?}");
    for diagnostic in &fragment.diagnostics {
        let related = diagnostic.related.iter().find(|related| related.path.ends_with("openapi.yaml")).expect("the use site is related");
        assert!(related.text[related.span.clone()].contains("paths/users.yaml"));
    }
    assert!(report.files.iter().any(|file| file.path.ends_with("schemas/user.json")), "the JSON fragment is loaded too");
}

#[test]
fn half_typed_documents_report_the_error_where_it_is_and_keep_the_rest() {
    let folder = testdata().join("half-typed");
    let report = check(&folder.join("openapi.yaml"), &folder, &OverlaySource::default());
    let file = &report.files[0];
    let index = LineIndex::new(&file.text);
    let lines: Vec<(u32, &str)> = file
        .diagnostics
        .iter()
        .map(|diagnostic| (index.position(&file.text, diagnostic.span.start, ColumnUnit::Char).line + 1, diagnostic.rule.code))
        .collect();
    // The unterminated quote on line 14 is the one syntax error, not the lines it swallows.
    let syntax: Vec<_> = lines.iter().filter(|(_, code)| *code == "API024").collect();
    assert_eq!(syntax, [&(14, "API024")], "{lines:?}");
    // The operation that holds the error waits; the paths around it are still checked.
    assert!(!lines.iter().any(|(line, _)| (12..=17).contains(line) && *line != 14), "{lines:?}");
    assert!(lines.contains(&(6, "API004")) && lines.contains(&(18, "API001")), "{lines:?}");
}
