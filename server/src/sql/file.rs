//! One migration as the rules see it: its statements, each parsed on its own, with byte
//! ranges, and the schema before and after it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use sqlparser::ast::{self, Ident, ObjectName};
use sqlparser::dialect::{Dialect, GenericDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer};

use super::schema::{Schema, ident_key, table_key};
use super::split::{Comment, RawStatement, split};
use crate::config::SqlDialect;
use crate::openapi::syntax::Span;

/// One statement of a migration.
#[derive(Debug, Clone)]
pub struct Statement {
    /// From its first keyword to the end of its last token, without the `;`.
    pub span: Span,
    /// Where its `;` is, when it has one.
    pub semicolon: Option<usize>,
    /// Whether it is one the rules read or that changes the schema: `CREATE TABLE`,
    /// `CREATE INDEX`, `ALTER TABLE`, `DROP TABLE`, `DROP INDEX`, `RENAME TABLE`. The others
    /// (data, functions, grants…) are not parsed at all.
    pub kind: StatementKind,
    /// The parsed statement (rarely several, when the parser reads more than one in it).
    pub parsed: Vec<ast::Statement>,
    /// Why it could not be parsed, and where.
    pub error: Option<(Span, String)>,
    /// It could not be parsed because it uses a construct the parser does not know
    /// (PostgreSQL's `ALTER CONSTRAINT`, a `COLLATE` in a type change…), not because it is
    /// wrong: no dialect's parser reads it, and it names such a construct.
    pub unsupported: bool,
    /// In a down migration, or in the down section of a file that holds both directions.
    pub down: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// Read by the rules: a parse error is reported.
    Schema,
    /// Read for what it does to the schema or its rows (`DROP INDEX`, `DELETE`, `TRUNCATE`): a
    /// parse error is not reported.
    SchemaOnly,
    Other,
}

/// The statements of a migration text, parsed.
#[derive(Debug, Clone, Default)]
pub struct ParsedMigration {
    pub statements: Vec<Statement>,
    pub comments: Vec<Comment>,
}

impl ParsedMigration {
    /// Splits and parses a migration; `down` marks every statement as undoing.
    pub fn parse(text: &str, dialect: SqlDialect, down: bool) -> ParsedMigration {
        let split = split(text, dialect);
        let statements = split.statements.iter().map(|raw| parse_statement(text, raw, dialect, down)).collect();
        ParsedMigration { statements, comments: split.comments }
    }

    /// The parsed statements of the up direction, in order.
    pub fn up_statements(&self) -> impl Iterator<Item = (usize, &Statement, &ast::Statement)> {
        self.statements
            .iter()
            .enumerate()
            .filter(|(_, statement)| !statement.down)
            .flat_map(|(index, statement)| statement.parsed.iter().map(move |parsed| (index, statement, parsed)))
    }
}

/// One migration, as the rules see it.
pub struct SqlFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub dialect: SqlDialect,
    pub migration: ParsedMigration,
    /// The schema the earlier migrations of its folder built.
    pub before: Schema,
    /// The schema after this migration.
    pub after: Schema,
    /// The schema after every migration of its folder: a problem a later migration fixed is
    /// gone there. The schema after this migration when it is checked alone.
    pub last: std::sync::Arc<Schema>,
    /// Whether the migration has been released (run in production): the operational rules
    /// leave it alone. See `project::migrations`.
    pub released: bool,
    /// The migrations of its folder in order, with their texts, and this one's position
    /// among them: the origins in [`Schema`] point there. Itself alone when checked alone.
    pub history: std::sync::Arc<Vec<(std::path::PathBuf, std::sync::Arc<str>)>>,
    pub position: usize,
    /// Tables created in this file (or renamed to their name here), with the index of the
    /// statement that did it.
    created: Vec<(String, usize)>,
    /// Columns added in this file: table, column, statement index.
    added: Vec<(String, String, usize)>,
}

