//! Hostile input, each case against both `archlens check` and the language server: deep
//! nesting, alias bombs, a 50 MB document, bytes that are not UTF-8, NUL bytes, UTF-16,
//! mixed line endings, very long lines, `$ref` cycles and escapes, `http://` references and
//! symlink loops. Each gets a clear diagnostic or is skipped, in bounded time, and the server
//! keeps serving.
//!
//! The documents are large (50 MB, an 8 MB line): the test runs on release builds, as
//! `scripts/test` does (`cargo test --release --test hostile`).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Client, PUBLISH, Workspace, codes, diagnostics_of, file_uri};
use serde_json::{Value, json};

/// How long one case may take, end to end (a hang fails the test rather than CI).
const CASE_LIMIT: Duration = Duration::from_secs(120);

struct Case {
    name: &'static str,
    /// Files to write, relative to the workspace (bytes).
    files: Vec<(&'static str, Vec<u8>)>,
    /// The document to check and open.
    document: &'static str,
    /// What the findings on the document must include (rule codes), if anything.
    expect: &'static [&'static str],
}

fn yaml_header() -> String {
    "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n".to_owned()
}

fn cases() -> Vec<Case> {
    let deep_yaml_flow = format!("{}components:\n  schemas:\n    A: {}{}\n", yaml_header(), "[".repeat(10_000), "]".repeat(10_000));
    let mut deep_yaml_block = format!("{}components:\n  schemas:\n", yaml_header());
    for depth in 0..10_000 {
        deep_yaml_block.push_str(&format!("{}a{depth}:\n", " ".repeat(4 + depth % 2000)));
    }
    let deep_json = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"x-deep\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let mut laughs = format!("{}x-laughs:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n", yaml_header());
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        laughs.push_str(&format!("  a{level}: &a{level} [{}]\n", vec![previous; 10].join(", ")));
    }
    let mut big = yaml_header().replace("paths: {}\n", "paths:\n");
    let mut index = 0;
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(&format!("  /things-{index}:\n    get:\n      operationId: getThing{index}\n      description: A thing of the catalogue with a long enough description to fill the file.\n      responses:\n        '200': {{description: OK}}\n"));
        index += 1;
    }
    let long_line = format!("{}x-long: \"{}\"\n", yaml_header(), "a".repeat(8 * 1024 * 1024));
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(yaml_header().encode_utf16().flat_map(|unit| unit.to_le_bytes()));
    let mixed = "openapi: 3.1.0\r\ninfo:\r  title: t\n  version: '1'\r\npaths:\r\n  /a:\n    get:\r      responses:\r\n        '200': {description: OK}\n".as_bytes().to_vec();
    let mut invalid = yaml_header().into_bytes();
    invalid.extend_from_slice(b"x-bad: \"\xC3\x28\xA0\xA1\"\n");
    let mut nul = yaml_header().into_bytes();
    nul.extend_from_slice(b"x-nul: \"a\0b\"\n\0\n");
    let cycle_root = format!("{}components:\n  schemas:\n    A: {{$ref: 'b.yaml#/B'}}\n", yaml_header());
    let escape = format!(
        "{}components:\n  schemas:\n    Passwd: {{$ref: '../../../../../../etc/passwd'}}\n    Absolute: {{$ref: '/etc/hostname'}}\n    Remote: {{$ref: 'http://127.0.0.1:9/schema.yaml'}}\n    Secure: {{$ref: 'https://example.com/schema.yaml#/A'}}\n",
        yaml_header()
    );
    vec![
        Case {
            name: "10,000-deep YAML flow nesting",
            files: vec![("deep-flow.yaml", deep_yaml_flow.into_bytes())],
            document: "deep-flow.yaml",
            expect: &["API024"],
        },
        Case {
            name: "10,000-deep YAML block nesting",
            files: vec![("deep-block.yaml", deep_yaml_block.into_bytes())],
            document: "deep-block.yaml",
            expect: &[],
        },
        Case {
            name: "10,000-deep JSON nesting",
            files: vec![("deep.json", deep_json.into_bytes())],
            document: "deep.json",
            expect: &["API024"],
        },
        Case { name: "YAML alias bomb", files: vec![("laughs.yaml", laughs.into_bytes())], document: "laughs.yaml", expect: &["API024"] },
        Case { name: "50 MB document", files: vec![("big.yaml", big.into_bytes())], document: "big.yaml", expect: &[] },
        Case { name: "8 MB line", files: vec![("long.yaml", long_line.into_bytes())], document: "long.yaml", expect: &[] },
        Case { name: "UTF-16 with a byte order mark", files: vec![("utf16.yaml", utf16)], document: "utf16.yaml", expect: &["API024"] },
        Case { name: "CR, LF and CRLF mixed", files: vec![("mixed.yaml", mixed)], document: "mixed.yaml", expect: &[] },
        Case { name: "invalid UTF-8", files: vec![("invalid.yaml", invalid)], document: "invalid.yaml", expect: &["API024"] },
        Case { name: "NUL bytes", files: vec![("nul.yaml", nul)], document: "nul.yaml", expect: &[] },
        Case {
            name: "$ref cycle across files",
            files: vec![
                ("cycle.yaml", cycle_root.into_bytes()),
                ("b.yaml", b"B: {$ref: 'c.yaml#/C'}\n".to_vec()),
                ("c.yaml", b"C: {$ref: 'b.yaml#/B'}\n".to_vec()),
            ],
            document: "cycle.yaml",
            expect: &[],
        },
        Case {
            name: "$ref outside the workspace and to URLs",
            files: vec![("escape.yaml", escape.into_bytes())],
            document: "escape.yaml",
            expect: &["API025"],
        },
    ]
}

