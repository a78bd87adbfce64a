use sqlparser::ast::{CreateIndex, ObjectName, Statement};

use super::{in_case_of, table_pointer};
use crate::analysis::{Fix, Sink};
use crate::config::SqlDialect;
use crate::openapi::edit::TextEdit;
use crate::openapi::pointer::JsonPointer;
use crate::rules::{Check, declare_rule};
use crate::sql::SqlFile;
use crate::sql::schema::leading_columns;

declare_rule! {
    /// ## What it does
    /// Checks for `CREATE INDEX` without `CONCURRENTLY` on a PostgreSQL table that earlier
    /// migrations created. An index on a table created in the same migration, or on a table
    /// the earlier migrations do not know, is left alone: nobody is waiting on it. Only for
    /// `dialect = "postgres"` (the default) in `[sql]` of `archlens.toml`.
    ///
    /// ## Why is this bad?
    /// A plain `CREATE INDEX` takes a lock that blocks every `INSERT`, `UPDATE` and `DELETE`
    /// on the table until the whole table has been read and the index written: minutes on a
    /// large table, during which writes queue up and requests time out. `CREATE INDEX
    /// CONCURRENTLY` builds the index while writes go on.
    ///
    /// ## Example
    /// ```sql
    /// CREATE INDEX orders_created_at ON orders (created_at);
    /// ```
    ///
    /// Use instead:
    /// ```sql
    /// -- no-transaction
    /// CREATE INDEX CONCURRENTLY orders_created_at ON orders (created_at);
    /// ```
    ///
    /// ## Fix
    /// The fix adds `CONCURRENTLY`, and PostgreSQL refuses it inside a transaction, where
    /// migration tools run each migration by default. Run the migration outside one: sqlx
    /// does when the file starts with `-- no-transaction`, diesel when the migration's
    /// `metadata.toml` says `run_in_transaction = false`, refinery with a
    /// `-- refinery:noTransaction` line. PostgreSQL also runs several statements sent at once
    /// in one implicit transaction, so keep the index in a migration of its own. A
    /// concurrent build that fails leaves an invalid index behind: drop it before running the
    /// migration again (`CREATE INDEX CONCURRENTLY IF NOT EXISTS` does not replace it).
    pub struct BlockingIndexBuild {
        code: "DB002",
        name: "blocking-index-build",
        area: Db,
        severity: Info,
        input: Sql,
    }
}

impl Check for BlockingIndexBuild {
    fn check_sql(&self, file: &SqlFile<'_>, sink: &mut Sink) {
        if file.dialect != SqlDialect::Postgres {
            return;
        }
        for (index, statement, parsed) in file.up_statements() {
            if !file.judges_operation("DB002", index) {
                continue;
            }
            let Statement::CreateIndex(create) = parsed else { continue };
            let table = &create.table_name;
            if create.concurrently || file.before.table(table).is_none() || file.created_here(table, index) {
                continue;
            }
            let Some(keyword) = file.keyword_span(statement, "INDEX") else { continue };
            let written = &file.text[keyword.clone()];
            sink.span(
                0,
                statement.span.start..keyword.end,
                index_pointer(table, create),
                format!("`CREATE INDEX` without `CONCURRENTLY` blocks writes to `{table}` until the index is built"),
            )
            .fix(Fix::new(
                "Build the index concurrently (the migration must then run outside a transaction)",
                vec![TextEdit::insert(keyword.end, format!(" {}", in_case_of(written, "concurrently")))],
            ));
        }
    }
}

/// `/table/index`: by the index's name, or by its columns when it has none.
fn index_pointer(table: &ObjectName, create: &CreateIndex) -> JsonPointer {
    let name = match &create.name {
        Some(name) => name.to_string(),
        None => leading_columns(&create.columns).join(","),
    };
    table_pointer(table).child(&name)
}
