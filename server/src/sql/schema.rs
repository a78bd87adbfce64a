//! The schema that migrations build, statement by statement: tables with their columns,
//! primary keys and indexes. Only what the rules ask about is kept; a statement that cannot
//! be read changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnOption, CreateIndex, CreateTable, DataType, Expr, Ident, IndexColumn, ObjectName,
    ObjectNamePart, ObjectType, RenameTableNameKind, Statement, TableConstraint,
};

/// Tables by their [`table_key`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
    /// The position of the migration being applied in its folder's sequence: what the
    /// origins of columns and foreign keys record.
    pub current: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column keys, in order.
    pub columns: Vec<String>,
    /// The type each column has now, by column key.
    pub types: BTreeMap<String, DataType>,
    /// The migration (its position, [`Schema::current`]) that gave each column its type now.
    pub type_origins: BTreeMap<String, usize>,
    /// The foreign keys: their columns, and the migration that declared each.
    pub foreign_keys: Vec<(Vec<String>, usize)>,
    pub primary_key: Option<Vec<String>>,
    /// The columns declared `NOT NULL` (or part of the primary key).
    pub not_null: BTreeSet<String>,
    /// Every index of the table: its primary key, its unique constraints and the indexes
    /// created on it.
    pub indexes: Vec<Index>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    /// The index's or the constraint's name, when it has one.
    pub name: Option<String>,
    /// The columns it starts with, up to the first expression.
    pub columns: Vec<String>,
    /// A partial index (`WHERE …`) does not cover every row.
    pub partial: bool,
    /// A unique index or constraint (the primary key's included).
    pub unique: bool,
}

/// How a table is named in the schema: unquoted parts folded to lower case (as PostgreSQL
/// does), quoted parts as written, without PostgreSQL's default `public` schema.
pub fn table_key(name: &ObjectName) -> String {
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|part| match part {
            ObjectNamePart::Identifier(ident) => ident_key(ident),
            other => other.to_string(),
        })
        .collect();
    match parts.split_first() {
        Some((schema, rest)) if schema == "public" && !rest.is_empty() => rest.join("."),
        _ => parts.join("."),
    }
}

/// How a column (or an index) is named in the schema: unquoted names folded to lower case.
pub fn ident_key(ident: &Ident) -> String {
    if ident.quote_style.is_some() { ident.value.clone() } else { ident.value.to_lowercase() }
}

impl Schema {
    pub fn table(&self, name: &ObjectName) -> Option<&Table> {
        self.tables.get(&table_key(name))
    }

    /// Applies one statement of an up migration.
    pub fn apply(&mut self, statement: &Statement) {
        match statement {
            Statement::CreateTable(create) => self.create_table(create),
            Statement::CreateIndex(create) => self.create_index(create),
            Statement::AlterTable(alter) => {
                let mut key = table_key(&alter.name);
                for operation in &alter.operations {
                    if let Some(renamed) = self.alter_table(&key, operation) {
                        key = renamed;
                    }
                }
            }
            Statement::Drop { object_type: ObjectType::Table, names, .. } => {
                for name in names {
                    self.tables.remove(&table_key(name));
                }
            }
            Statement::Drop { object_type: ObjectType::Index, names, .. } => {
                for name in names {
                    let dropped = name.0.last().and_then(|part| part.as_ident()).map(ident_key);
                    for table in self.tables.values_mut() {
                        table.indexes.retain(|index| index.name.is_none() || index.name != dropped);
                    }
                }
            }
            Statement::RenameTable(renames) => {
                for rename in renames {
                    self.rename_table(&table_key(&rename.old_name), table_key(&rename.new_name));
                }
            }
            _ => {}
        }
    }

