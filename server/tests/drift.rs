//! Spec/code drift on whole projects (`testdata/drift/*`): each project's `expected.txt` lists
//! the ARC findings `archlens check` reports, one per line (`path:line CODE severity message`).
//! `ARCHLENS_BLESS=1` writes the lists afresh.

use std::path::Path;
use std::process::Command;

fn findings(project: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_archlens"))
        .args(["check", "--select", "ARC002,ARC003,ARC004", "--format", "json"])
        .arg(project)
        .output()
        .expect("run archlens");
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON findings");
    let mut lines: Vec<String> = findings
        .as_array()
        .expect("an array")
        .iter()
        .map(|finding| {
            let path = Path::new(finding["path"].as_str().unwrap());
            let relative = path.strip_prefix(project).unwrap_or(path).display().to_string();
            format!(
                "{relative}:{} {} {} {}",
                finding["start"]["line"],
                finding["code"].as_str().unwrap(),
                finding["severity"].as_str().unwrap(),
                finding["message"].as_str().unwrap()
            )
        })
        .collect();
    lines.sort();
    lines.iter().map(|line| format!("{line}\n")).collect()
}

#[test]
fn drift_projects_report_what_they_expect() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/drift");
    let mut projects: Vec<_> = std::fs::read_dir(&root).unwrap().flatten().map(|entry| entry.path()).filter(|path| path.is_dir()).collect();
    projects.sort();
    assert!(projects.len() >= 4, "{projects:?}");
    let mut failures = Vec::new();
    let mut all = String::new();
    for project in projects {
        let relative = Path::new("testdata/drift").join(project.file_name().unwrap());
        let project = std::fs::canonicalize(&project).unwrap();
        let actual = findings(&project);
        all.push_str(&actual);
        let expected_path = project.join("expected.txt");
        if std::env::var_os("ARCHLENS_BLESS").is_some() {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!("{}:\n--- expected\n{expected}--- actual\n{actual}", relative.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for rule in archlens::rules::registry()
        .iter()
        .filter(|rule| rule.meta().input == archlens::rules::Input::Service && !rule.meta().is_for_tests())
    {
        assert!(all.contains(&format!(" {} ", rule.meta().code)), "no drift project fires {}", rule.meta().code);
    }
}
