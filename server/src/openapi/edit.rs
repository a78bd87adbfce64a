//! Text edits that change a YAML or JSON document in the style it is written in: new keys go
//! after the last sibling with the same indentation and quoting, JSON gets its commas.

use serde_json::Value as Json;

use super::syntax::{Format, Node, Span};

/// Replace `span` with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

impl TextEdit {
    pub fn replace(span: Span, new_text: impl Into<String>) -> Self {
        Self { span, new_text: new_text.into() }
    }

    pub fn insert(offset: usize, new_text: impl Into<String>) -> Self {
        Self { span: offset..offset, new_text: new_text.into() }
    }
}

/// Applies non-overlapping edits to a text.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for edit in sorted {
        if edit.span.start < cursor || edit.span.end > text.len() {
            continue;
        }
        out.push_str(&text[cursor..edit.span.start]);
        out.push_str(&edit.new_text);
        cursor = edit.span.end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// Adds `key: value` to the mapping `map`.
pub fn insert_member(text: &str, format: Format, map: &Node, key: &str, value: &Json) -> TextEdit {
    let entries = map.as_map().unwrap_or_default();
    if format == Format::Json || is_flow(text, map) {
        let one_line = !text[map.span.clone()].contains('\n');
        let indent = entries.first().map_or(line_indent(text, map.span.start) + 2, |entry| column_of(text, entry.key_span.start));
        let member = format!("{}: {}", json_string(key), bracketed_value(value, format, one_line, indent));
        return insert_in_brackets(map, entries.last().map(|entry| entry.value.span.end), member, one_line, indent);
    }
    let Some(last) = entries.last() else {
        // An empty block mapping is written `key:`; give it a block.
        let indent = line_indent(text, map.span.start) + 2;
        let rendered = format!("\n{}{}:{}", " ".repeat(indent), yaml_key(key, text, entries), yaml_value(value, indent));
        return TextEdit::replace(map.span.clone(), rendered);
    };
    let indent = column_of(text, entries[0].key_span.start);
    let line = format!("\n{}{}:{}", " ".repeat(indent), yaml_key(key, text, entries), yaml_value(value, indent));
    TextEdit::insert(line_end(text, last.value.span.end.max(last.key_span.end)), line)
}

/// Adds `value` at the end of the sequence `seq`.
pub fn append_item(text: &str, format: Format, seq: &Node, value: &Json) -> TextEdit {
    let items = seq.as_seq().unwrap_or_default();
    if format == Format::Json || is_flow(text, seq) {
        let one_line = !text[seq.span.clone()].contains('\n');
        let indent = items.first().map_or(line_indent(text, seq.span.start) + 2, |item| column_of(text, item.span.start));
        let rendered = bracketed_value(value, format, one_line, indent);
        return insert_in_brackets(seq, items.last().map(|item| item.span.end), rendered, one_line, indent);
    }
    let Some(last) = items.last() else {
        let indent = line_indent(text, seq.span.start) + 2;
        return TextEdit::replace(seq.span.clone(), format!("\n{}-{}", " ".repeat(indent), yaml_item(value, indent)));
    };
    // The dash of an item sits before its content, on the same line.
    let dash = text[..items[0].span.start].rfind('-').unwrap_or(items[0].span.start);
    let indent = column_of(text, dash);
    TextEdit::insert(line_end(text, last.span.end), format!("\n{}-{}", " ".repeat(indent), yaml_item(value, indent)))
}

/// Removes the member `key` from the mapping `map`: its lines in a block mapping, the member
/// and one comma in JSON or a flow mapping. A mapping left empty becomes `{}`. `None` when
/// the member shares its line with other syntax (`- key: value` in a sequence).
pub fn remove_member(text: &str, format: Format, map: &Node, key: &str) -> Option<TextEdit> {
    let entries = map.as_map()?;
    let position = entries.iter().rposition(|entry| entry.key == key)?;
    let entry = &entries[position];
    let entry_end = entry.value.span.end.max(entry.key_span.end);
    if format == Format::Json || is_flow(text, map) {
        let range = match (position.checked_sub(1).map(|previous| &entries[previous]), entries.get(position + 1)) {
            (Some(previous), _) => previous.value.span.end.max(previous.key_span.end)..entry_end,
            (None, Some(next)) => entry.key_span.start..next.key_span.start,
            (None, None) => entry.key_span.start..entry_end,
        };
        return Some(TextEdit::replace(range, ""));
    }
    let line_start = text[..entry.key_span.start].rfind(['\n', '\r']).map_or(0, |index| index + 1);
    if !text[line_start..entry.key_span.start].trim().is_empty() {
        return None;
    }
    if entries.len() == 1 {
        return Some(TextEdit::replace(entry.key_span.start..entry_end, "{}"));
    }
    let mut end = line_end(text, entry_end);
    let bytes = text.as_bytes();
    if bytes.get(end) == Some(&b'\r') {
        end += 1;
    }
    if bytes.get(end) == Some(&b'\n') {
        end += 1;
    }
    Some(TextEdit::replace(line_start..end, ""))
}

