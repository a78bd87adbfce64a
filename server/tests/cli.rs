//! The command line as a user runs it: exit codes, output formats, `rules` and `explain`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn archlens(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archlens")).args(arguments).current_dir(repository()).output().expect("the binary runs")
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn check_prints_rustc_style_findings_and_exits_1_on_errors() {
    let output = archlens(&["check", "testdata/sample-service"]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let text = stdout(&output);
    assert!(text.contains("error[SEC005]: server URL `http://staging.example.com/v1` uses plain HTTP"), "{text}");
    assert!(text.contains("--> testdata/sample-service/openapi/openapi.yaml:14:10"), "{text}");
    assert!(text.contains("   |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"), "{text}");
    assert!(text.contains("= help: Use https"), "{text}");
    assert_eq!(
        text.lines().last(),
        Some("archlens: 7 errors, 16 warnings, 13 infos in 1 OpenAPI document, 9 Rust files and 3 migrations"),
        "{text}"
    );
    // The migration under review (after `[sql] released-before`) is judged; the released
    // ones are not, and a problem a later migration fixed is gone.
    assert!(text.contains("warning[DB001]: dropping column `sku` of `order_items`"), "{text}");
    assert!(!text.contains("[DB003]") && !text.contains("[DB002]"), "released migrations: {text}");
    assert!(!text.contains("[DB005]"), "the last migration indexes `order_items.order_id`: {text}");
    assert!(text.contains("info[DB007]: `shipped_at` of `orders` is a `timestamp` without time zone"), "{text}");
    assert!(text.contains("error[SEC013]: SQL built with `format!` (`sql`) reaches `sqlx::query_as`"), "{text}");
}

#[test]
fn check_exits_0_without_errors_and_2_on_bad_paths() {
    let clean = archlens(&["check", "--ignore", "SEC,API019", "testdata/sample-service"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    let missing = archlens(&["check", "no/such/folder"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such file or folder"));
}

#[test]
fn check_speaks_json_and_github() {
    let json = archlens(&["check", "--format", "json", "--select", "API004", "testdata/sample-service"]);
    let findings: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    assert_eq!(findings[0]["code"], "API004");
    assert_eq!(findings[0]["start"], serde_json::json!({"line": 37, "column": 3}));
    assert_eq!(json.status.code(), Some(0), "a warning alone does not fail the run");
    let github = archlens(&["check", "--format", "github", "--select", "SEC005", "testdata/sample-service"]);
    let text = stdout(&github);
    assert!(text.starts_with("::error file=testdata/sample-service/openapi/openapi.yaml,line=14,col=10,"), "{text}");
}

#[test]
fn rules_and_explain() {
    let rules = stdout(&archlens(&["rules"]));
    assert_eq!(rules.lines().count(), 1 + archlens::rules::registry().len());
    assert!(rules.contains("API004   trailing-slash-path"), "{rules}");
    // Runs of two spaces or more separate the columns (editors split on them), whatever the
    // length of a name or an area.
    for line in rules.lines() {
        let columns: Vec<&str> = line.split("  ").map(str::trim).filter(|column| !column.is_empty()).collect();
        assert!(columns.len() == 6, "{line}: {columns:?}");
    }
    let explained = archlens(&["explain", "trailing-slash-path"]);
    assert_eq!(explained.status.code(), Some(0));
    assert!(stdout(&explained).starts_with("# API004 trailing-slash-path"));
    assert_eq!(archlens(&["explain", "API999"]).status.code(), Some(2));
}

#[test]
fn an_unreadable_document_is_a_finding_not_a_crash() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("openapi.yaml");
    std::fs::write(&path, b"openapi: 3.0.3\ninfo: {title: \xff\xfe}\n").expect("write");
    let output = archlens(&["check", path.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("error[API024]: the document cannot be read: the file is not valid UTF-8"), "{}", stdout(&output));
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create");
    for entry in std::fs::read_dir(from).expect("read").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn a_baseline_hides_known_findings_even_after_edits_and_shows_new_ones() {
    let folder = tempfile::tempdir().expect("temp dir");
    let project = folder.path().join("service");
    copy_tree(&repository().join("testdata/sample-service"), &project);
    let project_arg = project.to_str().expect("utf-8 path");
    let baseline = project.join(".archlens-baseline.json");
    let written = archlens(&["check", project_arg, "--write-baseline", baseline.to_str().expect("utf-8 path")]);
    assert_eq!(written.status.code(), Some(0), "{}", String::from_utf8_lossy(&written.stderr));

    // Nothing new: the baseline, named in archlens.toml, hides everything.
    std::fs::write(project.join("archlens.toml"), "baseline = \".archlens-baseline.json\"\n").expect("write");
    let quiet = archlens(&["check", project_arg]);
    assert_eq!(quiet.status.code(), Some(0), "{}", stdout(&quiet));
    assert!(stdout(&quiet).contains("no findings"), "{}", stdout(&quiet));

    // Lines move (a comment block at the top) and a new problem appears.
    let document = project.join("openapi/openapi.yaml");
    let text = std::fs::read_to_string(&document).expect("read");
    let moved = format!(
        "# Orders service.\n#\n# Maintained by the platform team.\n{}",
        text.replace(
            "paths:\n",
            "paths:\n  /newThings/:\n    get:\n      operationId: listNewThings\n      responses:\n        '200': {description: ok}\n"
        )
    );
    std::fs::write(&document, moved).expect("write");
    let after = archlens(&["check", "--format", "json", project_arg]);
    let findings: serde_json::Value = serde_json::from_slice(&after.stdout).expect("valid JSON");
    let messages: Vec<&str> = findings.as_array().expect("an array").iter().filter_map(|finding| finding["message"].as_str()).collect();
    assert!(!messages.is_empty(), "the new path is reported");
    assert!(messages.iter().all(|message| message.contains("newThings")), "only findings about the new path remain: {messages:#?}");
}

/// `[openapi] documents` adds files that detection by content misses; `[[overrides]]`
/// change rule settings for the files their globs match, relative to `archlens.toml`.
#[test]
fn declared_documents_and_per_path_overrides() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path();
    std::fs::write(
        root.join("archlens.toml"),
        "[openapi]\ndocuments = [\"contracts/*.oas\"]\n\n[[overrides]]\nfiles = [\"legacy/**\"]\nignore = [\"API004\"]\nseverity = { API002 = \"error\" }\n",
    )
    .unwrap();
    let document = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://api.example.com/v1'}]\npaths:\n  /orders/:\n    get:\n      responses: {'200': {description: ok}}\n  /orderItems:\n    get:\n      responses: {'200': {description: ok}}\n";
    for folder in ["contracts", "legacy/v1", "current"] {
        std::fs::create_dir_all(root.join(folder)).unwrap();
    }
    std::fs::write(root.join("contracts/orders.oas"), document).unwrap();
    std::fs::write(root.join("legacy/v1/orders.yaml"), document).unwrap();
    std::fs::write(root.join("current/orders.yaml"), document).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_archlens"))
        .args(["check", "--format", "json", "--select", "API002,API004", "."])
        .current_dir(root)
        .output()
        .unwrap();
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let mut seen: Vec<String> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| format!("{} {} {}", finding["path"].as_str().unwrap(), finding["code"], finding["severity"]))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            "contracts/orders.oas \"API002\" \"warning\"",
            "contracts/orders.oas \"API004\" \"warning\"",
            "current/orders.yaml \"API002\" \"warning\"",
            "current/orders.yaml \"API004\" \"warning\"",
            "legacy/v1/orders.yaml \"API002\" \"error\"",
        ],
        "{}",
        stdout(&output)
    );
}

/// Related information: every place in JSON, the first ten in the terminal.
#[test]
fn related_information_in_json_and_human_output() {
    let fixture = "testdata/openapi/SEC001_unsecured-operation/fire_no_authentication_model.yaml";
    let json = archlens(&["check", "--format", "json", "--select", "SEC001", fixture]);
    let findings: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    let related = findings[0]["related"].as_array().expect("a related list");
    assert_eq!(related.len(), 3, "{findings:#}");
    assert_eq!(related[0]["message"], "GET /notes has no security requirement");
    assert_eq!(related[0]["start"], serde_json::json!({"line": 11, "column": 5}));
    let human = stdout(&archlens(&["check", "--select", "SEC001", fixture]));
    assert!(human.contains("= note: DELETE /notes/{noteId} has no security requirement"), "{human}");
}

/// `[rust] queries` adds the team's own rules: they report in every format, SARIF included,
/// and are selected and ignored like the built-in ones.
#[test]
fn user_query_rules_for_rust() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path();
    std::fs::write(root.join("archlens.toml"), "[rust]\nqueries = \"lint\"\n").unwrap();
    std::fs::create_dir_all(root.join("lint")).unwrap();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("lint/no-expect.scm"),
        "; code: ACME001\n; message: repositories return errors\n(call_expression function: (field_expression field: (field_identifier) @method (#eq? @method \"expect\"))) @match\n",
    )
    .unwrap();
    std::fs::write(root.join("src/repository.rs"), "pub fn find(id: u64) -> Row {\n    load(id).expect(\"a row\")\n}\n").unwrap();
    let run = |format: &str, extra: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_archlens"))
            .args(["check", "--format", format])
            .args(extra)
            .arg(".")
            .current_dir(root)
            .output()
            .expect("the binary runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let human = run("human", &[]);
    assert!(human.contains("warning[ACME001]: repositories return errors"), "{human}");
    assert!(human.contains("--> src/repository.rs:2:5"), "{human}");
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif", &[])).expect("SARIF is JSON");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "ACME001");
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(sarif["runs"][0]["tool"]["driver"]["rules"][index]["id"], "ACME001");
    let ignored = run("human", &["--ignore", "ACME001"]);
    assert!(!ignored.contains("ACME001"), "{ignored}");
}

#[test]
fn diff_reports_only_the_lines_changed_since_a_revision() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let root = folder.path();
    let git = |arguments: &[&str]| {
        let status = Command::new("git").args(arguments).current_dir(root).output().expect("git runs");
        assert!(status.status.success(), "git {arguments:?}: {}", String::from_utf8_lossy(&status.stderr));
    };
    git(&["init", "-q"]);
    git(&["config", "user.email", "dev@example.com"]);
    git(&["config", "user.name", "dev"]);
    let old = "const OLD_API_SECRET: &str = \"k9Xq2LmP8vR4tZ7wQ3\";\n";
    std::fs::write(root.join("keys.rs"), old).unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "keys"]);
    let new = format!("{old}const NEW_API_SECRET: &str = \"Zt4Wq8Lm2Pk7Rv9Xn5\";\n");
    std::fs::write(root.join("keys.rs"), new).unwrap();
    let run = |arguments: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_archlens")).args(arguments).current_dir(root).output().expect("the binary runs");
        let findings: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
        findings.as_array().unwrap().iter().map(|finding| finding["start"]["line"].as_u64().unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(run(&["check", ".", "--format", "json", "--select", "SEC012"]), [1, 2]);
    assert_eq!(run(&["check", ".", "--format", "json", "--select", "SEC012", "--diff", "HEAD"]), [2], "only the new line");
    let bad =
        Command::new(env!("CARGO_BIN_EXE_archlens")).args(["check", ".", "--diff", "no-such-revision"]).current_dir(root).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn rules_off_by_default_run_when_selected_by_name() {
    let listing = stdout(&archlens(&["rules"]));
    let personal = listing.lines().find(|line| line.starts_with("SEC017")).expect("SEC017 is listed");
    assert!(personal.contains(" off "), "{personal}");
    let folder = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        folder.path().join("login.rs"),
        "pub async fn login(form: Form) {\n    tracing::info!(email = %form.email, \"login\");\n}\n",
    )
    .unwrap();
    let file = folder.path().join("login.rs");
    let run = |extra: &[&str]| {
        let mut arguments = vec!["check", file.to_str().unwrap(), "--format", "json"];
        arguments.extend_from_slice(extra);
        let output = archlens(&arguments);
        let findings: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
        findings.as_array().unwrap().iter().filter(|finding| finding["code"] == "SEC017").count()
    };
    assert_eq!(run(&[]), 0, "off by default");
    assert_eq!(run(&["--select", "SEC"]), 0, "an area selects only the rules on by default");
    assert_eq!(run(&["--extend-select", "personal-data-logged"]), 1);
    assert_eq!(run(&["--select", "SEC017"]), 1);
}