fn write_case(workspace: &Workspace, case: &Case) {
    for (relative, bytes) in &case.files {
        let path = workspace.root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
    }
}

fn check_codes(path: &Path) -> (Option<i32>, Vec<String>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_archlens"))
        .args(["check", "--format", "json"])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .expect("run archlens");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let findings: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    let codes = findings
        .as_array()
        .map(|findings| findings.iter().filter_map(|finding| finding["code"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    (output.status.code(), codes, stderr)
}

#[test]
#[cfg_attr(debug_assertions, ignore = "slow without optimisation: scripts/test runs it with --release")]
fn hostile_documents_get_a_clear_answer_from_check_and_the_server() {
    let workspace = Workspace::new();
    // A symlink loop in the workspace: the scans must not follow it.
    std::os::unix::fs::symlink(&workspace.root, workspace.root.join("loop")).unwrap();
    std::os::unix::fs::symlink(workspace.root.join("missing-target"), workspace.root.join("dangling.yaml")).unwrap();
    let cases = cases();
    for case in &cases {
        write_case(&workspace, case);
    }

    // The command line, one case at a time.
    for case in &cases {
        let started = Instant::now();
        let (status, codes, stderr) = check_codes(&workspace.root.join(case.document));
        assert!(started.elapsed() < CASE_LIMIT, "{}: check took {:?}", case.name, started.elapsed());
        assert!(matches!(status, Some(0..=1)), "{}: exit {status:?}\n{stderr}", case.name);
        for code in case.expect {
            assert!(codes.iter().any(|found| found == code), "{}: {code} expected, got {codes:?}\n{stderr}", case.name);
        }
        assert!(!stderr.contains("panicked"), "{}: {stderr}", case.name);
    }
    // The whole workspace at once, through the symlink loop.
    let started = Instant::now();
    let (status, _, stderr) = check_codes(&workspace.root);
    assert!(matches!(status, Some(0..=1)), "the workspace: exit {status:?}\n{stderr}");
    assert!(started.elapsed() < CASE_LIMIT * 2, "the workspace took {:?}", started.elapsed());

    // The language server, every case in one session.
    let mut server = Client::start();
    server.initialize(&workspace.root, json!({}));
    for case in &cases {
        let path = workspace.root.join(case.document);
        let uri = file_uri(&path);
        let bytes = std::fs::read(&path).unwrap();
        // Editors send text: what they would make of these bytes.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let started = Instant::now();
        server.open(&uri, 1, &text);
        let published = server.wait_for_notification(PUBLISH, |params| params["uri"] == uri.as_str() && params["version"] == 1, CASE_LIMIT);
        assert!(started.elapsed() < CASE_LIMIT, "{}: published after {:?}", case.name, started.elapsed());
        for code in case
            .expect
            .iter()
            .filter(|code| **code != "API024" || case.name != "invalid UTF-8" && case.name != "UTF-16 with a byte order mark")
        {
            assert!(codes(&published).contains(code), "{}: {code} expected, got {:?}", case.name, codes(&published));
        }
        for diagnostic in diagnostics_of(&published) {
            assert!(diagnostic["range"]["start"]["line"].as_u64().is_some(), "{}: {diagnostic}", case.name);
        }
        // Still serving: a hover at the end of the text answers.
        let hover =
            server.request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }));
        assert!(hover.get("error").is_none(), "{}: {hover}", case.name);
        server.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    }
    assert!(server.is_running(), "the server went down:\n{}", server.stderr_tail());
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr_tail());
}
