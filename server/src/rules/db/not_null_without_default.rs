use sqlparser::ast::{AlterTableOperation, ColumnDef, ColumnOption, DataType, FromTable, ObjectName, Statement, TableFactor};

use super::column_pointer;
use crate::analysis::Sink;
use crate::config::SqlDialect;
use crate::rules::{Check, declare_rule};
use crate::sql::SqlFile;
use crate::sql::schema::table_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE … ADD COLUMN` of a `NOT NULL` column (or a primary key)
    /// without a `DEFAULT`, on a table that earlier migrations created. A generated or
    /// identity column, and `serial`, have values of their own and are left alone, and so is
    /// a table created in the same migration, or emptied earlier in it (`DELETE FROM` with no
    /// `WHERE`, `TRUNCATE`): it has no rows.
    ///
    /// On SQLite it also reports tables of the same migration, since SQLite refuses such a
    /// column on any table. MySQL fills existing rows with the type's implicit default
    /// (`0`, `''`), so the rule is silent there.
    ///
    /// ## Why is this bad?
    /// Every existing row needs a value for the new column, and there is none: on a table
    /// with rows, PostgreSQL rejects the statement and the deploy stops halfway. Tests and
    /// local databases with empty tables do not show it; production does.
    ///
    /// Add the column with a default (since PostgreSQL 11 this does not rewrite the table),
    /// or add it as nullable, backfill it, and set `NOT NULL` once every row has a value.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN channel text NOT NULL;
    /// ```
    ///
    /// Use instead:
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN channel text NOT NULL DEFAULT 'web';
    /// ```
    ///
    /// ## Fix
    /// None: the value existing rows get is a decision about the data, not about syntax.
    pub struct NotNullWithoutDefault {
        code: "DB003",
        name: "not-null-without-default",
        area: Db,
        severity: Warning,
        input: Sql,
    }
}

impl Check for NotNullWithoutDefault {
    fn check_sql(&self, file: &SqlFile<'_>, sink: &mut Sink) {
        if file.dialect == SqlDialect::Mysql {
            return;
        }
        for (index, statement, parsed) in file.up_statements() {
            if !file.judges_operation("DB003", index) {
                continue;
            }
            let Statement::AlterTable(alter) = parsed else { continue };
            let table = &alter.name;
            let existing = file.before.table(table).is_some() && !file.created_here(table, index);
            let sqlite = file.dialect == SqlDialect::Sqlite;
            if (!existing || emptied_before(file, table, index)) && !sqlite {
                continue;
            }
            for operation in &alter.operations {
                let AlterTableOperation::AddColumn { column_def, .. } = operation else { continue };
                if !is_required(column_def) || has_value(column_def) {
                    continue;
                }
                let column = &column_def.name;
                let message = if file.dialect == SqlDialect::Sqlite {
                    format!("SQLite cannot add the NOT NULL column `{column}` to `{table}` without a default")
                } else {
                    format!("adding the NOT NULL column `{column}` to `{table}` without a default fails once the table has rows")
                };
                sink.span(0, file.ident_span(statement, column), column_pointer(table, column), message);
            }
        }
    }
}

/// Whether an earlier statement of the migration empties the table (`DELETE FROM t` with no
/// `WHERE`, `TRUNCATE t`): there are no rows to fill.
fn emptied_before(file: &SqlFile<'_>, table: &ObjectName, index: usize) -> bool {
    let key = table_key(table);
    file.up_statements().take_while(|(earlier, _, _)| *earlier < index).any(|(_, _, parsed)| match parsed {
        Statement::Delete(delete) if delete.selection.is_none() && delete.using.is_none() => match &delete.from {
            FromTable::WithFromKeyword(tables) | FromTable::WithoutKeyword(tables) => {
                tables.iter().any(|from| matches!(&from.relation, TableFactor::Table { name, .. } if table_key(name) == key))
            }
        },
        Statement::Truncate(truncate) => truncate.table_names.iter().any(|target| table_key(&target.name) == key),
        _ => false,
    })
}

/// `NOT NULL`, or a primary key (which is never null).
fn is_required(column: &ColumnDef) -> bool {
    column.options.iter().any(|option| matches!(option.option, ColumnOption::NotNull | ColumnOption::PrimaryKey(_)))
}

/// A default, a generated or identity value, or a serial type.
fn has_value(column: &ColumnDef) -> bool {
    let serial = matches!(&column.data_type, DataType::Custom(name, _)
        if name.to_string().to_ascii_lowercase().trim_end_matches(char::is_numeric).ends_with("serial"));
    serial
        || column.options.iter().any(|option| {
            matches!(
                option.option,
                ColumnOption::Default(_) | ColumnOption::Generated { .. } | ColumnOption::Identity(_) | ColumnOption::Materialized(_)
            )
        })
}
