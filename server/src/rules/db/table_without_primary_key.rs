use sqlparser::ast::{ColumnOption, ObjectType, Statement, TableConstraint};

use super::table_pointer;
use crate::analysis::Sink;
use crate::config::SqlDialect;
use crate::rules::{Check, declare_rule};
use crate::sql::SqlFile;
use crate::sql::schema::table_key;

declare_rule! {
    /// ## What it does
    /// Checks for `CREATE TABLE` with no primary key: none on a column, none as a table
    /// constraint, and none added by an `ALTER TABLE … ADD PRIMARY KEY` later, in the same
    /// migration or a later one of its folder. On MySQL and SQLite a unique index or
    /// constraint over columns that are all `NOT NULL` counts as a key: it names each row
    /// (InnoDB clusters the table on it, and diesel maps it as the primary key). PostgreSQL's
    /// logical replication still needs a primary key (or a declared replica identity) there.
    ///
    /// Temporary tables, tables the same migration drops again, `CREATE TABLE … AS SELECT`
    /// (which cannot declare a key), `CREATE TABLE … (LIKE other)` and partitions
    /// (`PARTITION OF`, whose key is their parent's) are left alone.
    ///
    /// ## Why is this bad?
    /// Without a primary key a row cannot be named: duplicates creep in, an `UPDATE` or
    /// `DELETE` of "this row" may hit several, ORMs cannot map the table, and logical
    /// replication (and tools built on it, such as change data capture) cannot send the
    /// table's updates and deletes. Adding a key later means cleaning up the duplicates
    /// first.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE order_events (
    ///     order_id uuid NOT NULL REFERENCES orders (id),
    ///     kind text NOT NULL,
    ///     at timestamptz NOT NULL
    /// );
    /// ```
    ///
    /// Use instead:
    /// ```sql
    /// CREATE TABLE order_events (
    ///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///     order_id uuid NOT NULL REFERENCES orders (id),
    ///     kind text NOT NULL,
    ///     at timestamptz NOT NULL
    /// );
    /// ```
    ///
    /// ## Fix
    /// None: which column identifies a row (a new identity column, or columns the table
    /// already has) is a design decision.
    pub struct TableWithoutPrimaryKey {
        code: "DB004",
        name: "table-without-primary-key",
        area: Db,
        severity: Warning,
        input: Sql,
    }
}

impl Check for TableWithoutPrimaryKey {
    fn check_sql(&self, file: &SqlFile<'_>, sink: &mut Sink) {
        for (index, statement, parsed) in file.up_statements() {
            let Statement::CreateTable(create) = parsed else { continue };
            if create.temporary
                || create.query.is_some()
                || create.like.is_some()
                || create.partition_of.is_some()
                || create.clone.is_some()
            {
                continue;
            }
            let declared = create.constraints.iter().any(|constraint| matches!(constraint, TableConstraint::PrimaryKey(_)))
                || create
                    .columns
                    .iter()
                    .any(|column| column.options.iter().any(|option| matches!(option.option, ColumnOption::PrimaryKey(_))));
            let key = table_key(&create.name);
            let dropped_later = file.up_statements().any(|(later, _, parsed)| {
                later > index
                    && matches!(parsed, Statement::Drop { object_type: ObjectType::Table, names, .. }
                        if names.iter().any(|name| table_key(name) == key))
            });
            // Judged where the schema ends up: a key a later migration adds, or a table it drops
            // (or renames), leaves nothing to report; nor, outside PostgreSQL, does a unique key
            // over columns that are never null, which is a primary key in all but name there.
            let natural = file.dialect != SqlDialect::Postgres;
            let added_later =
                file.last.tables.get(&key).is_none_or(|table| table.primary_key.is_some() || (natural && table.has_natural_key()));
            if declared || dropped_later || added_later {
                continue;
            }
            sink.span(
                0,
                file.name_span(statement, &create.name),
                table_pointer(&create.name),
                format!("table `{}` has no primary key", create.name),
            );
        }
    }
}