    fn create_table(&mut self, create: &CreateTable) {
        let key = table_key(&create.name);
        if create.temporary || (create.if_not_exists && self.tables.contains_key(&key)) {
            return;
        }
        let mut table = Table {
            columns: create.columns.iter().map(|column| ident_key(&column.name)).collect(),
            types: create.columns.iter().map(|column| (ident_key(&column.name), column.data_type.clone())).collect(),
            type_origins: create.columns.iter().map(|column| (ident_key(&column.name), self.current)).collect(),
            ..Table::default()
        };
        for column in &create.columns {
            if column.options.iter().any(|option| matches!(option.option, ColumnOption::ForeignKey(_))) {
                table.foreign_keys.push((vec![ident_key(&column.name)], self.current));
            }
        }
        for constraint in &create.constraints {
            if let TableConstraint::ForeignKey(foreign_key) = constraint {
                table.foreign_keys.push((foreign_key.columns.iter().map(ident_key).collect(), self.current));
            }
        }
        for column in &create.columns {
            for option in &column.options {
                table.add_column_option(&ident_key(&column.name), &option.option);
            }
        }
        for constraint in &create.constraints {
            table.add_constraint(constraint);
        }
        self.tables.insert(key, table);
    }

    fn create_index(&mut self, create: &CreateIndex) {
        let Some(table) = self.tables.get_mut(&table_key(&create.table_name)) else { return };
        table.indexes.push(Index {
            name: create.name.as_ref().and_then(|name| name.0.last()).and_then(|part| part.as_ident()).map(ident_key),
            columns: leading_columns(&create.columns),
            partial: create.predicate.is_some(),
            unique: create.unique,
        });
    }

    /// Applies one operation of an `ALTER TABLE`; returns the table's new key when it was
    /// renamed.
    fn alter_table(&mut self, key: &str, operation: &AlterTableOperation) -> Option<String> {
        let current = self.current;
        if let AlterTableOperation::RenameTable { table_name: RenameTableNameKind::To(name) | RenameTableNameKind::As(name) } = operation {
            let renamed = table_key(name);
            self.rename_table(key, renamed.clone());
            return Some(renamed);
        }
        let table = self.tables.get_mut(key)?;
        match operation {
            AlterTableOperation::AddColumn { column_def, .. } => {
                let column = ident_key(&column_def.name);
                if !table.columns.contains(&column) {
                    table.columns.push(column.clone());
                }
                table.types.insert(column.clone(), column_def.data_type.clone());
                table.type_origins.insert(column.clone(), current);
                if column_def.options.iter().any(|option| matches!(option.option, ColumnOption::ForeignKey(_))) {
                    table.foreign_keys.push((vec![column.clone()], current));
                }
                for option in &column_def.options {
                    table.add_column_option(&column, &option.option);
                }
            }
            AlterTableOperation::AddConstraint { constraint, .. } => {
                if let TableConstraint::ForeignKey(foreign_key) = constraint {
                    table.foreign_keys.push((foreign_key.columns.iter().map(ident_key).collect(), current));
                }
                table.add_constraint(constraint);
            }
            AlterTableOperation::DropColumn { column_names, .. } => {
                for name in column_names {
                    table.drop_column(&ident_key(name));
                }
            }
            AlterTableOperation::RenameColumn { old_column_name, new_column_name } => {
                table.rename_column(&ident_key(old_column_name), &ident_key(new_column_name));
            }
            AlterTableOperation::ChangeColumn { old_name, new_name, data_type, .. } => {
                table.rename_column(&ident_key(old_name), &ident_key(new_name));
                table.types.insert(ident_key(new_name), data_type.clone());
                table.type_origins.insert(ident_key(new_name), current);
            }
            AlterTableOperation::ModifyColumn { col_name, data_type, .. } => {
                table.types.insert(ident_key(col_name), data_type.clone());
                table.type_origins.insert(ident_key(col_name), current);
            }
            AlterTableOperation::AlterColumn { column_name, op: AlterColumnOperation::SetDataType { data_type, .. } } => {
                table.types.insert(ident_key(column_name), data_type.clone());
                table.type_origins.insert(ident_key(column_name), current);
            }
            AlterTableOperation::AlterColumn { column_name, op: AlterColumnOperation::SetNotNull } => {
                table.not_null.insert(ident_key(column_name));
            }
            AlterTableOperation::AlterColumn { column_name, op: AlterColumnOperation::DropNotNull } => {
                table.not_null.remove(&ident_key(column_name));
            }
            AlterTableOperation::DropConstraint { name, .. } | AlterTableOperation::DropIndex { name } => {
                let dropped = Some(ident_key(name));
                if table.indexes.iter().any(|index| index.name == dropped && Some(&index.columns) == table.primary_key.as_ref()) {
                    table.primary_key = None;
                }
                table.indexes.retain(|index| index.name != dropped);
            }
            AlterTableOperation::DropPrimaryKey { .. } => {
                let primary_key = table.primary_key.take();
                table.indexes.retain(|index| Some(&index.columns) != primary_key.as_ref());
            }
            _ => {}
        }
        None
    }

