//! Runs the SQL rules over one migration, in the history of its folder (the schema before
//! it, the schema after all of them, whether it is released), then applies
//! `-- archlens: allow(CODE)` comments, configured severities and suppression fixes.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

use crate::analysis::{Diagnostic, FileReport, Fix, Report, Sink};
use crate::config::{Config, SqlDialect};
use crate::line_index::{ColumnUnit, LineIndex};
use crate::openapi::edit::TextEdit;
use crate::project::migrations::MigrationHistory;
use crate::rules::RuleMeta;
use crate::sql::schema::Schema;
use crate::sql::{ParsedMigration, SqlFile, Statement, is_down_migration};

/// Checks one migration, written for `dialect`, with every enabled SQL rule, in the `history`
/// of its folder when it has a place there. Down migrations are not checked: what they bring
/// back was reported where it was first made.
pub fn check_file(
    path: &Path,
    text: Arc<str>,
    config: &Config,
    dialect: SqlDialect,
    history: Option<&MigrationHistory>,
    released: bool,
) -> Report {
    let mut diagnostics = Vec::new();
    if !is_down_migration(path) && !crate::sql::is_example(path) {
        let started = std::time::Instant::now();
        let file = match history.filter(|history| history.holds(path, &text)) {
            Some(history) => {
                let parsed = history.parsed(path).map(|parsed| (*parsed).clone()).unwrap_or_default();
                SqlFile::new(path, &text, dialect, parsed, history.schema_before(path)).in_history(
                    history.final_schema.clone(),
                    released,
                    Arc::new(history.migrations()),
                )
            }
            None => {
                let parsed = ParsedMigration::parse(&text, dialect, false);
                let file = SqlFile::new(path, &text, dialect, parsed, Schema::default());
                let last = Arc::new(file.after.clone());
                let alone = file.history.clone();
                file.in_history(last, released, alone)
            }
        };
        diagnostics = run_rules(&file, config);
        tracing::debug!(path = %path.display(), elapsed = ?started.elapsed(), "migration checked");
    }
    Report { files: vec![FileReport { path: path.to_path_buf(), text, diagnostics }] }
}

fn run_rules(file: &SqlFile<'_>, config: &Config) -> Vec<Diagnostic> {
    let config = config.for_file(file.path);
    let index = LineIndex::new(file.text);
    let allows = Allows::of(file, &index);
    let mut diagnostics = Vec::new();
    for rule in
        crate::rules::registry().iter().filter(|rule| rule.meta().input == crate::rules::Input::Sql && config.is_enabled(rule.meta()))
    {
        let meta = rule.meta();
        let mut sink = Sink::default();
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| rule.check_sql(file, &mut sink))) {
            tracing::error!(rule = meta.code, path = %file.path.display(), "rule panicked; its findings are dropped: {panic:?}");
            continue;
        }
        for finding in sink.into_findings() {
            let statement = statement_at(file, finding.span.start);
            if allows.allows(meta, &index, file.text, finding.span.start, statement) {
                continue;
            }
            diagnostics.push(Diagnostic {
                rule: meta,
                severity: config.severity_of(meta, finding.severity),
                path: file.path.to_path_buf(),
                suppression: Some(suppression_fix(
                    file.text,
                    &index,
                    statement.map_or(finding.span.start, |statement| statement.span.start),
                    meta,
                )),
                span: finding.span,
                pointer: finding.pointer,
                message: finding.message,
                fixes: finding.fixes,
                related: finding.elsewhere,
            });
        }
    }
    diagnostics
        .sort_by(|left, right| (left.span.start, left.rule.code, left.span.end).cmp(&(right.span.start, right.rule.code, right.span.end)));
    diagnostics
}

/// The statement that holds `offset`: the last one that starts at or before it.
fn statement_at<'f>(file: &'f SqlFile<'_>, offset: usize) -> Option<&'f Statement> {
    file.migration.statements.iter().take_while(|statement| statement.span.start <= offset).last()
}

/// The `-- archlens: allow(CODE)` comments of a migration (`/* archlens: allow(CODE) */` too).
struct Allows {
    /// Each comment's first and last line, whether it is alone on its lines, and its codes.
    comments: Vec<(usize, usize, bool, Vec<String>)>,
    /// The lines of comments at the top of the file that are not attached to the first
    /// statement: they apply to the whole file.
    file_wide: Vec<String>,
}

impl Allows {
    fn of(file: &SqlFile<'_>, index: &LineIndex) -> Allows {
        let text = file.text;
        let line_of = |offset: usize| index.position(text, offset, ColumnUnit::Utf8).line as usize;
        let mut comments = Vec::new();
        for comment in &file.migration.comments {
            let body = text[comment.body.clone()].trim().trim_start_matches('*').trim();
            let Some(codes) = crate::analysis::suppression::parse_allow(body) else { continue };
            let (first, last) = (line_of(comment.span.start), line_of(comment.span.end));
            let line_start = index.line_range(text, first).start;
            let alone = text[line_start.min(comment.span.start)..comment.span.start].trim().is_empty();
            comments.push((first, last, alone, codes));
        }
        let first_statement_line = file.migration.statements.first().map(|statement| line_of(statement.span.start));
        let attached_to_first = first_statement_line.map(|line| attached_lines(text, index, line)).unwrap_or(usize::MAX..usize::MAX);
        let file_wide = comments
            .iter()
            .filter(|(first, last, _, _)| first_statement_line.is_none_or(|line| *last < line) && !attached_to_first.contains(first))
            .flat_map(|(_, _, _, codes)| codes.iter().cloned())
            .collect();
        Allows { comments, file_wide }
    }

