//! SQL migrations: `.sql` files under a folder named `migrations` (sqlx, diesel, refinery,
//! dbmate, goose) and those `[sql] migrations` names, checked one at a time against the
//! schema that the migrations before them in their folder built.
//!
//! A migration is split into statements by [`split`] and each statement the rules read is
//! parsed on its own ([`file`]), so one statement the parser cannot read is one finding and
//! the rest of the file is still checked. [`schema`] follows tables, columns, primary keys
//! and indexes from one migration to the next. Every earlier migration is parsed again for
//! each check (0.9 s for a `check` of 300 migrations); files are listed and read by
//! `workspace`, through the `FileSource`.

pub mod file;
pub mod schema;
pub mod split;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use file::{ParsedMigration, SqlFile, Statement, StatementKind};
use schema::Schema;

use crate::analysis::{Diagnostic, FileReport, Fix, Report, Sink};
use crate::config::{Config, SqlDialect};
use crate::line_index::{ColumnUnit, LineIndex};
use crate::openapi::edit::TextEdit;
use crate::openapi::project::FileSource;
use crate::rules::RuleMeta;

/// Whether a path is an SQL file.
pub fn is_sql_file(path: &Path) -> bool {
    path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("sql"))
}

/// Whether a path is a migration by where it is: an `.sql` file anywhere under a folder named
/// `migrations` (`migrations/20240101120000_orders.sql`,
/// `migrations/2024-01-01-000000_orders/up.sql`, `db/migrations/V3__orders.sql`). Files that
/// `[sql] migrations` names are migrations too (`Config::is_declared_migration`).
pub fn is_migration_file(path: &Path) -> bool {
    is_sql_file(path) && path.parent().is_some_and(|parent| parent.components().any(|component| component.as_os_str() == "migrations"))
}

/// Whether a migration undoes another: diesel's and sqlx's `down.sql`, sqlx's and
/// golang-migrate's `*.down.sql`. The rules leave these alone, and they are not part of the
/// schema the next migrations see.
pub fn is_down_migration(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else { return false };
    let lower = name.to_ascii_lowercase();
    lower == "down.sql" || lower.ends_with(".down.sql")
}

/// Whether the check of `later` reads `earlier`: both are up migrations of one folder, and
/// `later` comes after it.
pub fn reads_earlier(later: &Path, earlier: &Path) -> bool {
    later != earlier
        && !is_down_migration(later)
        && !is_down_migration(earlier)
        && migration_root(later) == migration_root(earlier)
        && matches!((order_key(earlier), order_key(later)), (Some(first), Some(second)) if first < second)
}

/// The folder whose migrations run in one sequence: the file's own folder, or the folder
/// above for migrations that are folders (`2024-01-01-000000_orders/up.sql`).
pub fn migration_root(path: &Path) -> &Path {
    let parent = path.parent().unwrap_or(Path::new(""));
    if is_folder_migration(path) { parent.parent().unwrap_or(parent) } else { parent }
}

fn is_folder_migration(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.eq_ignore_ascii_case("up.sql") || name.eq_ignore_ascii_case("down.sql"))
}

/// The name of a migration: its folder's for `up.sql`, else its file's without `.up.sql`,
/// `.down.sql` or `.sql`.
fn migration_name(path: &Path) -> Option<&str> {
    let name = if is_folder_migration(path) { path.parent()?.file_name()? } else { path.file_name()? };
    let name = name.to_str()?;
    let lower = name.to_ascii_lowercase();
    let suffix = [".up.sql", ".down.sql", ".sql"].iter().find(|suffix| lower.ends_with(**suffix)).map_or(0, |suffix| suffix.len());
    name.get(..name.len() - suffix)
}

/// The order migrations run in: by the numbers of their version (sqlx's `20240101120000_`,
/// diesel's `2024-01-01-000000_`, refinery's `V3__` and `V3.1__`), then by name. A file with
/// no version number has no place in the sequence: it is checked alone.
type OrderKey = (Vec<(usize, String)>, String);

