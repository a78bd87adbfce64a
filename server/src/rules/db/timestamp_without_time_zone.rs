use sqlparser::ast::{DataType, TimezoneInfo};

use super::{element_type, in_case_of, typed_columns};
use crate::analysis::{Fix, Sink};
use crate::config::SqlDialect;
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, declare_rule};
use crate::sql::SqlFile;

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

impl Check for TimestampWithoutTimeZone {
    fn check_sql(&self, file: &SqlFile<'_>, sink: &mut Sink) {
        if file.dialect != SqlDialect::Postgres {
            return;
        }
        for column in typed_columns(file) {
            let DataType::Timestamp(precision, TimezoneInfo::None | TimezoneInfo::WithoutTimeZone) = element_type(column.data_type) else {
                continue;
            };
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
