//! Splitting a migration into statements without parsing it: a scan that knows quotes,
//! dollar-quoted bodies, comments and `BEGIN … END` blocks, so that one broken statement
//! never hides the others from the rules.

use std::ops::Range;

use crate::config::SqlDialect;

/// One statement of a migration, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawStatement {
    /// From its first keyword to the end of its last token, without the `;`.
    pub span: Range<usize>,
    /// Where its `;` is, when it has one.
    pub semicolon: Option<usize>,
    /// Its first words, in capitals (at most [`LEADING_WORDS`]).
    pub leading_words: Vec<String>,
    /// In the down section of a file that holds both directions (dbmate's `-- migrate:down`,
    /// goose's `-- +goose Down`).
    pub down: bool,
}

/// A comment: `-- …` to the end of its line, or `/* … */`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub span: Range<usize>,
    /// The text inside the comment markers.
    pub body: Range<usize>,
}

/// How many leading words a statement keeps: enough to tell `CREATE UNIQUE INDEX` or
/// `CREATE GLOBAL TEMPORARY TABLE` from the rest.
pub const LEADING_WORDS: usize = 6;

/// The statements and comments of a migration.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Split {
    pub statements: Vec<RawStatement>,
    pub comments: Vec<Comment>,
}

/// Splits `text` into statements at each `;` that is outside quotes, comments, dollar-quoted
/// bodies and the `BEGIN … END` body of a trigger, function or procedure. Text that ends
/// inside a quote or a comment ends the last statement; nothing is an error here.
pub fn split(text: &str, dialect: SqlDialect) -> Split {
    Splitter { text, bytes: text.as_bytes(), dialect, position: 0, split: Split::default() }.run()
}

struct Splitter<'t> {
    text: &'t str,
    bytes: &'t [u8],
    dialect: SqlDialect,
    position: usize,
    split: Split,
}

/// What is known of the statement being read.
#[derive(Default)]
struct Current {
    start: Option<usize>,
    end: usize,
    leading_words: Vec<String>,
    /// `BEGIN`/`CASE` blocks open in a trigger, function or procedure body.
    block_depth: usize,
    /// The last word was `END`: an `END IF` or `END LOOP` does not close a block.
    after_end: bool,
    down: bool,
}

