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