/// A value inside `{…}` or `[…]`: JSON, which YAML flow collections accept as well.
fn bracketed_value(value: &Json, format: Format, one_line: bool, indent: usize) -> String {
    match format {
        Format::Yaml => flow_json(value),
        Format::Json if one_line => compact_json(value),
        Format::Json => pretty_json(value, indent),
    }
}

fn insert_in_brackets(node: &Node, last_end: Option<usize>, member: String, one_line: bool, indent: usize) -> TextEdit {
    match last_end {
        Some(end) if one_line => TextEdit::insert(end, format!(", {member}")),
        Some(end) => TextEdit::insert(end, format!(",\n{}{member}", " ".repeat(indent))),
        None => {
            let inside = node.span.start + 1;
            TextEdit::replace(inside..node.span.end.saturating_sub(1).max(inside), member)
        }
    }
}

fn is_flow(text: &str, node: &Node) -> bool {
    matches!(text.as_bytes().get(node.span.start), Some(b'{' | b'['))
}

/// The column (in bytes) of an offset on its line.
fn column_of(text: &str, offset: usize) -> usize {
    offset - text[..offset].rfind(['\n', '\r']).map_or(0, |index| index + 1)
}

/// The indentation of the line that holds `offset`.
fn line_indent(text: &str, offset: usize) -> usize {
    let start = text[..offset].rfind(['\n', '\r']).map_or(0, |index| index + 1);
    text[start..].len() - text[start..].trim_start_matches(' ').len()
}

/// The end of the line that holds the last character before `offset` (after any trailing
/// comment), where a new sibling line can be inserted.
fn line_end(text: &str, offset: usize) -> usize {
    let anchor = offset.saturating_sub(1).min(text.len());
    let anchor = if text.as_bytes().get(anchor) == Some(&b'\n') { anchor } else { offset.min(text.len()) };
    let mut end = anchor;
    let bytes = text.as_bytes();
    // Skip back over a line break that closes a block scalar, so the new line follows it.
    if bytes.get(end) == Some(&b'\n') {
        while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        return end;
    }
    while end < bytes.len() && !matches!(bytes[end], b'\n' | b'\r') {
        end += 1;
    }
    end
}

/// Quotes a new key the way its siblings are quoted; status codes are always quoted.
fn yaml_key(key: &str, text: &str, siblings: &[super::syntax::Entry]) -> String {
    let quote = siblings.iter().find_map(|entry| match text.as_bytes().get(entry.key_span.start) {
        Some(b'\'') => Some('\''),
        Some(b'"') => Some('"'),
        _ => None,
    });
    let needs_quotes = yaml_needs_quotes(key);
    match quote {
        Some('\'') if needs_quotes || key.chars().all(|character| character.is_ascii_digit()) => {
            format!("'{}'", key.replace('\'', "''"))
        }
        Some(_) if needs_quotes || key.chars().all(|character| character.is_ascii_digit()) => json_string(key),
        _ if needs_quotes => json_string(key),
        _ => key.to_owned(),
    }
}

fn yaml_needs_quotes(text: &str) -> bool {
    text.is_empty()
        || text.parse::<f64>().is_ok()
        || matches!(text.to_ascii_lowercase().as_str(), "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off")
        || text.starts_with([' ', '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`'])
        || text.ends_with(' ')
        || text.contains(": ")
        || text.contains(" #")
        || text.contains(['\n', '\t'])
}

/// What follows `key:` for a value in block style at `indent`.
fn yaml_value(value: &Json, indent: usize) -> String {
    match value {
        Json::Object(map) if !map.is_empty() => {
            let inner = " ".repeat(indent + 2);
            map.iter().map(|(key, value)| format!("\n{inner}{}:{}", yaml_plain_or_quoted(key), yaml_value(value, indent + 2))).collect()
        }
        Json::Array(items) if !items.is_empty() => {
            let inner = " ".repeat(indent + 2);
            items.iter().map(|item| format!("\n{inner}-{}", yaml_item(item, indent + 2))).collect()
        }
        scalar => format!(" {}", yaml_scalar(scalar)),
    }
}