impl<'a> SqlFile<'a> {
    pub fn new(path: &'a Path, text: &'a str, dialect: SqlDialect, migration: ParsedMigration, before: Schema) -> Self {
        let mut after = before.clone();
        let mut created = Vec::new();
        let mut added = Vec::new();
        for (index, _, parsed) in migration.up_statements() {
            after.apply(parsed);
            match parsed {
                ast::Statement::CreateTable(create) => created.push((table_key(&create.name), index)),
                ast::Statement::AlterTable(alter) => {
                    let mut table = table_key(&alter.name);
                    for operation in &alter.operations {
                        match operation {
                            ast::AlterTableOperation::AddColumn { column_def, .. } => {
                                added.push((table.clone(), ident_key(&column_def.name), index));
                            }
                            ast::AlterTableOperation::RenameTable {
                                table_name: ast::RenameTableNameKind::To(name) | ast::RenameTableNameKind::As(name),
                            } => {
                                let renamed = table_key(name);
                                if created.iter().any(|(created, _)| *created == table) {
                                    created.push((renamed.clone(), index));
                                }
                                table = renamed;
                            }
                            _ => {}
                        }
                    }
                }
                ast::Statement::RenameTable(renames) => {
                    for rename in renames {
                        if created.iter().any(|(created, _)| *created == table_key(&rename.old_name)) {
                            created.push((table_key(&rename.new_name), index));
                        }
                    }
                }
                _ => {}
            }
        }
        let last = std::sync::Arc::new(after.clone());
        let position = before.current;
        let history = std::sync::Arc::new(vec![(path.to_path_buf(), std::sync::Arc::from(text))]);
        SqlFile { path, text, dialect, migration, before, after, last, released: false, history, position, created, added }
    }

    /// The same migration, in a history: the schema after all the migrations of its folder,
    /// and whether it is released.
    pub fn in_history(
        mut self,
        last: std::sync::Arc<Schema>,
        released: bool,
        history: std::sync::Arc<Vec<(std::path::PathBuf, std::sync::Arc<str>)>>,
    ) -> Self {
        self.last = last;
        self.released = released;
        self.history = history;
        self
    }

    /// Whether an operational rule (`code`: DB001, DB002, DB003, DB008) judges the statement
    /// of index `statement`: the migration is not released, and no marker a peer tool reads
    /// says the statement was reviewed (squawk's `-- squawk-ignore` and
    /// `-- squawk-ignore-file`, diesel-guard's `-- safety-assured` blocks).
    pub fn judges_operation(&self, code: &str, statement: usize) -> bool {
        if self.released {
            return false;
        }
        let Some(judged) = self.migration.statements.get(statement) else { return true };
        !super::markers::reviewed(self.text, &self.migration, judged, code)
    }

    /// The parsed statements of the up direction, in order, with their index.
    pub fn up_statements(&self) -> impl Iterator<Item = (usize, &Statement, &ast::Statement)> {
        self.migration.up_statements()
    }

    /// Whether a statement of this file before `statement` created the table.
    pub fn created_here(&self, table: &ObjectName, statement: usize) -> bool {
        let key = table_key(table);
        self.created.iter().any(|(created, at)| *created == key && *at < statement)
    }

    /// Whether a statement of this file before `statement` created the table or added the
    /// column to it.
    pub fn column_added_here(&self, table: &ObjectName, column: &Ident, statement: usize) -> bool {
        let (table_key, column_key) = (table_key(table), ident_key(column));
        self.created_here(table, statement)
            || self.added.iter().any(|(table, column, at)| *table == table_key && *column == column_key && *at < statement)
    }

    /// Whether a statement of this file after `statement` renames a table created here to
    /// `table`: the table is rebuilt (SQLite's way of altering a table).
    pub fn replaced_later(&self, table: &ObjectName, statement: usize) -> bool {
        let key = table_key(table);
        self.created.iter().any(|(created, at)| *created == key && *at > statement)
    }

    /// Where a span of the parser (lines and characters within the statement) is in the file.
    pub fn span_of(&self, statement: &Statement, span: sqlparser::tokenizer::Span) -> Option<Span> {
        let text = &self.text[statement.span.clone()];
        let start = offset_in(text, span.start)?;
        let end = offset_in(text, span.end)?.max(start);
        Some(statement.span.start + start..statement.span.start + end)
    }

    /// Where an identifier is in the file, or the statement's first line when the parser did
    /// not say.
    pub fn ident_span(&self, statement: &Statement, ident: &Ident) -> Span {
        self.span_of(statement, ident.span).filter(|span| !span.is_empty()).unwrap_or_else(|| self.first_line(statement))
    }

