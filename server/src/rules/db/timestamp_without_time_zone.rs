use sqlparser::ast::{DataType, TimezoneInfo};

use super::{Convention, element_type, in_case_of, typed_columns};
use crate::analysis::{Fix, Sink};
use crate::config::SqlDialect;
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, declare_rule};
use crate::sql::SqlFile;
use crate::sql::schema::ident_key;

declare_rule! {
    /// ## What it does
    /// Checks for PostgreSQL columns typed `timestamp` or `timestamp without time zone`
    /// (arrays of them too), in `CREATE TABLE`, `ADD COLUMN` and `ALTER COLUMN … TYPE`. Only
    /// for `dialect = "postgres"` (the default) in `[sql]` of `archlens.toml`: MySQL's
    /// `TIMESTAMP` is stored in UTC already, and SQLite has no such type.
    ///
    /// ## Why is this bad?
    /// A `timestamp` is a wall-clock reading with no zone: `2024-03-31 02:30` means a
    /// different instant in every time zone, and does not exist at all in some. What it means
    /// depends on whoever wrote it (the server's zone, the driver's, the session's), so
    /// values from two services, or from before and after a server move, cannot be compared.
    /// `timestamptz` stores an instant (in UTC) and converts on the way out; it takes the same
    /// eight bytes.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN shipped_at timestamp;
    /// ```
    ///
    /// Use instead:
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN shipped_at timestamptz;
    /// ```
    ///
    /// ## Fix
    /// The fix writes `timestamptz` (keeping a precision such as `(3)`), which suits a
    /// migration that has not run yet; editing one that has changes its checksum, and sqlx and
    /// refinery then refuse to run. For an existing column, add a migration with
    /// `ALTER TABLE … ALTER COLUMN … TYPE timestamptz USING … AT TIME ZONE 'UTC'`, naming the
    /// zone the values were written in.
    pub struct TimestampWithoutTimeZone {
        code: "DB007",
        name: "timestamp-without-time-zone",
        area: Db,
        severity: Info,
        input: Sql,
    }
}

/// Whether a type is a timestamp without time zone (or an array of them).
fn is_naive(data_type: &DataType) -> bool {
    matches!(element_type(data_type), DataType::Timestamp(_, TimezoneInfo::None | TimezoneInfo::WithoutTimeZone))
}

/// The schema's timestamps without time zone, when they are its convention.
fn convention(file: &SqlFile<'_>) -> Option<Convention> {
    let mut naive = Vec::new();
    let mut zoned = 0;
    for (name, table) in &file.last.tables {
        for (column, data_type) in &table.types {
            if is_naive(data_type) {
                naive.push((name.clone(), vec![column.clone()], table.type_origins.get(column).copied().unwrap_or_default()));
            } else if matches!(element_type(data_type), DataType::Timestamp(..)) {
                zoned += 1;
            }
        }
    }
    Convention::of(naive, zoned)
}

impl Check for TimestampWithoutTimeZone {
    fn check_sql(&self, file: &SqlFile<'_>, sink: &mut Sink) {
        if file.dialect != SqlDialect::Postgres {
            return;
        }
        let convention = convention(file);
        for column in typed_columns(file) {
            let DataType::Timestamp(precision, TimezoneInfo::None | TimezoneInfo::WithoutTimeZone) = element_type(column.data_type) else {
                continue;
            };
            // A later migration that gives the column a time zone (or drops it) fixed this.
            if !column.final_type(file).is_some_and(is_naive) {
                continue;
            }
            if let Some(convention) = &convention {
                if convention.is_reported_at(file, column.table, &[ident_key(column.column)])
                    && let Some(span) = column.type_span(file)
                {
                    let finding = sink.span(
                        0,
                        span,
                        column.pointer(),
                        format!(
                            "the schema keeps {} timestamps without time zone, `{}` of `{}` the first: the instant each means depends on who wrote it",
                            convention.members.len(),
                            column.column,
                            column.table
                        ),
                    );
                    convention.add_members(file, finding);
                }
                continue;
            }
            let Some(span) = column.type_span(file) else { continue };
            let written = file.text[span.clone()].to_owned();
            let replacement = in_case_of(&written, "timestamptz") + &precision.map(|digits| format!("({digits})")).unwrap_or_default();
            sink.span(
                0,
                span.clone(),
                column.pointer(),
                format!(
                    "`{}` of `{}` is a `timestamp` without time zone: the instant it means depends on who wrote it",
                    column.column, column.table
                ),
            )
            .fix(Fix::new(format!("Use {replacement}"), vec![TextEdit::replace(span, replacement.clone())]).preferred());
        }
    }
}