    fn rename_table(&mut self, from: &str, to: String) {
        if let Some(table) = self.tables.remove(from) {
            self.tables.insert(to, table);
        }
    }
}

impl Table {
    /// Whether an index starts with exactly these columns (in any order) and covers every
    /// row: what a foreign key's checks and joins need.
    pub fn has_index_on(&self, columns: &[String]) -> bool {
        self.indexes.iter().any(|index| {
            !index.partial
                && index.columns.len() >= columns.len()
                && columns.iter().all(|column| index.columns[..columns.len()].contains(column))
        })
    }

    /// Whether a unique index over columns that are all `NOT NULL` identifies each row: a
    /// primary key in all but name (InnoDB clusters on it, diesel maps it as the key).
    pub fn has_natural_key(&self) -> bool {
        self.indexes.iter().any(|index| {
            index.unique && !index.partial && !index.columns.is_empty() && index.columns.iter().all(|column| self.not_null.contains(column))
        })
    }

    fn add_column_option(&mut self, column: &str, option: &ColumnOption) {
        let columns = vec![column.to_owned()];
        match option {
            ColumnOption::PrimaryKey(constraint) => {
                self.primary_key = Some(columns.clone());
                self.not_null.insert(column.to_owned());
                self.indexes.push(Index { name: constraint.name.as_ref().map(ident_key), columns, partial: false, unique: true });
            }
            ColumnOption::Unique(constraint) => {
                self.indexes.push(Index { name: constraint.name.as_ref().map(ident_key), columns, partial: false, unique: true });
            }
            ColumnOption::NotNull => {
                self.not_null.insert(column.to_owned());
            }
            _ => {}
        }
    }

    fn add_constraint(&mut self, constraint: &TableConstraint) {
        match constraint {
            TableConstraint::PrimaryKey(primary_key) => {
                let columns = leading_columns(&primary_key.columns);
                self.primary_key = Some(columns.clone());
                self.not_null.extend(columns.iter().cloned());
                self.indexes.push(Index { name: primary_key.name.as_ref().map(ident_key), columns, partial: false, unique: true });
            }
            TableConstraint::Unique(unique) => {
                let columns = leading_columns(&unique.columns);
                self.indexes.push(Index { name: unique.name.as_ref().map(ident_key), columns, partial: false, unique: true });
            }
            // MySQL's `INDEX name (columns)` inside `CREATE TABLE`.
            TableConstraint::Index(index) => {
                let columns = leading_columns(&index.columns);
                self.indexes.push(Index { name: index.name.as_ref().map(ident_key), columns, partial: false, unique: false });
            }
            _ => {}
        }
    }

    fn drop_column(&mut self, column: &str) {
        self.columns.retain(|existing| existing != column);
        self.not_null.remove(column);
        self.types.remove(column);
        self.type_origins.remove(column);
        self.foreign_keys.retain(|(columns, _)| !columns.iter().any(|existing| existing == column));
        if self.primary_key.as_ref().is_some_and(|key| key.iter().any(|existing| existing == column)) {
            self.primary_key = None;
        }
        self.indexes.retain(|index| !index.columns.iter().any(|existing| existing == column));
    }

    fn rename_column(&mut self, from: &str, to: &str) {
        let rename = |columns: &mut Vec<String>| {
            for column in columns.iter_mut().filter(|column| *column == from) {
                *column = to.to_owned();
            }
        };
        rename(&mut self.columns);
        if self.not_null.remove(from) {
            self.not_null.insert(to.to_owned());
        }
        if let Some(data_type) = self.types.remove(from) {
            self.types.insert(to.to_owned(), data_type);
        }
        if let Some(origin) = self.type_origins.remove(from) {
            self.type_origins.insert(to.to_owned(), origin);
        }
        for (columns, _) in &mut self.foreign_keys {
            rename(columns);
        }
        if let Some(key) = &mut self.primary_key {
            rename(key);
        }
        for index in &mut self.indexes {
            rename(&mut index.columns);
        }
    }
}