    /// Where a name (`schema.table`) is in the file.
    pub fn name_span(&self, statement: &Statement, name: &ObjectName) -> Span {
        let spans: Vec<Span> = name.0.iter().filter_map(|part| part.as_ident()).map(|ident| self.ident_span(statement, ident)).collect();
        match (spans.first(), spans.last()) {
            (Some(first), Some(last)) if first.start <= last.end => first.start..last.end,
            _ => self.first_line(statement),
        }
    }

    /// The statement's first line.
    pub fn first_line(&self, statement: &Statement) -> Span {
        let text = &self.text[statement.span.clone()];
        statement.span.start..statement.span.start + text.find('\n').unwrap_or(text.len()).min(text.len())
    }

    /// The statement's tokens with their byte ranges in the file (whitespace left out).
    pub fn tokens(&self, statement: &Statement) -> Vec<(Token, Span)> {
        let text = &self.text[statement.span.clone()];
        let dialect = parser_dialect(self.dialect);
        let Ok(tokens) = Tokenizer::new(dialect.as_ref(), text).tokenize_with_location() else { return Vec::new() };
        let mut cursor = LocationCursor::new(text);
        tokens
            .into_iter()
            .filter(|token| !matches!(token.token, Token::Whitespace(_)))
            .filter_map(|TokenWithSpan { token, span }| {
                let start = cursor.offset(span.start)?;
                let end = cursor.offset(span.end)?.max(start);
                Some((token, statement.span.start + start..statement.span.start + end))
            })
            .collect()
    }

    /// The range of the first keyword `word` of the statement.
    pub fn keyword_span(&self, statement: &Statement, word: &str) -> Option<Span> {
        self.tokens(statement).into_iter().find_map(|(token, span)| match token {
            Token::Word(found) if found.quote_style.is_none() && found.value.eq_ignore_ascii_case(word) => Some(span),
            _ => None,
        })
    }

    /// The range of the data type written after `offset` (a column's name, or `TYPE`): its
    /// words and their parentheses (`double precision`, `timestamp(3) without time zone`),
    /// without array brackets.
    pub fn type_span_after(&self, statement: &Statement, offset: usize) -> Option<Span> {
        let tokens = self.tokens(statement);
        let mut rest = tokens.iter().skip_while(|(_, span)| span.start < offset).peekable();
        // `ALTER COLUMN c SET DATA TYPE t`, `ALTER COLUMN c TYPE t`.
        while let Some((Token::Word(word), _)) = rest.peek()
            && word.quote_style.is_none()
            && ["SET", "DATA", "TYPE"].iter().any(|skipped| word.value.eq_ignore_ascii_case(skipped))
        {
            rest.next();
        }
        let (Token::Word(_), first) = rest.next()? else { return None };
        let mut end = first.end;
        let mut depth = 0usize;
        for (token, span) in rest {
            match token {
                Token::LParen => depth += 1,
                Token::RParen if depth > 0 => depth -= 1,
                _ if depth > 0 => {}
                Token::Word(word)
                    if word.quote_style.is_none()
                        && ["PRECISION", "WITH", "WITHOUT", "TIME", "ZONE", "VARYING", "UNSIGNED"]
                            .iter()
                            .any(|part| word.value.eq_ignore_ascii_case(part)) => {}
                _ => break,
            }
            end = span.end;
        }
        Some(first.start..end)
    }
}

/// The parser's dialect for the configured database.
pub fn parser_dialect(dialect: SqlDialect) -> Box<dyn Dialect> {
    match dialect {
        SqlDialect::Postgres => Box::new(PostgreSqlDialect {}),
        SqlDialect::Mysql => Box::new(MySqlDialect {}),
        SqlDialect::Sqlite => Box::new(SQLiteDialect {}),
        SqlDialect::Generic => Box::new(GenericDialect {}),
    }
}

/// What a statement is, from its first words.
fn kind_of(leading_words: &[String]) -> StatementKind {
    let words: Vec<&str> = leading_words.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["CREATE", rest @ ..] => {
            let object = rest
                .iter()
                .find(|word| !matches!(**word, "OR" | "REPLACE" | "GLOBAL" | "LOCAL" | "TEMP" | "TEMPORARY" | "UNLOGGED" | "UNIQUE"));
            match object {
                Some(&"TABLE" | &"INDEX") => StatementKind::Schema,
                _ => StatementKind::Other,
            }
        }
        ["ALTER", "TABLE", ..] | ["DROP", "TABLE", ..] | ["RENAME", "TABLE", ..] => StatementKind::Schema,
        ["DROP", "INDEX", ..] | ["DELETE", ..] | ["TRUNCATE", ..] => StatementKind::SchemaOnly,
        _ => StatementKind::Other,
    }
}

