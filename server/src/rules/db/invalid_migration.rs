use crate::analysis::Sink;
use crate::openapi::pointer::JsonPointer;
use crate::rules::{Check, declare_rule};
use crate::sql::SqlFile;

declare_rule! {
    /// ## What it does
    /// Checks for statements of a migration that the other DB rules read (`CREATE TABLE`,
    /// `CREATE INDEX`, `ALTER TABLE`, `DROP TABLE`, `RENAME TABLE`) but that archlens cannot
    /// parse in the configured dialect (`[sql] dialect` of `archlens.toml`, PostgreSQL by
    /// default). The finding points at the token where parsing stopped. Each statement is
    /// parsed on its own, so the rest of the migration is still checked. Other statements
    /// (data, functions, triggers, grants) are not parsed and never reported.
    ///
    /// ## Why is this bad?
    /// A statement archlens cannot read is one the migration rules cannot check, and a table
    /// it creates is missing from the schema the later migrations are checked against. Often
    /// the statement has a real syntax error that the database will reject at deploy time;
    /// sometimes it is valid syntax that the parser does not know yet, or the dialect in
    /// `archlens.toml` is not the database's.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE invoices (
    ///     id uuid PRIMARY KEY,
    ///     total numeric(19, 4) NOT NULL,
    /// );
    /// ```
    ///
    /// Use instead:
    /// ```sql
    /// CREATE TABLE invoices (
    ///     id uuid PRIMARY KEY,
    ///     total numeric(19, 4) NOT NULL
    /// );
    /// ```
    ///
    /// For a statement that is valid for your database, set `[sql] dialect`, or say so with
    /// `-- archlens: allow(DB008)` above it.
    ///
    /// ## Fix
    /// None: the statement needs its author.
    pub struct InvalidMigration {
        code: "DB008",
        name: "invalid-migration",
        area: Db,
        severity: Warning,
        input: Sql,
    }
}

impl Check for InvalidMigration {
    fn check_sql(&self, file: &SqlFile<'_>, sink: &mut Sink) {
        for (index, statement) in file.migration.statements.iter().enumerate().filter(|(_, statement)| !statement.down) {
            let Some((span, error)) = &statement.error else { continue };
            if statement.unsupported || !file.judges_operation("DB008", index) {
                continue;
            }
            let line = file.text[statement.span.clone()].lines().next().unwrap_or_default();
            sink.span(
                0,
                span.clone(),
                JsonPointer::root().child(line.trim()),
                format!("archlens cannot parse this statement, so the migration rules skip it: {error}"),
            );
        }
    }
}