fn order_key(path: &Path) -> Option<OrderKey> {
    let name = migration_name(path)?;
    let refinery = name.len() > 1
        && name.starts_with(['V', 'U', 'v', 'u'])
        && name.as_bytes().get(1).is_some_and(u8::is_ascii_digit)
        && name.contains("__");
    let version = if refinery { &name[1..name.find("__").unwrap_or(name.len())] } else { name.split('_').next().unwrap_or(name) };
    let numbers: Vec<(usize, String)> = version
        .split(|character: char| !character.is_ascii_digit())
        .filter(|digits| !digits.is_empty())
        .map(|digits| {
            let significant = digits.trim_start_matches('0');
            (significant.len(), significant.to_owned())
        })
        .collect();
    if numbers.is_empty() {
        return None;
    }
    Some((numbers, name.to_owned()))
}

/// The up migrations that run before `path`, in order, among `candidates`: the files of its
/// folder and the `up.sql` of its sub-folders (`workspace::migration_candidates` lists them,
/// with the editor's unsaved buffers).
pub fn earlier_migrations(path: &Path, config: &Config, candidates: Vec<PathBuf>) -> Vec<PathBuf> {
    let Some(key) = order_key(path) else { return Vec::new() };
    let root = migration_root(path);
    let mut earlier: Vec<(OrderKey, PathBuf)> = candidates
        .into_iter()
        .filter(|candidate| {
            candidate != path
                && migration_root(candidate) == root
                && !is_down_migration(candidate)
                && (is_migration_file(candidate) || (is_sql_file(candidate) && config.is_declared_migration(candidate)))
        })
        .filter_map(|candidate| Some((order_key(&candidate)?, candidate)))
        .filter(|(candidate_key, _)| *candidate_key < key)
        .collect();
    earlier.sort();
    earlier.dedup_by(|left, right| left.1 == right.1);
    earlier.into_iter().map(|(_, candidate)| candidate).collect()
}

/// The schema the earlier migrations build, read from `source`.
pub fn schema_before(earlier: &[PathBuf], config: &Config, source: &dyn FileSource) -> Schema {
    let mut schema = Schema::default();
    for earlier in earlier {
        let text = match source.read(earlier) {
            Ok(text) => text,
            // A folder `up.sql` names that does not exist, a file that is not UTF-8.
            Err(_) => continue,
        };
        for statement in &schema_statements(&text, config.sql_dialect) {
            schema.apply(statement);
        }
    }
    schema
}

/// The parsed up statements of a migration, for the schema of the ones after it.
fn schema_statements(text: &str, dialect: SqlDialect) -> Vec<sqlparser::ast::Statement> {
    let migration = ParsedMigration::parse(text, dialect, false);
    migration.statements.into_iter().filter(|statement| !statement.down).flat_map(|statement| statement.parsed).collect()
}