fn parse_statement(text: &str, raw: &RawStatement, dialect: SqlDialect, down: bool) -> Statement {
    let kind = kind_of(&raw.leading_words);
    let mut statement = Statement {
        span: raw.span.clone(),
        semicolon: raw.semicolon,
        kind,
        parsed: Vec::new(),
        error: None,
        unsupported: false,
        down: down || raw.down,
    };
    if kind == StatementKind::Other {
        return statement;
    }
    let sql = &text[raw.span.clone()];
    match parse_sql(sql, dialect) {
        Ok(parsed) => statement.parsed = parsed,
        Err(message) if kind == StatementKind::SchemaOnly => {
            // The parser does not read `DROP INDEX CONCURRENTLY`: without the keyword (blanked
            // out, so positions stay), the names it drops are still known.
            let blanked = blank_word(sql, "CONCURRENTLY");
            match parse_sql(&blanked, dialect) {
                Ok(parsed) => statement.parsed = parsed,
                Err(_) => tracing::debug!("a statement that changes the schema was not read: {message}"),
            }
        }
        Err(message) => {
            // SQL another database's parser reads is taken as written for that database: a
            // migration in a folder the dialect setting does not describe (MySQL's backquotes
            // beside PostgreSQL's) is not wrong.
            if let Some(parsed) = OTHER_DIALECTS.iter().filter(|other| **other != dialect).find_map(|other| parse_sql(sql, *other).ok()) {
                statement.parsed = parsed;
                return statement;
            }
            statement.unsupported = names_unsupported_construct(sql);
            let (location, message) = split_location(&message);
            let at = location.and_then(|location| offset_in(sql, location)).unwrap_or(0);
            let token_length = sql[at..].find(char::is_whitespace).unwrap_or(sql.len() - at).max(1);
            let end = (at + token_length).min(sql.len());
            let end = (at..=end).rev().find(|end| sql.is_char_boundary(*end)).unwrap_or(at);
            // At the end of the statement there is no token to point at: its last line is.
            let span = if end > at { at..end } else { sql.rfind('\n').map_or(0, |line| line + 1)..sql.len() };
            statement.error = Some((raw.span.start + span.start..raw.span.start + span.end, message));
        }
    }
    statement
}

/// The dialects tried, in order, when the migration's own dialect cannot read a statement.
const OTHER_DIALECTS: [SqlDialect; 4] = [SqlDialect::Postgres, SqlDialect::Mysql, SqlDialect::Sqlite, SqlDialect::Generic];

/// Whether a statement uses a construct the SQL parser does not read although databases
/// accept it.
fn names_unsupported_construct(sql: &str) -> bool {
    let words: Vec<String> = sql
        .split(|character: char| !(character.is_alphanumeric() || character == '_'))
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let has =
        |sequence: &[&str]| words.windows(sequence.len()).any(|window| window.iter().zip(sequence).all(|(word, wanted)| word == wanted));
    has(&["ALTER", "CONSTRAINT"])
        || has(&["COLLATE"])
        || has(&["EXCLUDE", "USING"])
        || has(&["INCLUDING"])
        || has(&["GENERATED", "ALWAYS", "AS"])
        || has(&["DEFERRABLE"])
        || has(&["INHERITS"])
        || has(&["PARTITION", "BY"])
        || has(&["WITHOUT", "ROWID"])
        || has(&["VALIDATE", "CONSTRAINT"])
        || has(&["ATTACH", "PARTITION"])
        || has(&["DETACH", "PARTITION"])
        || has(&["USING", "INDEX", "TABLESPACE"])
        || has(&["SET", "STATISTICS"])
        || has(&["REPLICA", "IDENTITY"])
}

