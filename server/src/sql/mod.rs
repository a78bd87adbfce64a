//! SQL migrations: `.sql` files under a folder named `migrations` (sqlx, diesel, refinery,
//! dbmate, goose) and those `[sql] migrations` names: which they are, in which order they
//! run, for which database, and whether they are released.
//!
//! A migration is split into statements by [`split`] and each statement the rules read is
//! parsed on its own ([`file`]), so one statement the parser cannot read is one finding and
//! the rest of the file is still checked. [`schema`] follows tables, columns, primary keys,
//! indexes and column types from one migration to the next; `project::migrations` keeps the
//! history of a folder, parsed once. [`markers`] reads the review markers of peer tools.

pub mod file;
pub mod markers;
pub mod schema;
pub mod split;

use std::path::{Path, PathBuf};

pub use file::{ParsedMigration, SqlFile, Statement, StatementKind};

use crate::config::{Config, SqlDialect};

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

/// Whether a migration belongs to an example or a demo (`examples/todo/migrations/…`): the
/// schema of a sample application, not the project's, which the rules leave alone.
pub fn is_example(path: &Path) -> bool {
    path.components().any(|component| matches!(component.as_os_str().to_str(), Some("examples" | "example" | "demo" | "demos")))
}

/// Whether a migration undoes another: diesel's and sqlx's `down.sql`, sqlx's and
/// golang-migrate's `*.down.sql`. The rules leave these alone, and they are not part of the
/// schema the next migrations see.
pub fn is_down_migration(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else { return false };
    let lower = name.to_ascii_lowercase();
    lower == "down.sql" || lower.ends_with(".down.sql")
}