/// What follows `-` for a sequence item whose dash is at `indent`.
fn yaml_item(value: &Json, indent: usize) -> String {
    match value {
        Json::Object(map) if !map.is_empty() => {
            let inner = " ".repeat(indent + 2);
            let mut out = String::new();
            for (index, (key, value)) in map.iter().enumerate() {
                let prefix = if index == 0 { " ".to_owned() } else { format!("\n{inner}") };
                out.push_str(&format!("{prefix}{}:{}", yaml_plain_or_quoted(key), yaml_value(value, indent + 2)));
            }
            out
        }
        other => yaml_value(other, indent),
    }
}

fn yaml_plain_or_quoted(text: &str) -> String {
    if yaml_needs_quotes(text) { json_string(text) } else { text.to_owned() }
}

fn yaml_scalar(value: &Json) -> String {
    match value {
        Json::String(text) => yaml_plain_or_quoted(text),
        Json::Object(_) => "{}".into(),
        Json::Array(_) => "[]".into(),
        other => other.to_string(),
    }
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

fn compact_json(value: &Json) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// JSON is valid YAML flow content.
fn flow_json(value: &Json) -> String {
    compact_json(value).replace("\":", "\": ").replace(",\"", ", \"")
}

/// Pretty JSON whose continuation lines sit under a member at `indent`.
fn pretty_json(value: &Json, indent: usize) -> String {
    let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
    let padding = " ".repeat(indent);
    pretty.lines().enumerate().map(|(index, line)| if index == 0 { line.to_owned() } else { format!("\n{padding}{line}") }).collect()
}

/// One edit of a text: bytes `start..old_end` of the old text became `start..new_end` of the
/// new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl Change {
    /// The smallest edit that turns `old` into `new`; `None` when they are equal.
    pub fn between(old: &str, new: &str) -> Option<Change> {
        if old == new {
            return None;
        }
        let (old_bytes, new_bytes) = (old.as_bytes(), new.as_bytes());
        let start = common_prefix(old_bytes, new_bytes);
        let room = old_bytes.len().min(new_bytes.len()) - start;
        let suffix = common_suffix(&old_bytes[old_bytes.len() - room..], &new_bytes[new_bytes.len() - room..]);
        Some(Change { start, old_end: old_bytes.len() - suffix, new_end: new_bytes.len() - suffix })
    }

    fn is_insertion(&self) -> bool {
        self.start == self.old_end
    }

    fn moved(&self, offset: usize) -> usize {
        offset - self.old_end + self.new_end
    }

    /// Where a range that starts at `offset` starts after the edit: text inserted at its
    /// start goes before it. `None` inside the replaced text.
    pub fn start_of(&self, offset: usize) -> Option<usize> {
        if offset <= self.start {
            Some(offset)
        } else if offset >= self.old_end {
            Some(self.moved(offset))
        } else {
            None
        }
    }

    /// Where a range that ends at `offset` ends after the edit: text inserted at its end
    /// belongs to it (typing at the end of a value). `None` inside the replaced text.
    pub fn end_of(&self, offset: usize) -> Option<usize> {
        if offset < self.start || (offset == self.start && !self.is_insertion()) {
            Some(offset)
        } else if offset >= self.old_end {
            Some(self.moved(offset))
        } else {
            None
        }
    }

    /// A range after the edit. An empty range where text is inserted is ambiguous (before
    /// or after the new text?): `None`.
    pub fn span(&self, span: &Span) -> Option<Span> {
        if span.is_empty() && self.is_insertion() && span.start == self.start {
            return None;
        }
        let start = self.start_of(span.start)?;
        let end = self.end_of(span.end)?.max(start);
        Some(start..end)
    }

    /// Whether the edit falls inside `span` (its ends included).
    pub fn within(&self, span: &Span) -> bool {
        span.start <= self.start && self.old_end <= span.end
    }
}

/// The length of the common start of two texts, compared a block at a time.
fn common_prefix(left: &[u8], right: &[u8]) -> usize {
    const BLOCK: usize = 4096;
    let length = left.len().min(right.len());
    let mut start = 0;
    while start + BLOCK <= length && left[start..start + BLOCK] == right[start..start + BLOCK] {
        start += BLOCK;
    }
    start + left[start..length].iter().zip(&right[start..length]).take_while(|(a, b)| a == b).count()
}

