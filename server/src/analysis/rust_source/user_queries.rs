//! The user's own query rules for Rust: a folder named by `[rust] queries` in
//! `archlens.toml`, one tree-sitter query a file. The first comment lines of a file say what
//! the rule is:
//!
//! ```text
//! ; code: ACME001
//! ; name: no-unwrap-in-repositories
//! ; message: repositories return errors, they do not unwrap
//! ; severity: warning
//! (call_expression function: (field_expression field: (field_identifier) @method (#eq? @method "unwrap"))) @match
//! ```
//!
//! `code` and `message` are required; `name` defaults to the file name and `severity` to
//! warning. A finding is reported on the `@match` capture (or the first capture). Files are
//! compiled once per content and kept; a file that cannot be used is skipped with a warning.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use tree_sitter::Query;

use crate::analysis::Severity;
use crate::rules::{Area, Input, RuleMeta};

/// One rule of the user's.
pub struct UserRule {
    pub meta: &'static RuleMeta,
    pub message: String,
    pub query: Query,
}

/// Loaded rules by file, with the text they came from: a file is compiled again only when it
/// changes. Rule metadata lives as long as the process, like the built-in rules'.
static LOADED: LazyLock<Mutex<HashMap<PathBuf, Loaded>>> = LazyLock::new(Default::default);

/// A compiled rule and the text of its file.
type Loaded = (String, Arc<UserRule>);

/// The rules of a folder, in file-name order.
pub fn load(folder: &Path) -> Vec<Arc<UserRule>> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(folder) {
        Ok(entries) => entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "scm"))
            .collect(),
        Err(error) => {
            tracing::warn!(folder = %folder.display(), "the Rust query folder cannot be read: {error}");
            return Vec::new();
        }
    };
    files.sort();
    let mut loaded = LOADED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut rules = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            tracing::warn!(path = %path.display(), "the query rule cannot be read");
            continue;
        };
        if let Some((known, rule)) = loaded.get(&path)
            && *known == text
        {
            rules.push(rule.clone());
            continue;
        }
        match compile(&path, &text) {
            Ok(rule) => {
                let rule = Arc::new(rule);
                loaded.insert(path, (text, rule.clone()));
                rules.push(rule);
            }
            Err(error) => tracing::warn!(path = %path.display(), "the query rule is skipped: {error}"),
        }
    }
    rules
}

fn compile(path: &Path, text: &str) -> Result<UserRule, String> {
    let mut header: HashMap<&str, &str> = HashMap::new();
    for line in text.lines().map(str::trim).take_while(|line| line.starts_with(';') || line.is_empty()) {
        if let Some((key, value)) = line.trim_start_matches(';').split_once(':') {
            header.insert(key.trim(), value.trim());
        }
    }
    let code = header.get("code").copied().filter(|code| !code.is_empty()).ok_or("its header has no `; code: …` line")?;
    if crate::rules::find_rule(code).is_some() {
        return Err(format!("`{code}` is the code of a built-in rule"));
    }
    let message = header.get("message").copied().filter(|message| !message.is_empty()).ok_or("its header has no `; message: …` line")?;
    let severity = match header.get("severity") {
        Some(written) => Severity::parse(written).ok_or_else(|| format!("unknown severity `{written}`"))?,
        None => Severity::Warning,
    };
    let stem = path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
    let name = header.get("name").map_or(stem, |name| (*name).to_owned());
    let query = crate::rust::queries::compile(text).map_err(|error| format!("the query does not compile: {error}"))?;
    let area = [Area::Api, Area::Sec, Area::Scl, Area::Db, Area::Arc, Area::Prc]
        .into_iter()
        .find(|area| code.starts_with(area.prefix()))
        .unwrap_or(Area::Prc);
    let docs = format!(
        " ## What it does\n Checks for what the query rule `{}` matches: {message}.\n\n ## Why is this bad?\n Your team's rule, from `archlens.toml` `[rust] queries`.\n\n ## Example\n See the query in `{}`.\n",
        path.display(),
        path.display()
    );
    let meta: &'static RuleMeta = Box::leak(Box::new(RuleMeta {
        code: Box::leak(code.to_owned().into_boxed_str()),
        name: Box::leak(name.into_boxed_str()),
        area,
        severity,
        raw_docs: Box::leak(docs.into_boxed_str()),
        input: Input::Rust,
    }));
    Ok(UserRule { meta, message: message.to_owned(), query })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn a_folder_of_query_rules_reports_with_its_header() {
        let folder = std::env::temp_dir().join(format!("archlens-user-queries-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("no-unwrap.scm"),
            "; code: ACME001\n; message: repositories return errors\n; severity: error\n(call_expression function: (field_expression field: (field_identifier) @method (#eq? @method \"unwrap\"))) @match\n",
        )
        .unwrap();
        std::fs::write(folder.join("broken.scm"), "; code: ACME002\n; message: m\n(call_expression\n").unwrap();
        std::fs::write(folder.join("taken.scm"), "; code: PRC001\n; message: m\n(identifier) @match\n").unwrap();
        std::fs::write(folder.join("headless.scm"), "(identifier) @match\n").unwrap();
        let rules = load(&folder);
        assert_eq!(rules.iter().map(|rule| rule.meta.code).collect::<Vec<_>>(), ["ACME001"], "the others are skipped");
        assert_eq!(rules[0].meta.name, "no-unwrap");

        let text: Arc<str> = Arc::from("fn find(id: u64) -> Row {\n    load(id).unwrap()\n}\n#[test]\nfn t() { x.unwrap(); }\n");
        let config = Config { rust_queries: Some(folder.clone()), ..Config::default() };
        let report = super::super::check_file(Path::new("/w/src/repository.rs"), text.clone(), &config, &Default::default());
        let found: Vec<_> = report.files[0].diagnostics.iter().filter(|diagnostic| diagnostic.rule.code == "ACME001").collect();
        assert_eq!(found.len(), 1, "tests stay silent");
        assert_eq!(&text[found[0].span.clone()], "load(id).unwrap()");
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(found[0].message, "repositories return errors");
        let ignored = Config { ignore: vec!["ACME001".into()], ..config };
        assert!(
            super::super::check_file(Path::new("/w/src/repository.rs"), text, &ignored, &Default::default()).files[0]
                .diagnostics
                .is_empty()
        );
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