/// Whether the check of one migration reads another: both are up migrations with a version
/// in one folder, so each is judged against the schema all of them build.
pub fn same_history(one: &Path, other: &Path) -> bool {
    one != other
        && !is_down_migration(one)
        && !is_down_migration(other)
        && migration_root(one) == migration_root(other)
        && order_key(one).is_some()
        && order_key(other).is_some()
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
/// diesel's `2024-01-01-000000_`, refinery's `V3__` and `V3.1__`), then by name. Dashes do not
/// separate numbers (diesel drops them), so the two timestamp styles mixed in one folder run in
/// time order. A file with no version number has no place in the sequence: it is checked alone.
type OrderKey = (Vec<(usize, String)>, String);

fn order_key(path: &Path) -> Option<OrderKey> {
    let name = migration_name(path)?;
    let refinery = name.len() > 1
        && name.starts_with(['V', 'U', 'v', 'u'])
        && name.as_bytes().get(1).is_some_and(u8::is_ascii_digit)
        && name.contains("__");
    let version = if refinery { &name[1..name.find("__").unwrap_or(name.len())] } else { name.split('_').next().unwrap_or(name) };
    let version = version.replace('-', "");
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

/// The up migrations of the folder of `path`, in the order they run, among `candidates`
/// (the files of its folder and the `up.sql` of its sub-folders, which
/// `workspace::migration_candidates` lists with the editor's unsaved buffers). Files with no
/// version number are not part of the sequence.
pub fn history_members(path: &Path, config: &Config, candidates: Vec<PathBuf>) -> Vec<PathBuf> {
    let root = migration_root(path);
    let mut members: Vec<(OrderKey, PathBuf)> = candidates
        .into_iter()
        .filter(|candidate| {
            migration_root(candidate) == root
                && !is_down_migration(candidate)
                && (is_migration_file(candidate) || (is_sql_file(candidate) && config.is_declared_migration(candidate)))
        })
        .filter_map(|candidate| Some((order_key(&candidate)?, candidate)))
        .collect();
    members.sort();
    members.dedup_by(|left, right| left.1 == right.1);
    members.into_iter().map(|(_, candidate)| candidate).collect()
}

/// Whether a migration has a place in its folder's sequence (a version number).
pub fn is_versioned(path: &Path) -> bool {
    order_key(path).is_some()
}

/// The database a migration is written for: the one its folder names (`migrations/mysql`,
/// `db-sqlx-maria/migrations`, `migrations/sqlite` or `hiqlite`, `migrations/postgres`), else
/// `[sql] dialect`, else what `of_crate` says of the folder (the one database the crate that
/// holds it is built for, see [`manifest_dialect`]), else PostgreSQL.
pub fn dialect_for(path: &Path, config: &Config, of_crate: impl FnOnce(&Path) -> Option<SqlDialect>) -> SqlDialect {
    let root = migration_root(path);
    let folders: Vec<String> =
        root.components().rev().take(3).map(|part| part.as_os_str().to_string_lossy().to_ascii_lowercase()).collect();
    for folder in &folders {
        let words: Vec<&str> = folder.split(|character: char| !character.is_ascii_alphanumeric()).collect();
        if words.iter().any(|word| matches!(*word, "mysql" | "mariadb" | "maria")) {
            return SqlDialect::Mysql;
        }
        if words.iter().any(|word| matches!(*word, "sqlite" | "sqlite3" | "hiqlite")) {
            return SqlDialect::Sqlite;
        }
        if words.iter().any(|word| matches!(*word, "postgres" | "postgresql" | "pg" | "pgsql")) {
            return SqlDialect::Postgres;
        }
    }
    config.sql_dialect.or_else(|| of_crate(root)).unwrap_or_default()
}

/// The one database a crate's manifest builds its database crates for: sqlx's, diesel's and
/// sea-orm's features (the workspace's too, for `workspace = true`), and drivers such as
/// `rusqlite` or `tokio-postgres`. `None` when it names none, or several.
pub fn manifest_dialect(manifest: &str, workspace: Option<&str>) -> Option<SqlDialect> {
    let manifest: toml::Table = toml::from_str(manifest).ok()?;
    let workspace: Option<toml::Table> = workspace.and_then(|text| toml::from_str(text).ok());
    let inherited =
        workspace.as_ref().and_then(|table| table.get("workspace")?.get("dependencies")?.as_table().cloned()).unwrap_or_default();
    let mut found = std::collections::BTreeSet::new();
    for table in ["dependencies", "dev-dependencies"] {
        let Some(dependencies) = manifest.get(table).and_then(toml::Value::as_table) else { continue };
        for (name, spec) in dependencies {
            let package = spec.get("package").and_then(toml::Value::as_str).unwrap_or(name);
            let shared = inherited.get(name).filter(|_| spec.get("workspace").and_then(toml::Value::as_bool) == Some(true));
            let features: Vec<&str> = [Some(spec), shared]
                .into_iter()
                .flatten()
                .filter_map(|spec| spec.get("features").and_then(toml::Value::as_array))
                .flatten()
                .filter_map(toml::Value::as_str)
                .collect();
            let driver = match package {
                "rusqlite" | "libsqlite3-sys" => Some(SqlDialect::Sqlite),
                "tokio-postgres" | "postgres" | "deadpool-postgres" | "bb8-postgres" => Some(SqlDialect::Postgres),
                "mysql" | "mysql_async" => Some(SqlDialect::Mysql),
                _ => None,
            };
            found.extend(driver);
            let orm = package.starts_with("sqlx") || package.starts_with("diesel") || package.starts_with("sea-orm");
            if orm {
                for feature in features {
                    let feature = feature.strip_prefix("sqlx-").unwrap_or(feature);
                    found.extend(match feature {
                        "postgres" | "postgresql" | "runtime-postgres" => Some(SqlDialect::Postgres),
                        "mysql" => Some(SqlDialect::Mysql),
                        "sqlite" | "sqlite-unbundled" => Some(SqlDialect::Sqlite),
                        _ => None,
                    });
                }
            }
        }
    }
    let mut dialects = found.into_iter();
    match (dialects.next(), dialects.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// Whether a migration is released (has run in production), so that the operational rules
/// leave it alone: by `[sql] released-before` when set; else by version control, which
/// takes the migrations new or changed since the base (`--diff REF`, or the merge-base with
/// the default branch) and those not committed for unreleased. Without version control
/// there is no telling, and every migration counts as released.
pub fn is_released(path: &Path, config: &Config, changes: Option<&crate::project::migrations::Changes>) -> bool {
    if config.diff.is_none()
        && let Some(before) = &config.sql_released_before
    {
        let version = |text: &str| order_key(Path::new(&format!("{text}_.sql"))).map(|(numbers, _)| numbers);
        return match (order_key(path), version(before)) {
            (Some((numbers, _)), Some(limit)) => numbers < limit,
            _ => false,
        };
    }
    changes.is_none_or(|changes| !changes.touches(path))
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
        assert!(same_history(Path::new("/w/migrations/20240102000000_b.sql"), Path::new("/w/migrations/20240101000000_a.up.sql")));
        assert!(same_history(Path::new("/w/migrations/2024-01-02-000000_b/up.sql"), Path::new("/w/migrations/2024-01-01-000000_a/up.sql")));
        assert!(same_history(Path::new("/w/migrations/0001_a.sql"), Path::new("/w/migrations/0002_b.sql")), "a later one too");
        assert!(!same_history(Path::new("/w/migrations/0002_b.sql"), Path::new("/w/other/0001_a.sql")));
        assert!(!same_history(Path::new("/w/migrations/0002_b.sql"), Path::new("/w/migrations/0001_a.down.sql")));
        assert_eq!(order_key(Path::new("/w/migrations/seed.sql")), None);
        assert!(order_key(Path::new("/w/migrations/0009_a.sql")) < order_key(Path::new("/w/migrations/00010_a.sql")));
        let mixed = |name: &str| order_key(&PathBuf::from(format!("/w/migrations/{name}/up.sql")));
        assert!(mixed("20170804200817_add_email") < mixed("2017-09-23-182408_move_tokens"));
        assert!(mixed("2017-09-23-182408_move_tokens") < mixed("20171001000000_later"));
    }

    #[test]
    fn history_members_come_from_the_folder_and_open_buffers() {
        use std::sync::Arc;
        let folder = tempfile::tempdir().unwrap();
        let migrations = folder.path().join("migrations");
        std::fs::create_dir_all(migrations.join("2024-01-01-000000_users")).unwrap();
        std::fs::write(migrations.join("2024-01-01-000000_users/up.sql"), "CREATE TABLE users (id int PRIMARY KEY);").unwrap();
        std::fs::write(migrations.join("2024-01-01-000000_users/down.sql"), "DROP TABLE users;").unwrap();
        std::fs::write(migrations.join("seed.sql"), "INSERT INTO users VALUES (1);").unwrap();
        let current = migrations.join("2024-02-01-000000_orders/up.sql");
        let mut source = crate::workspace::OverlaySource::default();
        let unsaved = migrations.join("2024-01-15-000000_teams/up.sql");
        source.open.insert(unsaved.clone(), Arc::from("CREATE TABLE teams (id int PRIMARY KEY);"));
        source.open.insert(current.clone(), Arc::from("CREATE TABLE orders (id int PRIMARY KEY);"));
        let candidates = crate::workspace::migration_candidates(&current, &source);
        let members = history_members(&current, &Config::default(), candidates);
        assert_eq!(members, [migrations.join("2024-01-01-000000_users/up.sql"), unsaved, current]);
    }

    #[test]
    fn dialects_from_folders_and_releases_from_settings() {
        let config = Config::default();
        assert_eq!(dialect_for(Path::new("/w/migrations/mysql/2024-01-01-000000_a/up.sql"), &config, |_| None), SqlDialect::Mysql);
        assert_eq!(dialect_for(Path::new("/w/db/db-sqlx-maria/migrations/0001_a.sql"), &config, |_| None), SqlDialect::Mysql);
        assert_eq!(dialect_for(Path::new("/w/migrations/sqlite/0001_a.sql"), &config, |_| None), SqlDialect::Sqlite);
        assert_eq!(dialect_for(Path::new("/w/migrations/0001_a.sql"), &config, |_| None), SqlDialect::Postgres);
        assert_eq!(
            manifest_dialect("[dependencies]\nsqlx = { workspace = true, features = [\"sqlite\"] }", None),
            Some(SqlDialect::Sqlite)
        );
        assert_eq!(
            manifest_dialect(
                "[dependencies]\nsqlx = { workspace = true }",
                Some("[workspace.dependencies]\nsqlx = { version = \"0.8\", features = [\"postgres\"] }")
            ),
            Some(SqlDialect::Postgres)
        );
        assert_eq!(manifest_dialect("[dependencies]\nrusqlite = \"0.39\"", None), Some(SqlDialect::Sqlite));
        assert_eq!(manifest_dialect("[dependencies]\nsea-orm = { features = [\"sqlx-postgres\", \"sqlx-sqlite\"] }", None), None, "both");
        assert_eq!(manifest_dialect("[dependencies]\nserde = \"1\"", None), None);
        let released = Config { sql_released_before: Some("20240102000000".into()), ..Config::default() };
        assert!(is_released(Path::new("/w/migrations/20240101000000_a.sql"), &released, None));
        assert!(!is_released(Path::new("/w/migrations/20240102000000_b.sql"), &released, None));
        assert!(is_released(Path::new("/w/migrations/20240102000000_b.sql"), &config, None), "no version control: no telling");
    }
}