/// The length of the common end of two texts of the same length.
fn common_suffix(left: &[u8], right: &[u8]) -> usize {
    const BLOCK: usize = 4096;
    let length = left.len().min(right.len());
    let (left, right) = (&left[left.len() - length..], &right[right.len() - length..]);
    let mut matched = 0;
    while matched + BLOCK <= length && left[length - matched - BLOCK..length - matched] == right[length - matched - BLOCK..length - matched]
    {
        matched += BLOCK;
    }
    matched + left[..length - matched].iter().rev().zip(right[..length - matched].iter().rev()).take_while(|(a, b)| a == b).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi::syntax::parse;
    use serde_json::json;

    fn insert_yaml(text: &str, path: &[&str], key: &str, value: Json) -> String {
        let parsed = parse(text, Format::Yaml);
        let mut node = parsed.root.as_ref().unwrap();
        for step in path {
            node = node.get(step).unwrap();
        }
        let edit = insert_member(text, Format::Yaml, node, key, &value);
        apply_edits(text, &[edit])
    }

    #[test]
    fn inserts_block_members_with_sibling_indentation() {
        let text = "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok  # fine\nx: 1\n";
        let out = insert_yaml(text, &["paths", "/a", "get", "responses"], "429", json!({"description": "Too many requests"}));
        assert_eq!(
            out,
            "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok  # fine\n        '429':\n          description: Too many requests\nx: 1\n"
        );
        assert!(parse(&out, Format::Yaml).errors.is_empty());
    }

    #[test]
    fn inserts_after_a_block_scalar() {
        let text = "op:\n  description: |\n    long\n    text\n  responses: {}\n";
        let out = insert_yaml(text, &["op"], "operationId", json!("getA"));
        let root = parse(&out, Format::Yaml).root.unwrap();
        assert_eq!(root.get("op").unwrap().get("operationId").unwrap().as_str(), Some("getA"));
        assert_eq!(root.get("op").unwrap().get("description").unwrap().as_str(), Some("long\ntext\n"));
    }

    #[test]
    fn inserts_into_flow_and_json_objects() {
        let text = "a: {b: 1}\n";
        let out = insert_yaml(text, &["a"], "c", json!({"d": [1]}));
        assert_eq!(out, "a: {b: 1, \"c\": {\"d\": [1]}}\n");
        let json_text = "{\n  \"a\": {\n    \"b\": 1\n  }\n}";
        let parsed = parse(json_text, Format::Json);
        let node = parsed.root.as_ref().unwrap().get("a").unwrap();
        let out = apply_edits(json_text, &[insert_member(json_text, Format::Json, node, "c", &json!({"d": true}))]);
        assert_eq!(out, "{\n  \"a\": {\n    \"b\": 1,\n    \"c\": {\n      \"d\": true\n    }\n  }\n}");
        let empty = "{\"a\": {}}";
        let parsed = parse(empty, Format::Json);
        let node = parsed.root.as_ref().unwrap().get("a").unwrap();
        assert_eq!(apply_edits(empty, &[insert_member(empty, Format::Json, node, "c", &json!(1))]), "{\"a\": {\"c\": 1}}");
    }

    #[test]
    fn removes_members_with_their_lines_or_commas() {
        let text = "op:\n  summary: x\n  requestBody:\n    content: {}\n  responses: {}\n";
        let parsed = parse(text, Format::Yaml);
        let op = parsed.root.as_ref().unwrap().get("op").unwrap();
        let out = apply_edits(text, &[remove_member(text, Format::Yaml, op, "requestBody").unwrap()]);
        assert_eq!(out, "op:\n  summary: x\n  responses: {}\n");
        let json_text = "{\"a\": 1, \"b\": {\"c\": 2}, \"d\": 3}";
        let parsed = parse(json_text, Format::Json);
        let root = parsed.root.as_ref().unwrap();
        assert_eq!(apply_edits(json_text, &[remove_member(json_text, Format::Json, root, "b").unwrap()]), "{\"a\": 1, \"d\": 3}");
        assert_eq!(apply_edits(json_text, &[remove_member(json_text, Format::Json, root, "a").unwrap()]), "{\"b\": {\"c\": 2}, \"d\": 3}");
        let single = "schemas:\n  Foo:\n    type: object\n";
        let parsed = parse(single, Format::Yaml);
        let schemas = parsed.root.as_ref().unwrap().get("schemas").unwrap();
        let out = apply_edits(single, &[remove_member(single, Format::Yaml, schemas, "Foo").unwrap()]);
        assert_eq!(parse(&out, Format::Yaml).root.unwrap().get("schemas").unwrap().as_map().map(<[_]>::len), Some(0));
    }

    #[test]
    fn appends_block_sequence_items() {
        let text = "parameters:\n  - name: a\n    in: query\n";
        let parsed = parse(text, Format::Yaml);
        let seq = parsed.root.as_ref().unwrap().get("parameters").unwrap();
        let out = apply_edits(text, &[append_item(text, Format::Yaml, seq, &json!({"name": "id", "in": "path", "required": true}))]);
        assert_eq!(out, "parameters:\n  - name: a\n    in: query\n  - name: id\n    in: path\n    required: true\n");
    }
}
