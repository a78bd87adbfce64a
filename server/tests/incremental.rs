//! The editor keeps findings across an edit of prose instead of checking again
//! (`analysis::incremental`). Here every such edit of every fixture document, the sample
//! service and the petstore description is made both ways: findings moved from the check
//! before the edit must equal a full check after it, to the byte.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use archlens::analysis::incremental::{Before, PROSE_KEYS, shift_file};
use archlens::analysis::{Diagnostic, FileReport, Report};
use archlens::config::Config;
use archlens::openapi::project::{FileSource, guess_format, normalize};
use archlens::openapi::syntax::{Format, Node, Value, parse};
use archlens::workspace::{OverlaySource, check_document, is_openapi_document};

fn documents() -> Vec<PathBuf> {
    let repo = normalize(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    let mut found = vec![repo.join("../shared/specs/petstore-expanded.yaml")];
    let mut folders = vec![repo.join("testdata/openapi"), repo.join("testdata/sample-service")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("testdata is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if matches!(path.extension().and_then(|extension| extension.to_str()), Some("yaml" | "yml" | "json")) {
                found.push(normalize(&path));
            }
        }
    }
    found.sort();
    found
}

/// The ranges of the prose values of a tree, text only (inside the quotes).
fn prose_values(node: &Node, out: &mut Vec<std::ops::Range<usize>>) {
    match &node.value {
        Value::Map(entries) => {
            for entry in entries {
                if PROSE_KEYS.contains(&entry.key.as_str()) && matches!(entry.value.value, Value::String(_)) {
                    out.push(entry.value.span.clone());
                }
                prose_values(&entry.value, out);
            }
        }
        Value::Seq(items) => items.iter().for_each(|item| prose_values(item, out)),
        _ => {}
    }
}

fn check(path: &Path, text: &Arc<str>) -> Report {
    let mut overlay = OverlaySource::default();
    overlay.open.insert(path.to_path_buf(), text.clone());
    // Every rule on, by default or not: each must give the same findings incrementally.
    let mut config = Config::load_for(path).expect("a valid archlens.toml");
    config.extend_select.push("ALL".to_owned());
    check_document(path, path.parent().unwrap(), &overlay, &config, &|| false).expect("loads").expect("not cancelled")
}

/// Everything a diagnostic says, without the texts it carries.
fn describe(file: &FileReport) -> Vec<String> {
    let describe_one = |diagnostic: &Diagnostic| {
        let related: Vec<String> =
            diagnostic.related.iter().map(|related| format!("{}:{:?} {}", related.path.display(), related.span, related.message)).collect();
        let texts: Vec<&str> = diagnostic.related.iter().map(|related| &related.text[..]).collect();
        format!(
            "{} {:?} {:?} {} {} fixes={:?} suppression={:?} related={related:?} {}",
            diagnostic.rule.code,
            diagnostic.severity,
            diagnostic.span,
            diagnostic.pointer,
            diagnostic.message,
            diagnostic.fixes,
            diagnostic.suppression,
            texts.iter().map(|text| text.len()).sum::<usize>(),
        )
    };
    let mut lines = vec![format!("{} ({} bytes)", file.path.display(), file.text.len())];
    lines.extend(file.diagnostics.iter().map(describe_one));
    lines
}

#[test]
fn findings_moved_after_an_edit_of_prose_equal_a_full_check() {
    let mut moved = 0;
    let mut full = 0;
    for path in documents() {
        let text: Arc<str> = Arc::from(std::fs::read_to_string(&path).expect("readable"));
        let format = Format::from_path(&path).unwrap_or_else(|| guess_format(&text));
        if !is_openapi_document(&text, format) {
            continue;
        }
        let parsed = parse(&text, format);
        let mut sites = Vec::new();
        if let Some(root) = &parsed.root {
            prose_values(root, &mut sites);
        }
        if sites.is_empty() {
            continue;
        }
        let before_report = check(&path, &text);
        let mut config = Config::load_for(&path).expect("a valid archlens.toml");
        config.extend_select.push("ALL".to_owned());
        for site in sites {
            // Type a character, delete one, empty the value, name a replacement.
            let inside = site.start + usize::from(site.len() > 1);
            let mut edits = vec![(inside, inside, "x".to_owned()), (site.start, site.end, "Use the v2 operation instead".to_owned())];
            if site.len() > 2 && text.is_char_boundary(inside + 1) {
                edits.push((inside, inside + 1, String::new()));
            }
            edits.push((site.start, site.end, "''".to_owned()));
            for (start, end, inserted) in edits {
                if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                    continue;
                }
                let new_text: Arc<str> = Arc::from(format!("{}{inserted}{}", &text[..start], &text[end..]));
                let Some(before) = Before::read(&parsed, &text, &new_text) else { continue };
                let reparsed = parse(&new_text, format);
                let after = check(&path, &new_text);
                if !before.holds(&reparsed, archlens::rules::registry(), &config) {
                    full += 1;
                    continue;
                }
                let shifted: Option<Vec<FileReport>> =
                    before_report.files.iter().map(|file| shift_file(file, &path, &new_text, &before.change)).collect();
                let Some(shifted) = shifted else {
                    full += 1;
                    continue;
                };
                moved += 1;
                let expected: Vec<Vec<String>> = after.files.iter().map(describe).collect();
                let got: Vec<Vec<String>> = shifted.iter().map(describe).collect();
                assert_eq!(got, expected, "{} after replacing bytes {start}..{end} with {inserted:?}", path.display());
            }
        }
    }
    // The fixtures have hundreds of prose values; most edits keep the findings.
    assert!(moved > 200, "only {moved} edits kept their findings ({full} needed a full check)");
    assert!(full > 0, "some edits must need a full check (an operation's summary emptied)");
}

