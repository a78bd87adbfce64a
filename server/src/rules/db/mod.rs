//! Rules over SQL migrations (`migrations/**/*.sql`), and what several of them read: the
//! columns a statement declares with their types.

pub mod blocking_index_build;
pub mod destructive_migration;
pub mod invalid_migration;
pub mod money_as_float;
pub mod not_null_without_default;
pub mod table_without_primary_key;
pub mod timestamp_without_time_zone;
pub mod unindexed_foreign_key;

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, ArrayElemTypeDef, DataType, Ident, ObjectName};

use crate::openapi::pointer::JsonPointer;
use crate::openapi::syntax::Span;
use crate::sql::schema::{ident_key, table_key};
use crate::sql::{SqlFile, Statement};

/// A column given a type by a statement: in `CREATE TABLE`, `ADD COLUMN`, `ALTER COLUMN …
/// TYPE`, or MySQL's `CHANGE` and `MODIFY`.
pub struct TypedColumn<'f> {
    pub statement: &'f Statement,
    pub table: &'f ObjectName,
    pub column: &'f Ident,
    pub data_type: &'f DataType,
}

impl TypedColumn<'_> {
    /// Where the type is written, without array brackets.
    pub fn type_span(&self, file: &SqlFile<'_>) -> Option<Span> {
        let name = file.ident_span(self.statement, self.column);
        file.type_span_after(self.statement, name.end)
    }

    /// The type the column ends up with after every migration of its folder; `None` when a
    /// later migration drops it or its table (or renames them).
    pub fn final_type<'s>(&self, file: &'s SqlFile<'_>) -> Option<&'s DataType> {
        file.last.tables.get(&table_key(self.table))?.types.get(&ident_key(self.column))
    }

    /// `/table/column`, for baselines.
    pub fn pointer(&self) -> JsonPointer {
        column_pointer(self.table, self.column)
    }
}

/// The columns the up statements of a migration give a type.
pub fn typed_columns<'f>(file: &'f SqlFile<'_>) -> Vec<TypedColumn<'f>> {
    let mut found = Vec::new();
    for (_, statement, parsed) in file.up_statements() {
        match parsed {
            sqlparser::ast::Statement::CreateTable(create) => {
                for column in &create.columns {
                    found.push(TypedColumn { statement, table: &create.name, column: &column.name, data_type: &column.data_type });
                }
            }
            sqlparser::ast::Statement::AlterTable(alter) => {
                for operation in &alter.operations {
                    let (column, data_type) = match operation {
                        AlterTableOperation::AddColumn { column_def, .. } => (&column_def.name, &column_def.data_type),
                        AlterTableOperation::AlterColumn { column_name, op: AlterColumnOperation::SetDataType { data_type, .. } } => {
                            (column_name, data_type)
                        }
                        AlterTableOperation::ChangeColumn { new_name, data_type, .. } => (new_name, data_type),
                        AlterTableOperation::ModifyColumn { col_name, data_type, .. } => (col_name, data_type),
                        _ => continue,
                    };
                    found.push(TypedColumn { statement, table: &alter.name, column, data_type });
                }
            }
            _ => {}
        }
    }
    found
}

/// A choice the schema makes everywhere: the columns (or foreign keys) of the schema after
/// every migration that a rule would report one by one, with the migration that made each
/// so. When they are at least [`CONVENTION_MIN`] and more than the places that do it the
/// other way, they are one decision, reported once: at the earliest of them, with the
/// others in related information.
pub struct Convention {
    /// (table, columns, position of the migration) of each member, the earliest first.
    pub members: Vec<(String, Vec<String>, usize)>,
    reported: std::cell::Cell<bool>,
}

/// How many places make a convention.
pub const CONVENTION_MIN: usize = 3;

impl Convention {
    /// The convention made by `members` against `others` places that do it the other way,
    /// if they make one.
    pub fn of(mut members: Vec<(String, Vec<String>, usize)>, others: usize) -> Option<Convention> {
        if members.len() < CONVENTION_MIN || members.len() <= others {
            return None;
        }
        members.sort_by(|left, right| (left.2, &left.0, &left.1).cmp(&(right.2, &right.0, &right.1)));
        Some(Convention { members, reported: std::cell::Cell::new(false) })
    }

    /// Whether the member this file reports at (table, columns) is the earliest: the one
    /// place the convention is reported. Asked once per place: a second statement of the
    /// same file that names the same member is not reported again.
    pub fn is_reported_at(&self, file: &SqlFile<'_>, table: &ObjectName, columns: &[String]) -> bool {
        let first = self.members.first().is_some_and(|(first_table, first_columns, position)| {
            *position == file.position && *first_table == table_key(table) && first_columns == columns
        });
        first && !self.reported.replace(true)
    }

    /// Adds the other members to a finding, each where its migration names it.
    pub fn add_members(&self, file: &SqlFile<'_>, finding: &mut crate::analysis::Finding) {
        for (table, columns, position) in self.members.iter().skip(1).take(200) {
            let Some((path, text)) = file.history.get(*position) else { continue };
            let column = columns.first().map(String::as_str).unwrap_or_default();
            let span = mention(text, table, column);
            finding.elsewhere(path.clone(), text.clone(), span, format!("`{column}` of `{table}`"));
        }
    }
}

/// Where a migration's text names `column` after naming `table` (case-insensitive, whole
/// words): a place to point at without parsing it again.
fn mention(text: &str, table: &str, column: &str) -> Span {
    let lower = text.to_ascii_lowercase();
    let bare_table = table.rsplit('.').next().unwrap_or(table).to_ascii_lowercase();
    let find_word = |word: &str, from: usize| {
        lower[from..].match_indices(word).map(|(at, _)| at + from).find(|at| {
            let before = lower[..*at].chars().next_back().is_none_or(|character| !(character.is_alphanumeric() || character == '_'));
            let after = lower[at + word.len()..].chars().next().is_none_or(|character| !(character.is_alphanumeric() || character == '_'));
            before && after
        })
    };
    let from = find_word(&bare_table, 0).unwrap_or(0);
    match find_word(&column.to_ascii_lowercase(), from).or_else(|| find_word(&column.to_ascii_lowercase(), 0)) {
        Some(at) => at..at + column.len(),
        None => 0..0,
    }
}

/// The type of the elements of an array type, or the type itself.
pub fn element_type(data_type: &DataType) -> &DataType {
    match data_type {
        DataType::Array(
            ArrayElemTypeDef::SquareBracket(inner, _)
            | ArrayElemTypeDef::AngleBracket(inner)
            | ArrayElemTypeDef::Parenthesis(inner)
            | ArrayElemTypeDef::ParenthesisNotNull(inner)
            | ArrayElemTypeDef::Qualified(inner, _),
        ) => element_type(inner),
        other => other,
    }
}

/// `/table/column`, for baselines: stable when the migration is edited around it.
pub fn column_pointer(table: &ObjectName, column: &Ident) -> JsonPointer {
    JsonPointer::root().child(&table_key(table)).child(&ident_key(column))
}

/// `/table`.
pub fn table_pointer(table: &ObjectName) -> JsonPointer {
    JsonPointer::root().child(&table_key(table))
}

/// `replacement` in the case the original was written in: `TIMESTAMPTZ` for `TIMESTAMP`.
pub fn in_case_of(original: &str, replacement: &str) -> String {
    if original.chars().filter(char::is_ascii_alphabetic).all(|character| character.is_ascii_uppercase()) {
        replacement.to_ascii_uppercase()
    } else {
        replacement.to_owned()
    }
}
