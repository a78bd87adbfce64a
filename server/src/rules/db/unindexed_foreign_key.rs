use sqlparser::ast::{AlterTableOperation, ColumnOption, Ident, ObjectName, Statement, TableConstraint};

use super::{Convention, column_pointer};
use crate::analysis::{Fix, Sink};
use crate::config::SqlDialect;
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, declare_rule};
use crate::sql::schema::{ident_key, table_key};
use crate::sql::{SqlFile, Statement as SqlStatement};

declare_rule! {
    /// ## What it does
    /// Checks for foreign keys whose columns no index starts with: `REFERENCES` on a column,
    /// `FOREIGN KEY (…)` in `CREATE TABLE`, and `ALTER TABLE … ADD COLUMN … REFERENCES` or
    /// `ADD CONSTRAINT … FOREIGN KEY`. An index counts when its first columns are the foreign
    /// key's columns (in any order) and it is not partial: a primary key, a `UNIQUE`
    /// constraint, or a `CREATE INDEX` in this migration or an earlier one. An index that
    /// only a later migration creates does not count, since this one runs without it.
    ///
    /// MySQL creates such an index itself, so the rule is silent with `dialect = "mysql"`.
    ///
    /// ## Why is this bad?
    /// The database checks the foreign key from the other side too: deleting or updating a
    /// referenced row looks for the rows that reference it, and without an index that is a
    /// full scan of the referencing table, holding locks, for every such delete (an
    /// `ON DELETE CASCADE` does the same scan). The joins the key exists for (`orders` of a
    /// customer) scan the table as well. Neither shows on small tables.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE order_items (
    ///     id uuid PRIMARY KEY,
    ///     order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE
    /// );
    /// ```
    ///
    /// Use instead:
    /// ```sql
    /// CREATE TABLE order_items (
    ///     id uuid PRIMARY KEY,
    ///     order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE
    /// );
    /// CREATE INDEX order_items_order_id_idx ON order_items (order_id);
    /// ```
    ///
    /// ## Fix
    /// The fix adds a plain `CREATE INDEX` after the statement. On a table that already has
    /// rows, building it blocks writes (see DB002): build it concurrently there.
    pub struct UnindexedForeignKey {
        code: "DB005",
        name: "unindexed-foreign-key",
        area: Db,
        severity: Info,
        input: Sql,
    }
}

impl Check for UnindexedForeignKey {
    fn check_sql(&self, file: &SqlFile<'_>, sink: &mut Sink) {
        if file.dialect == SqlDialect::Mysql {
            return;
        }
        let convention = convention(file);
        for (_, statement, parsed) in file.up_statements() {
            for (table, columns) in foreign_keys(parsed) {
                let keys: Vec<String> = columns.iter().map(|column| ident_key(column)).collect();
                // A table this migration drops again, or a temporary one, needs no index.
                // Judged where the schema ends up: an index a later migration adds, or a column
                // or table it drops, leaves nothing to report.
                let Some(schema_table) = file.last.tables.get(&table_key(table)) else { continue };
                if keys.is_empty() || schema_table.has_index_on(&keys) || !keys.iter().all(|key| schema_table.columns.contains(key)) {
                    continue;
                }
                let (Some(first), Some(last)) = (columns.first(), columns.last()) else { continue };
                let span = file.ident_span(statement, first).start..file.ident_span(statement, last).end;
                let listed = columns.iter().map(|column| format!("`{column}`")).collect::<Vec<_>>().join(", ");
                if let Some(convention) = &convention {
                    if convention.is_reported_at(file, table, &keys) {
                        let finding = sink.span(
                            0,
                            span,
                            column_pointer(table, first),
                            format!(
                                "the schema leaves {} foreign keys without an index, {listed} of `{table}` the first: deleting a referenced row scans each referencing table",
                                convention.members.len()
                            ),
                        );
                        convention.add_members(file, finding);
                    }
                    continue;
                }
                sink.span(
                    0,
                    span,
                    column_pointer(table, first),
                    format!("foreign key {listed} of `{table}` has no index: deleting a referenced row scans the table"),
                )
                .fix(Fix::new(format!("Add an index on {listed}"), vec![index_after(file, statement, table, &columns)]));
            }
        }
    }
}

/// The schema's foreign keys without an index, when leaving them so is its convention.
fn convention(file: &SqlFile<'_>) -> Option<Convention> {
    let mut unindexed = Vec::new();
    let mut indexed = 0;
    for (name, table) in &file.last.tables {
        for (columns, origin) in &table.foreign_keys {
            if columns.is_empty() || !columns.iter().all(|column| table.columns.contains(column)) {
                continue;
            }
            if table.has_index_on(columns) {
                indexed += 1;
            } else {
                unindexed.push((name.clone(), columns.clone(), *origin));
            }
        }
    }
    Convention::of(unindexed, indexed)
}

/// The foreign keys a statement declares: their table and columns.
fn foreign_keys(parsed: &Statement) -> Vec<(&ObjectName, Vec<&Ident>)> {
    let mut found = Vec::new();
    match parsed {
        Statement::CreateTable(create) if !create.temporary => {
            for column in &create.columns {
                if column.options.iter().any(|option| matches!(option.option, ColumnOption::ForeignKey(_))) {
                    found.push((&create.name, vec![&column.name]));
                }
            }
            for constraint in &create.constraints {
                if let TableConstraint::ForeignKey(foreign_key) = constraint {
                    found.push((&create.name, foreign_key.columns.iter().collect()));
                }
            }
        }
        Statement::AlterTable(alter) => {
            for operation in &alter.operations {
                match operation {
                    AlterTableOperation::AddColumn { column_def, .. }
                        if column_def.options.iter().any(|option| matches!(option.option, ColumnOption::ForeignKey(_))) =>
                    {
                        found.push((&alter.name, vec![&column_def.name]));
                    }
                    AlterTableOperation::AddConstraint { constraint: TableConstraint::ForeignKey(foreign_key), .. } => {
                        found.push((&alter.name, foreign_key.columns.iter().collect()));
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    found
}

/// `CREATE INDEX <table>_<columns>_idx ON <table> (<columns>);` on a line after the statement.
fn index_after(file: &SqlFile<'_>, statement: &SqlStatement, table: &ObjectName, columns: &[&Ident]) -> TextEdit {
    let bare_table = table.0.last().and_then(|part| part.as_ident()).map_or_else(|| table_key(table), ident_key);
    let name: String = std::iter::once(bare_table)
        .chain(columns.iter().map(|column| ident_key(column)))
        .chain(std::iter::once("idx".to_owned()))
        .collect::<Vec<_>>()
        .join("_")
        .chars()
        .map(|character| if character.is_alphanumeric() || character == '_' { character.to_ascii_lowercase() } else { '_' })
        .collect();
    let listed = columns.iter().map(|column| column.to_string()).collect::<Vec<_>>().join(", ");
    let written = file.text.get(statement.span.start..statement.span.start + 6.min(statement.span.len())).unwrap_or_default();
    let keyword = |word: &str| super::in_case_of(written, word);
    let index = format!("{} {name} {} {table} ({listed});", keyword("create index"), keyword("on"));
    let newline = if file.text.contains("\r\n") { "\r\n" } else { "\n" };
    match statement.semicolon {
        Some(semicolon) => TextEdit::insert(semicolon + 1, format!("{newline}{index}")),
        None => TextEdit::insert(statement.span.end, format!(";{newline}{index}")),
    }
}
