//! The real OpenAPI documents in `../shared/specs/`: they load and check without a panic,
//! valid documents get no API024, and the finding counts are recorded in a snapshot so that a
//! change in what the rules report on real input is reviewed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use archlens::config::Config;
use archlens::openapi::project::normalize;
use archlens::workspace::{DiskSource, check_document};

const DOCUMENTS: [&str; 5] = [
    "petstore-expanded.yaml",
    "twilio_api_v2010.json",
    "stripe-spec3.yaml",
    "api.github.com.json",
    "digitalocean/specification/DigitalOcean-public.v2.yaml",
];

fn specs() -> PathBuf {
    normalize(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs"))
}

#[test]
fn real_documents_are_valid_and_their_findings_are_stable() {
    let folder = specs();
    assert!(folder.is_dir(), "{} is missing: the shared folder must sit beside the checkout", folder.display());
    let mut counts: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for name in DOCUMENTS {
        let path = folder.join(name);
        let report =
            check_document(&path, &folder, &DiskSource, &Config::default(), &|| false).expect("the document loads").expect("not cancelled");
        let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
        for diagnostic in report.files.iter().flat_map(|file| file.diagnostics.iter()) {
            assert_ne!(diagnostic.rule.code, "API024", "{name}: {} at {}", diagnostic.message, diagnostic.path.display());
            assert_ne!(diagnostic.rule.code, "API025", "{name}: {} at {}", diagnostic.message, diagnostic.path.display());
            *by_rule.entry(diagnostic.rule.code).or_default() += 1;
        }
        counts.insert(name, by_rule);
    }
    insta::assert_json_snapshot!(counts);
}

/// Large YAML documents are parsed in pieces on every core; the tree, ranges and comments
/// must equal those of one parse of the whole text.
#[test]
fn yaml_parsed_in_pieces_equals_the_whole_parse() {
    use archlens::openapi::syntax::{Format, parse, parse_yaml_whole};
    for document in ["stripe-spec3.yaml", "digitalocean/specification/DigitalOcean-public.v2.yaml"] {
        let text = std::fs::read_to_string(specs().join(document)).unwrap();
        let pieces = parse(&text, Format::Yaml);
        let whole = parse_yaml_whole(&text);
        assert!(pieces.errors.is_empty() && whole.errors.is_empty(), "{document}");
        assert!(pieces.root == whole.root, "{document}: the trees differ");
        assert_eq!(pieces.comments, whole.comments, "{document}");
    }
}

/// An edit re-parses only the pieces it touched; the tree must equal a parse of the whole
/// new text, edit after edit.
#[test]
fn edits_of_a_large_yaml_document_reparse_to_the_same_tree() {
    use archlens::openapi::syntax::{Format, parse, parse_yaml_whole, reparse};
    let original = std::fs::read_to_string(specs().join("stripe-spec3.yaml")).unwrap();
    let mut text = original.clone();
    let mut parsed = parse(&text, Format::Yaml);
    let mut offsets: Vec<usize> = text.match_indices("description: ").map(|(index, _)| index).collect();
    offsets = [offsets.len() / 7, offsets.len() / 2, offsets.len() - 3].iter().map(|index| offsets[*index] + 13).collect();
    for (step, at) in offsets.into_iter().enumerate() {
        let mut edited = text.clone();
        // Type a character, then a new key on its own line.
        let inserted = if step % 2 == 0 { "x" } else { "y\n      x-note: typed\n     " };
        edited.insert_str(at, inserted);
        parsed = reparse(&text, parsed, &edited);
        let whole = parse_yaml_whole(&edited);
        assert!(parsed.root == whole.root, "edit {step}: the trees differ");
        assert_eq!(parsed.comments, whole.comments, "edit {step}");
        assert_eq!(parsed.errors, whole.errors, "edit {step}");
        text = edited;
    }
}
