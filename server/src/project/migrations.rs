//! The migrations of one folder as one history: parsed once, applied in the order they run,
//! with the schema before each of them and the schema after all of them. Schema rules judge
//! a migration against where the schema ends up (a problem a later migration fixed is gone);
//! operational rules judge only the migrations that are not released yet ([`Changes`]).

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::SqlDialect;
use crate::sql::ParsedMigration;
use crate::sql::schema::Schema;

/// A schema is kept every this many migrations; the one before a migration is rebuilt from
/// the nearest.
const CHECKPOINT_EVERY: usize = 16;

struct Entry {
    path: PathBuf,
    text: Arc<str>,
    parsed: Arc<ParsedMigration>,
}

/// The up migrations of one folder, in the order they run.
pub struct MigrationHistory {
    pub root: PathBuf,
    pub dialect: SqlDialect,
    entries: Vec<Entry>,
    by_path: HashMap<PathBuf, usize>,
    /// The schema before migration `i * CHECKPOINT_EVERY`.
    checkpoints: Vec<Arc<Schema>>,
    /// The schema after every migration.
    pub final_schema: Arc<Schema>,
}

impl std::fmt::Debug for MigrationHistory {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("MigrationHistory")
            .field("root", &self.root)
            .field("migrations", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl MigrationHistory {
    /// The history of `migrations` (up migrations of one folder, already in the order they
    /// run, with their texts), parsed in `dialect`.
    pub fn build(root: &Path, dialect: SqlDialect, migrations: Vec<(PathBuf, Arc<str>)>) -> MigrationHistory {
        let entries: Vec<Entry> = crate::parallel::map(&migrations, |(path, text)| Entry {
            path: path.clone(),
            text: text.clone(),
            parsed: Arc::new(ParsedMigration::parse(text, dialect, false)),
        });
        let mut schema = Schema::default();
        let mut checkpoints = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            if index % CHECKPOINT_EVERY == 0 {
                checkpoints.push(Arc::new(schema.clone()));
            }
            schema.current = index;
            apply(&mut schema, &entry.parsed);
        }
        let by_path = entries.iter().enumerate().map(|(index, entry)| (entry.path.clone(), index)).collect();
        MigrationHistory { root: root.to_path_buf(), dialect, entries, by_path, checkpoints, final_schema: Arc::new(schema) }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the history holds this migration with this text.
    pub fn holds(&self, path: &Path, text: &str) -> bool {
        self.by_path.get(path).is_some_and(|index| &*self.entries[*index].text == text)
    }

    /// The parsed migration at `path`.
    pub fn parsed(&self, path: &Path) -> Option<Arc<ParsedMigration>> {
        self.by_path.get(path).map(|index| self.entries[*index].parsed.clone())
    }

    /// The schema the migrations before `path` built.
    pub fn schema_before(&self, path: &Path) -> Schema {
        let Some(&index) = self.by_path.get(path) else { return (*self.final_schema).clone() };
        let checkpoint = index / CHECKPOINT_EVERY;
        let mut schema = (*self.checkpoints[checkpoint]).clone();
        for (position, entry) in self.entries.iter().enumerate().take(index).skip(checkpoint * CHECKPOINT_EVERY) {
            schema.current = position;
            apply(&mut schema, &entry.parsed);
        }
        schema.current = index;
        schema
    }

    /// The migrations of the history, in order, with their texts.
    pub fn migrations(&self) -> Vec<(PathBuf, Arc<str>)> {
        self.entries.iter().map(|entry| (entry.path.clone(), entry.text.clone())).collect()
    }

    /// The position of a migration in the history.
    pub fn position(&self, path: &Path) -> Option<usize> {
        self.by_path.get(path).copied()
    }
}

fn apply(schema: &mut Schema, parsed: &ParsedMigration) {
    for (_, _, statement) in parsed.up_statements() {
        schema.apply(statement);
    }
}

/// What version control says changed: the files new or changed since a base (the merge-base
/// with the default branch, or the revision `--diff` names), committed or not, and the lines
/// each changed. Files not listed are as they were at the base: released.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// The revision compared with.
    pub base: String,
    /// Changed files, with the ranges of lines (0-based, end exclusive) they changed; `None`
    /// for a file that is new as a whole.
    pub files: HashMap<PathBuf, Option<Vec<Range<u32>>>>,
}

impl Changes {
    /// Whether a file is new or changed since the base.
    pub fn touches(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }

    /// Whether line `line` (0-based) of `path` is new or changed since the base.
    pub fn touches_line(&self, path: &Path, line: u32) -> bool {
        match self.files.get(path) {
            Some(None) => true,
            Some(Some(ranges)) => ranges.iter().any(|range| range.contains(&line)),
            None => false,
        }
    }

    /// Whether any line of `lines` (0-based, end inclusive) of `path` changed.
    pub fn touches_lines(&self, path: &Path, lines: std::ops::RangeInclusive<u32>) -> bool {
        match self.files.get(path) {
            Some(None) => true,
            Some(Some(ranges)) => ranges.iter().any(|range| range.start <= *lines.end() && *lines.start() < range.end),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_before_each_migration_and_after_all() {
        let root = PathBuf::from("/w/migrations");
        let migrations: Vec<(PathBuf, Arc<str>)> = (0..40)
            .map(|index| {
                let text = if index == 0 {
                    "CREATE TABLE t (id int PRIMARY KEY, at timestamp);".to_owned()
                } else if index == 39 {
                    "ALTER TABLE t ALTER COLUMN at TYPE timestamptz;".to_owned()
                } else {
                    format!("ALTER TABLE t ADD COLUMN c{index} int;")
                };
                (root.join(format!("{index:04}_m.sql")), Arc::from(text.as_str()))
            })
            .collect();
        let history = MigrationHistory::build(&root, SqlDialect::Postgres, migrations);
        assert_eq!(history.len(), 40);
        let before = history.schema_before(&root.join("0020_m.sql"));
        assert_eq!(before.tables["t"].columns.len(), 2 + 19, "id, at, c1..c19");
        assert!(history.final_schema.tables["t"].types["at"].to_string().eq_ignore_ascii_case("timestamptz"));
        assert!(history.holds(&root.join("0001_m.sql"), "ALTER TABLE t ADD COLUMN c1 int;"));
        assert!(!history.holds(&root.join("0001_m.sql"), "changed"));
    }

    #[test]
    fn changes_by_file_and_line() {
        let mut changes = Changes::default();
        changes.files.insert(PathBuf::from("/w/a.rs"), Some(vec![3..5, 8..9]));
        changes.files.insert(PathBuf::from("/w/new.rs"), None);
        assert!(
            changes.touches_line(Path::new("/w/a.rs"), 4)
                && !changes.touches_line(Path::new("/w/a.rs"), 5)
                && changes.touches_line(Path::new("/w/a.rs"), 8)
        );
        assert!(changes.touches_lines(Path::new("/w/a.rs"), 0..=3) && !changes.touches_lines(Path::new("/w/a.rs"), 5..=7));
        assert!(changes.touches_line(Path::new("/w/new.rs"), 100));
        assert!(!changes.touches(Path::new("/w/b.rs")));
    }
}