    /// Whether a comment allows `meta` for a finding at `offset`: at the top of the file, on
    /// the finding's line or the line above it, or above or at the end of the first line of
    /// the statement that holds it.
    fn allows(&self, meta: &RuleMeta, index: &LineIndex, text: &str, offset: usize, statement: Option<&Statement>) -> bool {
        let names = |codes: &Vec<String>| codes.iter().any(|code| meta.is_named(code));
        if self.file_wide.iter().any(|code| meta.is_named(code)) {
            return true;
        }
        let line = index.position(text, offset, ColumnUnit::Utf8).line as usize;
        let statement_line = statement.map_or(line, |statement| index.position(text, statement.span.start, ColumnUnit::Utf8).line as usize);
        let attached = attached_lines(text, index, statement_line);
        self.comments.iter().filter(|(_, _, _, codes)| names(codes)).any(|(first, last, alone, _)| {
            *first == line || *first == statement_line || (*alone && (*last + 1 == line || attached.contains(first)))
        })
    }
}

/// The run of comment-only lines right above `line`.
fn attached_lines(text: &str, index: &LineIndex, line: usize) -> std::ops::Range<usize> {
    let mut first = line;
    while first > 0 {
        let above = text[index.line_range(text, first - 1)].trim_start();
        if !(above.starts_with("--") || above.starts_with("/*") || above.starts_with('*')) {
            break;
        }
        first -= 1;
    }
    first..line
}

/// `-- archlens: allow(CODE)` above the statement's first line, indented like it, or the code
/// added to an allow comment already there.
fn suppression_fix(text: &str, index: &LineIndex, statement_start: usize, meta: &RuleMeta) -> Fix {
    let title = format!("Allow {} ({}) for this statement", meta.code, meta.name);
    let line = index.position(text, statement_start, ColumnUnit::Utf8).line as usize;
    let range = index.line_range(text, line);
    if line > 0 {
        let above = index.line_range(text, line - 1);
        let above_text = &text[above.clone()];
        if let Some(codes) = crate::analysis::suppression::parse_allow(above_text.trim_start().trim_start_matches('-'))
            && above_text.trim_start().starts_with("--")
            && let Some(close) = above_text.rfind(')')
        {
            let separator = if codes.is_empty() { "" } else { ", " };
            return Fix::new(title, vec![TextEdit::insert(above.start + close, format!("{separator}{}", meta.code))]);
        }
    }
    let indent: String = text[range.clone()].chars().take_while(|character| *character == ' ' || *character == '\t').collect();
    let newline = if text[range.end..].starts_with("\r\n") { "\r\n" } else { "\n" };
    Fix::new(title, vec![TextEdit::insert(range.start, format!("{indent}-- archlens: allow({}){newline}", meta.code))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SqlDialect;

    #[test]
    fn allow_comments_apply_to_a_statement_a_line_or_the_file() {
        let meta = crate::rules::find_rule("API001").unwrap();
        let allowed = |text: &str, needle: &str| {
            let migration = ParsedMigration::parse(text, SqlDialect::Postgres, false);
            let file = SqlFile::new(Path::new("m.sql"), text, SqlDialect::Postgres, migration, Schema::default());
            let index = LineIndex::new(text);
            let offset = text.find(needle).unwrap();
            Allows::of(&file, &index).allows(meta, &index, text, offset, statement_at(&file, offset))
        };
        let statement = "SELECT 1;\n-- why\n-- archlens: allow(API001)\nCREATE TABLE t (\n  a int,\n  b int\n);\nDROP TABLE u;\n";
        assert!(allowed(statement, "b int"));
        assert!(!allowed(statement, "DROP"));
        let line = "CREATE TABLE t (\n  a int,\n  -- archlens: allow(verb-in-path)\n  b int\n);";
        assert!(allowed(line, "b int") && !allowed(line, "a int"));
        assert!(allowed("DROP TABLE u; -- archlens: allow(API001)\n", "DROP"));
        assert!(allowed("/* archlens: allow(API001) */\n\nSELECT 1;\nDROP TABLE u;\n", "DROP"));
        // Attached to the first statement, not to the file.
        assert!(!allowed("-- archlens: allow(API001)\nSELECT 1;\nDROP TABLE u;\n", "DROP"));
    }

    #[test]
    fn the_suppression_goes_above_the_statement_or_joins_the_comment_there() {
        let meta = crate::rules::find_rule("API001").unwrap();
        let fix = |text: &str| {
            let index = LineIndex::new(text);
            let fix = suppression_fix(text, &index, text.find("DROP").unwrap(), meta);
            crate::openapi::edit::apply_edits(text, &fix.edits)
        };
        assert_eq!(fix("SELECT 1;\r\n  DROP TABLE u;\r\n"), "SELECT 1;\r\n  -- archlens: allow(API001)\r\n  DROP TABLE u;\r\n");
        assert_eq!(fix("-- archlens: allow(DB002)\nDROP TABLE u;"), "-- archlens: allow(DB002, API001)\nDROP TABLE u;");
    }
}
