//! Markers that teams already write for peer tools to say a statement was reviewed, honoured
//! by the operational rules: squawk's `-- squawk-ignore rule-name` (above a statement) and
//! `-- squawk-ignore-file` (anywhere), and diesel-guard's `-- safety-assured:start` …
//! `-- safety-assured:end` blocks.

use super::{ParsedMigration, Statement};

/// The squawk rules that say what each operational rule says.
fn squawk_rules(code: &str) -> &'static [&'static str] {
    match code {
        "DB001" => &["ban-drop-column", "ban-drop-table", "ban-drop-database", "renaming-column", "renaming-table", "ban-truncate-cascade"],
        "DB002" => &["require-concurrent-index-creation", "require-concurrent-index-deletion"],
        "DB003" => &["adding-not-nullable-field", "adding-required-field", "adding-field-with-default"],
        _ => &[],
    }
}

/// Whether a marker says `statement` was reviewed for what `code` finds.
pub fn reviewed(text: &str, migration: &ParsedMigration, statement: &Statement, code: &str) -> bool {
    let names_code = |names: &str| {
        let names: Vec<&str> = names.split([',', ' ']).map(str::trim).filter(|name| !name.is_empty()).collect();
        names.is_empty() || names.iter().any(|name| squawk_rules(code).contains(name) || name.eq_ignore_ascii_case(code))
    };
    let mut assured_from: Option<usize> = None;
    for comment in &migration.comments {
        let body = text[comment.body.clone()].trim();
        if let Some(names) = body.strip_prefix("squawk-ignore-file") {
            if names_code(names) {
                return true;
            }
        } else if let Some(names) = body.strip_prefix("squawk-ignore") {
            if comment.span.end <= statement.span.start && attached(&text[comment.span.end..statement.span.start]) && names_code(names) {
                return true;
            }
        } else if body.starts_with("safety-assured:start") && comment.span.end <= statement.span.start {
            assured_from = Some(comment.span.end);
        } else if body.starts_with("safety-assured:end") && assured_from.is_some() {
            if comment.span.start >= statement.span.end {
                return true;
            }
            assured_from = None;
        }
    }
    false
}

/// Whether the text between a comment and a statement holds only blank lines and other
/// comments: the comment is about the statement.
fn attached(between: &str) -> bool {
    between.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with("--")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SqlDialect;

    fn reviewed_at(text: &str, needle: &str, code: &str) -> bool {
        let migration = ParsedMigration::parse(text, SqlDialect::Postgres, false);
        let at = text.find(needle).unwrap();
        let statement = migration.statements.iter().find(|statement| statement.span.contains(&at)).unwrap();
        reviewed(text, &migration, statement, code)
    }

    #[test]
    fn squawk_and_diesel_guard_markers() {
        let text = "-- squawk-ignore ban-drop-column\nALTER TABLE t DROP COLUMN a;\nALTER TABLE t DROP COLUMN b;\n-- squawk-ignore\nCREATE INDEX i ON t (c);\n";
        assert!(reviewed_at(text, "COLUMN a", "DB001"));
        assert!(!reviewed_at(text, "COLUMN b", "DB001"));
        assert!(!reviewed_at(text, "COLUMN a", "DB002"), "another squawk rule");
        assert!(reviewed_at(text, "INDEX i", "DB002"), "every rule");
        let file = "-- squawk-ignore-file require-concurrent-index-creation\nCREATE INDEX i ON t (c);\nDROP TABLE u;\n";
        assert!(reviewed_at(file, "INDEX", "DB002") && !reviewed_at(file, "DROP", "DB001"));
        let block = "-- safety-assured:start\nDROP TABLE a;\n-- safety-assured:end\nDROP TABLE b;\n";
        assert!(reviewed_at(block, "TABLE a", "DB001") && !reviewed_at(block, "TABLE b", "DB001"));
    }
}