impl Splitter<'_> {
    fn run(mut self) -> Split {
        let mut current = Current::default();
        let mut down = false;
        // goose's `-- +goose StatementBegin` … `StatementEnd` keeps its `;`s in one statement.
        let mut held = false;
        while self.position < self.bytes.len() {
            let start = self.position;
            let byte = self.bytes[start];
            match byte {
                b';' if current.block_depth == 0 && !held => {
                    self.position += 1;
                    self.finish(&mut current, Some(start));
                    current = Current::default();
                    continue;
                }
                b'-' if self.bytes.get(start + 1) == Some(&b'-') => {
                    let end = self.text[start..].find('\n').map_or(self.bytes.len(), |offset| start + offset);
                    self.position = end;
                    let body = start + 2..end;
                    match marker(self.text[body.clone()].trim()) {
                        Some(Marker::Down) => down = true,
                        Some(Marker::Up) => down = false,
                        Some(Marker::StatementBegin) => held = true,
                        Some(Marker::StatementEnd) => held = false,
                        None => {}
                    }
                    self.split.comments.push(Comment { span: start..end, body });
                    continue;
                }
                b'#' if self.dialect == SqlDialect::Mysql => {
                    let end = self.text[start..].find('\n').map_or(self.bytes.len(), |offset| start + offset);
                    self.position = end;
                    self.split.comments.push(Comment { span: start..end, body: start + 1..end });
                    continue;
                }
                b'/' if self.bytes.get(start + 1) == Some(&b'*') => {
                    let end = self.block_comment_end(start);
                    self.position = end;
                    let body_end = if self.text[start..end].ends_with("*/") && end >= start + 4 { end - 2 } else { end };
                    self.split.comments.push(Comment { span: start..end, body: start + 2..body_end });
                    continue;
                }
                _ if byte.is_ascii_whitespace() => {
                    self.position += 1;
                    continue;
                }
                _ => {}
            }
            if current.start.is_none() {
                current.start = Some(start);
                current.down = down;
            }
            match byte {
                b'\'' => {
                    let escapes = self.dialect == SqlDialect::Mysql
                        || (start > 0 && matches!(self.bytes[start - 1], b'E' | b'e') && !is_word_byte(self.byte_before(start - 1)));
                    self.position = self.quoted_end(start, b'\'', escapes);
                }
                b'"' => self.position = self.quoted_end(start, b'"', self.dialect == SqlDialect::Mysql),
                b'`' => self.position = self.quoted_end(start, b'`', false),
                b'[' if self.dialect == SqlDialect::Sqlite => self.position = self.quoted_end(start, b']', false),
                b'$' if self.dialect != SqlDialect::Mysql => match self.dollar_tag(start) {
                    Some(tag) => {
                        let body = start + tag.len();
                        self.position = self.text[body..].find(tag).map_or(self.bytes.len(), |offset| body + offset + tag.len());
                    }
                    None => self.position = start + 1,
                },
                _ if is_word_start(byte) => {
                    let mut end = start + 1;
                    while end < self.bytes.len() && is_word_byte(self.bytes[end]) {
                        end += 1;
                    }
                    self.position = end;
                    self.word(&mut current, &self.text[start..end]);
                }
                _ => {
                    // One character, kept whole so that a statement never ends inside it.
                    let width = self.text[start..].chars().next().map_or(1, char::len_utf8);
                    self.position = start + width;
                }
            }
            current.end = self.position;
        }
        self.finish(&mut current, None);
        self.split
    }

    fn byte_before(&self, index: usize) -> u8 {
        if index == 0 { b' ' } else { self.bytes[index - 1] }
    }

    /// Reads one word of the statement: its leading words, and the blocks of routine bodies.
    fn word(&self, current: &mut Current, word: &str) {
        let upper = word.to_ascii_uppercase();
        let after_end = std::mem::take(&mut current.after_end);
        if current.leading_words.len() < LEADING_WORDS {
            current.leading_words.push(upper.clone());
        }
        if !has_body(&current.leading_words) {
            return;
        }
        match (after_end, upper.as_str()) {
            // `END IF`, `END LOOP`: the `END` closed nothing the count opened.
            (true, "IF" | "LOOP" | "WHILE" | "REPEAT") => current.block_depth += 1,
            // `END CASE` closed the `CASE`.
            (true, "CASE") => {}
            (_, "BEGIN" | "CASE") => current.block_depth += 1,
            (_, "END") if current.block_depth > 0 => {
                current.block_depth -= 1;
                current.after_end = true;
            }
            _ => {}
        }
    }

    fn finish(&mut self, current: &mut Current, semicolon: Option<usize>) {
        if let Some(start) = current.start {
            self.split.statements.push(RawStatement {
                span: start..current.end,
                semicolon,
                leading_words: std::mem::take(&mut current.leading_words),
                down: current.down,
            });
        }
    }

    /// The end of a `/* … */` comment (nested ones count), or of the text.
    fn block_comment_end(&self, start: usize) -> usize {
        let mut depth = 0usize;
        let mut index = start;
        while index + 1 < self.bytes.len() {
            match (self.bytes[index], self.bytes[index + 1]) {
                (b'/', b'*') => {
                    depth += 1;
                    index += 2;
                }
                (b'*', b'/') => {
                    depth -= 1;
                    index += 2;
                    if depth == 0 {
                        return index;
                    }
                }
                _ => index += 1,
            }
        }
        self.bytes.len()
    }

    /// The end of a quoted string or identifier that starts at `start` (a doubled quote is
    /// one quote; with `escapes`, a backslash escapes the next character).
    fn quoted_end(&self, start: usize, quote: u8, escapes: bool) -> usize {
        let mut index = start + 1;
        while index < self.bytes.len() {
            match self.bytes[index] {
                b'\\' if escapes => index += 2,
                byte if byte == quote => {
                    if self.bytes.get(index + 1) == Some(&quote) && quote != b']' {
                        index += 2;
                    } else {
                        return index + 1;
                    }
                }
                _ => index += 1,
            }
        }
        self.bytes.len()
    }

    /// `$$` or `$tag$` at `start` (a `$1` parameter is not a tag).
    fn dollar_tag(&self, start: usize) -> Option<&str> {
        if start > 0 && is_word_byte(self.bytes[start - 1]) {
            return None;
        }
        let rest = &self.bytes[start + 1..];
        let length = rest.iter().take_while(|byte| is_word_byte(**byte) && **byte != b'$').count();
        if rest.first().is_some_and(u8::is_ascii_digit) || rest.get(length) != Some(&b'$') {
            return None;
        }
        self.text.get(start..start + length + 2)
    }
}

/// Whether a statement that starts with these words has a body of its own with `;`s in it:
/// `CREATE TRIGGER … BEGIN … END` (SQLite, MySQL), `BEGIN ATOMIC … END` (PostgreSQL).
fn has_body(leading_words: &[String]) -> bool {
    leading_words.first().is_some_and(|word| word == "CREATE")
        && leading_words.iter().any(|word| matches!(word.as_str(), "TRIGGER" | "FUNCTION" | "PROCEDURE"))
}