/// Parses one statement's text; a panic in the parser is an error like any other.
fn parse_sql(sql: &str, dialect: SqlDialect) -> Result<Vec<ast::Statement>, String> {
    let dialect = parser_dialect(dialect);
    let outcome =
        catch_unwind(AssertUnwindSafe(|| Parser::new(dialect.as_ref()).try_with_sql(sql).and_then(|mut parser| parser.parse_statements())));
    match outcome {
        Ok(Ok(parsed)) => Ok(parsed),
        Ok(Err(error)) => Err(match error {
            sqlparser::parser::ParserError::TokenizerError(message) | sqlparser::parser::ParserError::ParserError(message) => message,
            sqlparser::parser::ParserError::RecursionLimitExceeded => "the statement is nested too deeply".to_owned(),
        }),
        Err(_) => {
            tracing::error!("the SQL parser panicked on a statement");
            Err("the SQL parser failed on this statement".to_owned())
        }
    }
}

/// `text` with each occurrence of the keyword `word` (outside other words) replaced by spaces.
fn blank_word(text: &str, word: &str) -> String {
    let mut out = text.to_owned();
    let upper = text.to_ascii_uppercase();
    let mut from = 0;
    while let Some(found) = upper[from..].find(word).map(|at| at + from) {
        let end = found + word.len();
        let before = upper[..found].chars().next_back().is_none_or(|character| !character.is_alphanumeric() && character != '_');
        let after = upper[end..].chars().next().is_none_or(|character| !character.is_alphanumeric() && character != '_');
        if before && after {
            out.replace_range(found..end, &" ".repeat(word.len()));
        }
        from = end;
    }
    out
}

/// Splits `… at Line: 3, Column: 7` off a parser message.
fn split_location(message: &str) -> (Option<Location>, String) {
    let Some(at) = message.rfind(" at Line: ") else { return (None, message.to_owned()) };
    let numbers: Vec<u64> = message[at + 10..].split(", Column: ").filter_map(|number| number.trim().parse().ok()).collect();
    match numbers.as_slice() {
        [line, column] => (Some(Location { line: *line, column: *column }), message[..at].to_owned()),
        _ => (None, message.to_owned()),
    }
}

/// The byte offset of a parser location in `text`: lines end at `\n`, columns count
/// characters, both from 1. A column past the end of its line is the line's end.
pub fn offset_in(text: &str, location: Location) -> Option<usize> {
    LocationCursor::new(text).offset(location)
}

/// Converts parser locations to byte offsets, walking forward from the last one.
struct LocationCursor<'t> {
    text: &'t str,
    line: u64,
    line_start: usize,
}

impl<'t> LocationCursor<'t> {
    fn new(text: &'t str) -> Self {
        LocationCursor { text, line: 1, line_start: 0 }
    }