/// Checks one migration with every enabled SQL rule, against the schema of the `earlier`
/// migrations ([`earlier_migrations`]). Down migrations are not checked: what they bring back
/// was reported where it was first made.
pub fn check_file(path: &Path, text: Arc<str>, config: &Config, source: &dyn FileSource, earlier: &[PathBuf]) -> Report {
    let mut diagnostics = Vec::new();
    if !is_down_migration(path) {
        let started = std::time::Instant::now();
        let before = schema_before(earlier, config, source);
        let dialect = config.sql_dialect;
        let file = SqlFile::new(path, &text, dialect, ParsedMigration::parse(&text, dialect, false), before);
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
                related: Vec::new(),
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

    #[test]
    fn migrations_are_found_by_their_folder() {
        assert!(is_migration_file(Path::new("/w/migrations/20240101120000_orders.sql")));
        assert!(is_migration_file(Path::new("/w/migrations/2024-01-01-000000_orders/up.sql")));
        assert!(is_migration_file(Path::new("/w/crates/db/migrations/V3__orders.SQL")));
        assert!(!is_migration_file(Path::new("/w/sql/schema.sql")));
        assert!(!is_migration_file(Path::new("/w/migrations/README.md")));
        assert!(is_down_migration(Path::new("/w/migrations/2024-01-01-000000_orders/down.sql")));
        assert!(is_down_migration(Path::new("/w/migrations/0001_orders.down.sql")));
        assert!(!is_down_migration(Path::new("/w/migrations/0001_orders.up.sql")));
        // refinery's `U` prefix is an unversioned migration, not an undo.
        assert!(!is_down_migration(Path::new("/w/migrations/U2__orders.sql")));
    }

    #[test]
    fn migrations_run_in_version_order() {
        let mut paths = [
            "/w/migrations/V10__c.sql",
            "/w/migrations/V2__b.sql",
            "/w/migrations/V1.1__a2.sql",
            "/w/migrations/V1__a.sql",
            "/w/migrations/U3__u.sql",
        ]
        .map(PathBuf::from);
        paths.sort_by_key(|path| order_key(path));
        let names: Vec<&str> = paths.iter().map(|path| migration_name(path).unwrap()).collect();
        assert_eq!(names, ["V1__a", "V1.1__a2", "V2__b", "U3__u", "V10__c"]);
        assert!(reads_earlier(Path::new("/w/migrations/20240102000000_b.sql"), Path::new("/w/migrations/20240101000000_a.up.sql")));
        assert!(reads_earlier(
            Path::new("/w/migrations/2024-01-02-000000_b/up.sql"),
            Path::new("/w/migrations/2024-01-01-000000_a/up.sql")
        ));
        assert!(!reads_earlier(Path::new("/w/migrations/0001_a.sql"), Path::new("/w/migrations/0002_b.sql")));
        assert!(!reads_earlier(Path::new("/w/migrations/0002_b.sql"), Path::new("/w/other/0001_a.sql")));
        assert!(!reads_earlier(Path::new("/w/migrations/0002_b.sql"), Path::new("/w/migrations/0001_a.down.sql")));
        assert_eq!(order_key(Path::new("/w/migrations/seed.sql")), None);
        assert!(order_key(Path::new("/w/migrations/0009_a.sql")) < order_key(Path::new("/w/migrations/00010_a.sql")));
    }

    #[test]
    fn earlier_migrations_come_from_the_folder_and_open_buffers() {
        let folder = tempfile::tempdir().unwrap();
        let migrations = folder.path().join("migrations");
        std::fs::create_dir_all(migrations.join("2024-01-01-000000_users")).unwrap();
        std::fs::write(migrations.join("2024-01-01-000000_users/up.sql"), "CREATE TABLE users (id int PRIMARY KEY);").unwrap();
        std::fs::write(migrations.join("2024-01-01-000000_users/down.sql"), "DROP TABLE users;").unwrap();
        std::fs::create_dir_all(migrations.join("2024-03-01-000000_later")).unwrap();
        let current = migrations.join("2024-02-01-000000_orders/up.sql");
        let mut source = crate::workspace::OverlaySource::default();
        let unsaved = migrations.join("2024-01-15-000000_teams/up.sql");
        source
            .open
            .insert(unsaved.clone(), Arc::from("CREATE TABLE teams (id int PRIMARY KEY); ALTER TABLE users ADD COLUMN team_id int;"));
        let candidates = crate::workspace::migration_candidates(&current, &source);
        let earlier = earlier_migrations(&current, &Config::default(), candidates);
        assert_eq!(earlier, [migrations.join("2024-01-01-000000_users/up.sql"), unsaved]);
        let schema = schema_before(&earlier, &Config::default(), &source);
        assert_eq!(schema.tables.keys().collect::<Vec<_>>(), ["teams", "users"]);
        assert_eq!(schema.tables["users"].columns, ["id", "team_id"]);
    }

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