fn is_word_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_' || byte >= 0x80
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$' || byte >= 0x80
}

enum Marker {
    Up,
    Down,
    StatementBegin,
    StatementEnd,
}

/// The section markers of tools that keep both directions in one file: dbmate
/// (`-- migrate:up`, `-- migrate:down`), goose (`-- +goose Up`) and sql-migrate
/// (`-- +migrate Down`).
fn marker(comment: &str) -> Option<Marker> {
    // dbmate takes options after the marker: `-- migrate:up transaction:false`.
    let lower = comment.to_ascii_lowercase();
    let first = lower.split_whitespace().next().unwrap_or_default();
    match (first, lower.as_str()) {
        ("migrate:up", _) | (_, "+goose up" | "+migrate up") => Some(Marker::Up),
        ("migrate:down", _) | (_, "+goose down" | "+migrate down") => Some(Marker::Down),
        (_, "+goose statementbegin" | "+migrate statementbegin") => Some(Marker::StatementBegin),
        (_, "+goose statementend" | "+migrate statementend") => Some(Marker::StatementEnd),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statements(text: &str, dialect: SqlDialect) -> Vec<&str> {
        split(text, dialect).statements.iter().map(|statement| &text[statement.span.clone()]).collect()
    }

    #[test]
    fn splits_at_semicolons_outside_quotes_comments_and_bodies() {
        let text = "CREATE TABLE a (x text DEFAULT ';'); -- a ; comment\n/* b; */ INSERT INTO a VALUES ('it''s;');\nSELECT \"a;b\" FROM a";
        assert_eq!(
            statements(text, SqlDialect::Postgres),
            ["CREATE TABLE a (x text DEFAULT ';')", "INSERT INTO a VALUES ('it''s;')", "SELECT \"a;b\" FROM a"]
        );
        let function = "CREATE FUNCTION f() RETURNS trigger AS $body$\nBEGIN\n  NEW.x := 1; RETURN NEW;\nEND;\n$body$ LANGUAGE plpgsql;\nCREATE TABLE b (id int);";
        assert_eq!(statements(function, SqlDialect::Postgres).len(), 2);
        let dollars = "DO $$ BEGIN PERFORM 1; END $$; SELECT $1;";
        assert_eq!(statements(dollars, SqlDialect::Postgres), ["DO $$ BEGIN PERFORM 1; END $$", "SELECT $1"]);
    }

    #[test]
    fn keeps_trigger_bodies_whole() {
        let text = "CREATE TRIGGER t AFTER UPDATE ON a BEGIN\n  UPDATE a SET n = CASE WHEN 1 THEN 2 END;\n  SELECT 1;\nEND;\nCREATE TABLE c (id int);";
        let found = statements(text, SqlDialect::Sqlite);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].ends_with("END"));
        let mysql = "CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END IF; END; DROP TABLE x;";
        assert_eq!(statements(mysql, SqlDialect::Mysql).len(), 2);
        // `BEGIN;` as a transaction is a statement of its own.
        assert_eq!(statements("BEGIN; CREATE TABLE d (id int); COMMIT;", SqlDialect::Postgres).len(), 3);
    }

    #[test]
    fn reads_sections_comments_and_leading_words() {
        let text = "-- migrate:up\ncreate unique index i on t (x);\n\n-- migrate:down\ndrop index i;\n";
        let found = split(text, SqlDialect::Postgres);
        assert_eq!(found.statements.len(), 2);
        assert_eq!(found.statements[0].leading_words, ["CREATE", "UNIQUE", "INDEX", "I", "ON", "T"]);
        assert!(!found.statements[0].down && found.statements[1].down);
        assert_eq!(found.comments.len(), 2);
        assert_eq!(&text[found.comments[1].body.clone()], " migrate:down");
        let goose = "-- +goose Up\n-- +goose StatementBegin\nCREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\nSELECT 1;\n-- +goose StatementEnd\n";
        assert_eq!(split(goose, SqlDialect::Postgres).statements.len(), 1);
    }

    #[test]
    fn unterminated_text_ends_the_last_statement() {
        for text in
            ["SELECT 'abc", "SELECT /* never closed", "DO $$ BEGIN", "CREATE TRIGGER t BEGIN SELECT 1;", "é;'\u{0};$", "\"", "$a", "--"]
        {
            let found = split(text, SqlDialect::Postgres);
            for statement in &found.statements {
                assert!(text.get(statement.span.clone()).is_some(), "{text:?}");
            }
        }
        assert_eq!(statements("SELECT 'abc", SqlDialect::Postgres), ["SELECT 'abc"]);
        assert_eq!(statements("x /* a */ /* b", SqlDialect::Postgres), ["x"]);
    }
}