/// The plain columns an index or a key starts with, up to the first expression.
pub fn leading_columns(columns: &[IndexColumn]) -> Vec<String> {
    columns
        .iter()
        .map_while(|column| match &column.column.expr {
            Expr::Identifier(ident) => Some(ident_key(ident)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn schema(sql: &str) -> Schema {
        let mut schema = Schema::default();
        for statement in Parser::parse_sql(&PostgreSqlDialect {}, sql).unwrap() {
            schema.apply(&statement);
        }
        schema
    }

    #[test]
    fn follows_tables_columns_and_indexes() {
        let built = schema(
            "CREATE TABLE Public.Users (id bigint PRIMARY KEY, \"Email\" text UNIQUE, org_id int);
             CREATE INDEX users_org ON users (org_id, id);
             CREATE INDEX users_lower ON users (lower(\"Email\"));
             CREATE TEMPORARY TABLE scratch (x int);
             ALTER TABLE users RENAME COLUMN org_id TO team_id, ADD COLUMN note text;
             ALTER TABLE users RENAME TO accounts;",
        );
        assert_eq!(built.tables.keys().collect::<Vec<_>>(), ["accounts"]);
        let accounts = &built.tables["accounts"];
        assert_eq!(accounts.columns, ["id", "Email", "team_id", "note"]);
        assert_eq!(accounts.primary_key.as_deref(), Some(&["id".to_owned()][..]));
        assert!(accounts.has_index_on(&["team_id".into()]) && accounts.has_index_on(&["Email".into()]));
        assert!(!accounts.has_index_on(&["note".into()]));
        assert!(accounts.indexes.iter().any(|index| index.name.as_deref() == Some("users_lower") && index.columns.is_empty()));
        let dropped = schema(
            "CREATE TABLE t (a int, b int, PRIMARY KEY (a, b)); CREATE INDEX i ON t (b); DROP INDEX i; ALTER TABLE t DROP COLUMN a;",
        );
        assert_eq!(dropped.tables["t"].primary_key, None);
        assert!(dropped.tables["t"].indexes.is_empty());
        assert!(schema("CREATE TABLE t (a int); DROP TABLE IF EXISTS t;").tables.is_empty());
        let retyped = schema(
            "CREATE TABLE t (at timestamp, b int); ALTER TABLE t ALTER COLUMN at TYPE timestamptz; ALTER TABLE t RENAME COLUMN b TO c;",
        );
        assert_eq!(retyped.tables["t"].types["at"].to_string().to_ascii_lowercase(), "timestamptz");
        assert!(retyped.tables["t"].types.contains_key("c") && !retyped.tables["t"].types.contains_key("b"));
        // PostgreSQL's `COLUMN` keyword is optional.
        let bare = schema("CREATE TABLE t (at timestamp); alter table t alter at type timestamptz;");
        assert_eq!(bare.tables["t"].types["at"].to_string().to_ascii_lowercase(), "timestamptz");
        let keyed = |sql: &str| schema(sql).tables["t"].has_natural_key();
        assert!(keyed("CREATE TABLE t (a int NOT NULL, b int NOT NULL, UNIQUE (a, b));"));
        assert!(keyed("CREATE TABLE t (a int NOT NULL, b int); CREATE UNIQUE INDEX i ON t (a);"));
        assert!(keyed("CREATE TABLE t (a int, b int NOT NULL); CREATE UNIQUE INDEX i ON t (a, b); ALTER TABLE t ALTER a SET NOT NULL;"));
        assert!(!keyed("CREATE TABLE t (a int NOT NULL, b int, UNIQUE (a, b));"), "a null b repeats the row");
        assert!(!keyed("CREATE TABLE t (a int NOT NULL); CREATE INDEX i ON t (a);"));
        assert!(!keyed("CREATE TABLE t (a int NOT NULL); CREATE UNIQUE INDEX i ON t (a) WHERE a > 0;"));
    }
}