    fn offset(&mut self, location: Location) -> Option<usize> {
        if location.line == 0 || location.column == 0 {
            return None;
        }
        if location.line < self.line {
            *self = LocationCursor::new(self.text);
        }
        while self.line < location.line {
            self.line_start += self.text[self.line_start..].find('\n')? + 1;
            self.line += 1;
        }
        let mut offset = self.line_start;
        for _ in 1..location.column {
            match self.text[offset..].chars().next() {
                Some(character) if character != '\n' => offset += character.len_utf8(),
                _ => break,
            }
        }
        Some(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_locations_become_byte_offsets() {
        let text = "é1\r\n  «x» y\nz";
        assert_eq!(offset_in(text, Location { line: 1, column: 2 }), Some(2));
        assert_eq!(offset_in(text, Location { line: 2, column: 3 }), Some(7));
        assert_eq!(&text[offset_in(text, Location { line: 2, column: 7 }).unwrap()..], "y\nz");
        assert_eq!(offset_in(text, Location { line: 2, column: 99 }), Some(text.find("\nz").unwrap()));
        assert_eq!(offset_in(text, Location { line: 3, column: 1 }), Some(text.len() - 1));
        assert_eq!(offset_in(text, Location { line: 9, column: 1 }), None);
        assert_eq!(offset_in(text, Location { line: 0, column: 0 }), None);
    }

    #[test]
    fn identifiers_after_non_ascii_text_are_found_where_they_are() {
        let text = "-- «prix» en €\nALTER TABLE \"commandes_été\" ADD COLUMN \"prix€\" real; CREATE TABLE ü (a int)";
        let file = SqlFile::new(
            Path::new("m.sql"),
            text,
            SqlDialect::Postgres,
            ParsedMigration::parse(text, SqlDialect::Postgres, false),
            Schema::default(),
        );
        let (_, statement, parsed) = file.up_statements().next().unwrap();
        let ast::Statement::AlterTable(alter) = parsed else { panic!("{parsed:?}") };
        assert_eq!(&text[file.name_span(statement, &alter.name)], "\"commandes_été\"");
        let ast::AlterTableOperation::AddColumn { column_def, .. } = &alter.operations[0] else { panic!() };
        let name = file.ident_span(statement, &column_def.name);
        assert_eq!(&text[name.clone()], "\"prix€\"");
        assert_eq!(&text[file.type_span_after(statement, name.end).unwrap()], "real");
        let (_, second, parsed) = file.up_statements().nth(1).unwrap();
        let ast::Statement::CreateTable(create) = parsed else { panic!() };
        assert_eq!(&text[file.name_span(second, &create.name)], "ü");
    }

    #[test]
    fn reads_types_and_reports_parse_errors_where_they_are() {
        let text = "CREATE TABLE t (a timestamp(3) without time zone[] NOT NULL, b double precision, c numeric(10, 2));\nCREATE TABLE broken (a int,, b int);\nCREATE FUNCTION whatever(;\nDROP INDEX CONCURRENTLY IF EXISTS i;";
        let migration = ParsedMigration::parse(text, SqlDialect::Postgres, false);
        let file = SqlFile::new(Path::new("m.sql"), text, SqlDialect::Postgres, migration, Schema::default());
        let statement = &file.migration.statements[0];
        let types: Vec<&str> = ["a", "b", "c"]
            .iter()
            .map(|name| {
                let at = statement.span.start + text.find(&format!("{name} ")).unwrap() + 1;
                &text[file.type_span_after(statement, at).unwrap()]
            })
            .collect();
        assert_eq!(types, ["timestamp(3) without time zone", "double precision", "numeric(10, 2)"]);
        let errors: Vec<&str> = file
            .migration
            .statements
            .iter()
            .filter_map(|statement| statement.error.as_ref())
            .map(|(span, _)| &text[span.clone()])
            .collect();
        assert_eq!(errors, [","], "the function is not read; the broken table is reported at its extra comma");
        assert_eq!(file.migration.statements[3].parsed.len(), 1, "DROP INDEX CONCURRENTLY is read without the keyword");
    }

    #[test]
    fn any_bytes_parse_without_panicking() {
        let samples = [
            "CREATE TABLE",
            "CREATE TABLE t (",
            "ALTER TABLE t ADD COLUMN c timestamp(",
            "CREATE INDEX ON",
            "DROP TABLE ;;;",
            "CREATE TABLE t (a int REFERENCES",
            "CREATE TABLE \u{0}\u{FEFF} ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((",
            "ALTER TABLE é RENAME TO",
            "CREATE TABLE t (a numeric(99999999999999999999999999, 2))",
        ];
        const ALPHABET: &[u8] = b"CREATE TABLE INDEX ALTER DROP ADD COLUMN ();,'\"$`-/*\n\xC3\xA9 0123 NOT NULL REFERENCES";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut generated = Vec::new();
        for _ in 0..200 {
            let length = (state % 120) as usize;
            let mut bytes = Vec::with_capacity(length);
            for _ in 0..length {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                bytes.push(ALPHABET[(state % ALPHABET.len() as u64) as usize]);
            }
            generated.push(String::from_utf8_lossy(&bytes).into_owned());
        }
        for text in samples.iter().map(|sample| sample.to_string()).chain(generated) {
            for dialect in [SqlDialect::Postgres, SqlDialect::Mysql, SqlDialect::Sqlite, SqlDialect::Generic] {
                let migration = ParsedMigration::parse(&text, dialect, false);
                let file = SqlFile::new(Path::new("m.sql"), &text, dialect, migration, Schema::default());
                for statement in &file.migration.statements {
                    assert!(text.get(statement.span.clone()).is_some());
                    if let Some((span, _)) = &statement.error {
                        assert!(text.get(span.clone()).is_some(), "{text:?} {span:?}");
                    }
                    let _ = file.type_span_after(statement, statement.span.start);
                }
            }
        }
    }
}