/// A rule that reads a prose value must say when an edit of it matters
/// (`Check::reads_prose`); otherwise the editor would keep its findings across that edit.
/// The model that every rule reads must not read prose at all.
#[test]
fn code_that_reads_prose_says_so() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![source.join("openapi/model.rs")];
    let mut folders = vec![source.join("rules")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("sources are readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                files.push(path);
            }
        }
    }
    let mut readers = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable");
        // A prose key as the argument of a lookup (`get("description")`, `has_text(node,
        // "summary")`), not as a member of a `json!` fix (`"description": …`).
        let reads = PROSE_KEYS.iter().any(|key| text.contains(&format!("\"{key}\")")));
        if reads {
            assert!(
                !path.ends_with("openapi/model.rs") && text.contains("fn reads_prose"),
                "{} reads a description, summary or title: implement Check::reads_prose for its rule",
                path.display()
            );
            readers.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    readers.sort();
    assert_eq!(readers, ["deprecated_without_sunset.rs", "undocumented_operation.rs"]);
}

/// The Rust files of the fixtures and of the sample service.
fn rust_files() -> Vec<PathBuf> {
    let repo = normalize(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    let mut found = Vec::new();
    let mut folders = vec![repo.join("testdata/rust"), repo.join("testdata/sample-service/src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("testdata is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if archlens::rust::is_rust_file(&path) {
                found.push(normalize(&path));
            }
        }
    }
    found.sort();
    found
}

/// Typing into Rust files: each check starts from the state the last one left (the tree
/// re-parsed incrementally, the untouched items' findings moved) and must equal a fresh
/// check of the same text, to the byte.
#[test]
fn rust_checked_after_an_edit_equals_a_fresh_check() {
    const INSERTS: [&str; 12] = ["x", " ", "\n", "{", "}", "\"", "// ", "(", ";", "async ", ".unwrap()", "/*"];
    // `ARCHLENS_SEED` and `ARCHLENS_EDITS` run other and longer edit sequences.
    let mut seed: u64 = std::env::var("ARCHLENS_SEED").ok().and_then(|seed| seed.parse().ok()).unwrap_or(0x2545_f491_4f6c_dd1d);
    let steps: usize = std::env::var("ARCHLENS_EDITS").ok().and_then(|edits| edits.parse().ok()).unwrap_or(40);
    let mut next = |bound: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % bound as u64) as usize
    };
    let (mut edits, mut partial) = (0, 0);
    for path in rust_files() {
        let original = std::fs::read_to_string(&path).expect("readable");
        let mut config = Config::load_for(&path).expect("a valid archlens.toml");
        config.extend_select.push("ALL".to_owned());
        let cache = Arc::new(archlens::workspace::ParseCache::default());
        let mut text = original.clone();
        for step in 0..steps {
            if step % 13 == 12 {
                text = original.clone();
            } else {
                let mut at = next(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                if next(3) == 0 && at < text.len() {
                    let mut end = (at + 1 + next(6)).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    text.replace_range(at..end, "");
                } else {
                    text.insert_str(at, INSERTS[next(INSERTS.len())]);
                }
            }
            let shared: Arc<str> = Arc::from(text.as_str());
            let mut incremental = OverlaySource { cache: Some(cache.clone()), ..OverlaySource::default() };
            incremental.open.insert(path.clone(), shared.clone());
            let kept = check_document(&path, path.parent().unwrap(), &incremental, &config, &|| false).unwrap().unwrap();
            let mut fresh = OverlaySource::default();
            fresh.open.insert(path.clone(), shared.clone());
            let full = check_document(&path, path.parent().unwrap(), &fresh, &config, &|| false).unwrap().unwrap();
            assert_eq!(describe(&kept.files[0]), describe(&full.files[0]), "{} after edit {step}:\n{text}", path.display());
            // What the file says to its project, put together from its items' parts and
            // moved by the edits, is what a fresh read says, to the position.
            let summary = incremental.rust_said(&path, &shared).expect("the check keeps what the file says").summary;
            assert_eq!(
                format!("{summary:#?}"),
                format!("{:#?}", archlens::rust::summary::FileSummary::of_text(&text)),
                "{} after edit {step}:\n{text}",
                path.display()
            );
            edits += 1;
            partial += usize::from(!full.files[0].diagnostics.is_empty());
        }
    }
    assert!(edits > 1_000 && partial > 500, "{edits} edits, {partial} with findings");
}
