use sqlparser::ast::{AlterTableOperation, ObjectType, RenameTableNameKind, Statement};

use super::{column_pointer, table_pointer};
use crate::analysis::Sink;
use crate::rules::{Check, declare_rule};
use crate::sql::SqlFile;
use crate::sql::schema::ident_key;

declare_rule! {
    /// ## What it does
    /// Checks for up migrations that drop or rename what the running code uses: `DROP TABLE`,
    /// `ALTER TABLE … DROP COLUMN`, and renaming a table or a column (`RENAME TO`,
    /// `RENAME COLUMN`, MySQL's `RENAME TABLE` and `CHANGE old new`).
    ///
    /// It stays silent on down migrations (`down.sql`, `*.down.sql`, the down section of a
    /// dbmate or goose file), on tables created and columns added earlier in the same
    /// migration (`DROP TABLE IF EXISTS tmp_import` after using it), on a table that the
    /// same migration rebuilds under its own name (SQLite's create, copy, drop and rename),
    /// and on `DROP INDEX`, `DROP CONSTRAINT`, `DROP VIEW` and the like, which lose no data.
    ///
    /// ## Why is this bad?
    /// Migrations run before the new code is everywhere: during a rolling deploy the old
    /// version still serves requests against the migrated database, and it fails as soon as a
    /// table or column it reads is gone or has a new name. A dropped column cannot come back
    /// with a rollback either: its data is gone.
    ///
    /// Expand and contract instead: add the new table or column and write to both, backfill,
    /// deploy code that reads only the new one, and drop the old one in a later release, when
    /// nothing uses it any more.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE customers RENAME COLUMN name TO full_name;
    /// ```
    ///
    /// Use instead:
    /// ```sql
    /// -- This release: add the column; the code writes both and reads the new one.
    /// ALTER TABLE customers ADD COLUMN full_name text;
    /// UPDATE customers SET full_name = name WHERE full_name IS NULL;
    /// -- A later release, once no running code reads `name`:
    /// -- ALTER TABLE customers DROP COLUMN name;
    /// ```
    ///
    /// When the drop is the contract step of such a change, say so:
    /// `-- archlens: allow(DB001)` above the statement.
    ///
    /// ## Fix
    /// None: how to split the change into expand and contract steps depends on the code that
    /// uses the table or column.
    pub struct DestructiveMigration {
        code: "DB001",
        name: "destructive-migration",
        area: Db,
        severity: Warning,
        input: Sql,
    }
}

impl Check for DestructiveMigration {
    fn check_sql(&self, file: &SqlFile<'_>, sink: &mut Sink) {
        for (index, statement, parsed) in file.up_statements() {
            if !file.judges_operation("DB001", index) {
                continue;
            }
            match parsed {
                Statement::Drop { object_type: ObjectType::Table, names, .. } => {
                    for name in names.iter().filter(|name| !file.created_here(name, index) && !file.replaced_later(name, index)) {
                        sink.span(
                            0,
                            file.name_span(statement, name),
                            table_pointer(name),
                            format!("`DROP TABLE {name}` deletes the table and its data while running code may still use it"),
                        );
                    }
                }
                Statement::AlterTable(alter) if !file.created_here(&alter.name, index) => {
                    let table = &alter.name;
                    for operation in &alter.operations {
                        match operation {
                            AlterTableOperation::DropColumn { column_names, .. } => {
                                for column in column_names.iter().filter(|column| !file.column_added_here(table, column, index)) {
                                    sink.span(
                                        0,
                                        file.ident_span(statement, column),
                                        column_pointer(table, column),
                                        format!(
                                            "dropping column `{column}` of `{table}` deletes its data while running code may still read it"
                                        ),
                                    );
                                }
                            }
                            AlterTableOperation::RenameColumn { old_column_name: old, new_column_name: new }
                            | AlterTableOperation::ChangeColumn { old_name: old, new_name: new, .. }
                                if ident_key(old) != ident_key(new) && !file.column_added_here(table, old, index) =>
                            {
                                sink.span(
                                    0,
                                    file.ident_span(statement, old),
                                    column_pointer(table, old),
                                    format!(
                                        "renaming column `{old}` of `{table}` to `{new}` breaks running code that still uses the old name"
                                    ),
                                );
                            }
                            AlterTableOperation::RenameTable {
                                table_name: RenameTableNameKind::To(new) | RenameTableNameKind::As(new),
                            } => {
                                sink.span(
                                    0,
                                    file.name_span(statement, table),
                                    table_pointer(table),
                                    format!("renaming table `{table}` to `{new}` breaks running code that still uses the old name"),
                                );
                            }
                            _ => {}
                        }
                    }
                }
                Statement::RenameTable(renames) => {
                    for rename in renames.iter().filter(|rename| !file.created_here(&rename.old_name, index)) {
                        sink.span(
                            0,
                            file.name_span(statement, &rename.old_name),
                            table_pointer(&rename.old_name),
                            format!(
                                "renaming table `{}` to `{}` breaks running code that still uses the old name",
                                rename.old_name, rename.new_name
                            ),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}
