//! A JSON parser that keeps byte ranges: the fast path for JSON documents (tree-sitter-json
//! is several times slower on multi-megabyte files). It stops at the first error; the caller
//! then falls back to tree-sitter's error recovery.

use super::{Entry, MAX_DEPTH, Node, Span, SyntaxError, Value};

/// Parses a whole JSON text.
pub fn parse(text: &str) -> Result<Option<Node>, SyntaxError> {
    let mut parser = JsonParser { bytes: text.as_bytes(), text, position: 0 };
    parser.skip_whitespace();
    if parser.position == parser.bytes.len() {
        return Ok(None);
    }
    let node = parser.value(0)?;
    parser.skip_whitespace();
    if parser.position != parser.bytes.len() {
        return Err(parser.error("unexpected text after the document"));
    }
    Ok(Some(node))
}

struct JsonParser<'t> {
    bytes: &'t [u8],
    text: &'t str,
    position: usize,
}

impl JsonParser<'_> {
    fn error(&self, message: &str) -> SyntaxError {
        let start = self.position.min(self.bytes.len());
        let end = self.text[start..].chars().next().map_or(start, |character| start + character.len_utf8());
        SyntaxError { span: start..end, message: format!("JSON syntax error: {message}") }
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.position) {
            self.position += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), SyntaxError> {
        self.skip_whitespace();
        if self.bytes.get(self.position) == Some(&byte) {
            self.position += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected {what}")))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        self.skip_whitespace();
        if depth > MAX_DEPTH {
            return Err(self.error(&format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let start = self.position;
        let value = match self.bytes.get(self.position) {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.keyword("true", Value::Bool(true))?,
            Some(b'f') => self.keyword("false", Value::Bool(false))?,
            Some(b'n') => self.keyword("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.error("expected a value")),
            None => return Err(self.error("unexpected end of the document")),
        };
        Ok(Node { span: start..self.position, value })
    }

    fn keyword(&mut self, word: &str, value: Value) -> Result<Value, SyntaxError> {
        if self.bytes[self.position..].starts_with(word.as_bytes()) {
            self.position += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.position;
        if self.bytes.get(self.position) == Some(&b'-') {
            self.position += 1;
        }
        let digits = |parser: &mut Self| {
            let from = parser.position;
            while parser.bytes.get(parser.position).is_some_and(u8::is_ascii_digit) {
                parser.position += 1;
            }
            parser.position > from
        };
        if !digits(self) {
            return Err(self.error("expected digits"));
        }
        if self.bytes.get(self.position) == Some(&b'.') {
            self.position += 1;
            if !digits(self) {
                return Err(self.error("expected digits after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.position) {
            self.position += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.position) {
                self.position += 1;
            }
            if !digits(self) {
                return Err(self.error("expected digits in the exponent"));
            }
        }
        Ok(Value::Number(self.text[start..self.position].to_owned()))
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        let open = self.position;
        self.position += 1;
        let content_start = self.position;
        // The common case: no escapes, copied as one slice.
        while let Some(&byte) = self.bytes.get(self.position) {
            match byte {
                b'"' => {
                    self.position += 1;
                    return Ok(self.text[content_start..self.position - 1].to_owned());
                }
                b'\\' => break,
                0..=0x1F => return Err(self.error("control character in a string")),
                _ => self.position += 1,
            }
        }
        if self.position >= self.bytes.len() {
            self.position = open;
            return Err(self.error("unterminated string"));
        }
        let mut out = self.text[content_start..self.position].to_owned();
        while let Some(&byte) = self.bytes.get(self.position) {
            match byte {
                b'"' => {
                    self.position += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.position += 1;
                    let escape = self.bytes.get(self.position).copied();
                    self.position += 1;
                    match escape {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => out.push(self.unicode_escape()?),
                        _ => {
                            self.position -= 2;
                            return Err(self.error("invalid escape"));
                        }
                    }
                }
                0..=0x1F => return Err(self.error("control character in a string")),
                _ => {
                    let run_start = self.position;
                    while self.bytes.get(self.position).is_some_and(|byte| !matches!(byte, b'"' | b'\\' | 0..=0x1F)) {
                        self.position += 1;
                    }
                    out.push_str(&self.text[run_start..self.position]);
                }
            }
        }
        self.position = open;
        Err(self.error("unterminated string"))
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self.text.get(self.position..self.position + 4).ok_or_else(|| self.error("invalid \\u escape"))?;
        let value = u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid \\u escape"))?;
        self.position += 4;
        Ok(value)
    }

    /// `\uXXXX`, joining UTF-16 surrogate pairs; a lone surrogate becomes U+FFFD.
    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.bytes[self.position..].starts_with(b"\\u") {
            let saved = self.position;
            self.position += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(combined).unwrap_or('\u{FFFD}'));
            }
            self.position = saved;
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    fn object(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.position += 1;
        let mut entries = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.position) == Some(&b'}') {
            self.position += 1;
            return Ok(Value::Map(entries));
        }
        loop {
            self.skip_whitespace();
            if self.bytes.get(self.position) != Some(&b'"') {
                return Err(self.error("expected a string key"));
            }
            let key_start = self.position;
            let key = self.string()?;
            let key_span: Span = key_start..self.position;
            self.expect(b':', "`:`")?;
            let value = self.value(depth + 1)?;
            entries.push(Entry { key, key_span, value });
            self.skip_whitespace();
            match self.bytes.get(self.position) {
                Some(b',') => self.position += 1,
                Some(b'}') => {
                    self.position += 1;
                    return Ok(Value::Map(entries));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.position += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.position) == Some(&b']') {
            self.position += 1;
            return Ok(Value::Seq(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.bytes.get(self.position) {
                Some(b',') => self.position += 1,
                Some(b']') => {
                    self.position += 1;
                    return Ok(Value::Seq(items));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_ranges_and_escapes() {
        let text = r#" {"a": [1, -2.5e3, true, null], "b\"": "x\u00e9\ud83d\ude00\n"} "#;
        let root = parse(text).unwrap().unwrap();
        let entry = root.entry("b\"").unwrap();
        assert_eq!(&text[entry.key_span.clone()], r#""b\"""#);
        assert_eq!(entry.value.as_str(), Some("xé😀\n"));
        assert_eq!(root.get("a").unwrap().as_seq().unwrap()[1].value, Value::Number("-2.5e3".into()));
    }

    #[test]
    fn reports_the_first_error_where_it_is() {
        let error = parse("{\"a\": 1\n \"b\": 2}").unwrap_err();
        assert_eq!(error.span.start, 9);
        assert!(error.message.contains("expected `,` or `}`"));
        assert!(parse("[1,]").is_err());
        assert!(parse(&"[".repeat(1000)).unwrap_err().message.contains("nesting"));
    }
}
