//! YAML and JSON parsed into one tree of values that keeps the byte range of every key and value.
//!
//! Parsing never fails: it returns the tree it could build and a list of syntax errors with
//! their ranges. tree-sitter's error recovery keeps the rest of a half-typed document usable.

use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::{Node as TsNode, Parser, Tree};

mod events;
mod json;
pub mod pieces;

/// A byte range in one file's text.
pub type Span = Range<usize>;

/// The deepest nesting accepted; deeper content is replaced by null and reported.
pub const MAX_DEPTH: usize = 256;
/// How many nodes YAML aliases may copy in one document ("billion laughs" guard).
pub const MAX_ALIAS_NODES: usize = 1_000_000;
/// How many syntax errors one file reports; the rest are summarised by the first ones.
const MAX_SYNTAX_ERRORS: usize = 20;
/// How many broken YAML lines are blanked out to recover the rest of a document.
const MAX_REPAIRS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Yaml,
    Json,
}

impl Format {
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// One value with its range in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number as written, so that no precision is lost before it is needed.
    Number(String),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// One key of a mapping, with the range of the key itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

/// A comment and its range (YAML `#` comments; JSON has none).
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub span: Span,
    pub text: String,
}

/// The outcome of parsing one file.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub format: Format,
    pub root: Option<Node>,
    pub errors: Vec<SyntaxError>,
    pub comments: Vec<Comment>,
    /// How a large YAML text was cut into pieces, so that an edit re-parses only its piece.
    pub layout: Option<pieces::Layout>,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|entry| &entry.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().rev().find(|entry| entry.key == key)
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    /// Scalars as text, the way OpenAPI reads keys and enum values (`200` and `"200"` alike).
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.value {
            Value::String(text) | Value::Number(text) => Some(text),
            Value::Bool(true) => Some("true"),
            Value::Bool(false) => Some("false"),
            _ => None,
        }
    }

    /// The `$ref` of a reference object, if this is one.
    pub fn reference(&self) -> Option<&str> {
        self.get("$ref")?.as_str()
    }

    /// The number of nodes in this subtree.
    pub fn size(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::size).sum(),
            Value::Map(entries) => entries.iter().map(|entry| entry.value.size()).sum(),
            _ => 0,
        }
    }

    /// Converts to a `serde_json::Value` for typed validation.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(flag) => serde_json::Value::Bool(*flag),
            Value::Number(text) => number_to_json(text),
            Value::String(text) => serde_json::Value::String(text.clone()),
            Value::Seq(items) => serde_json::Value::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                serde_json::Value::Object(entries.iter().map(|entry| (entry.key.clone(), entry.value.to_json())).collect())
            }
        }
    }
}

fn number_to_json(text: &str) -> serde_json::Value {
    if let Ok(integer) = text.parse::<i64>() {
        return integer.into();
    }
    if let Ok(integer) = text.parse::<u64>() {
        return integer.into();
    }
    let cleaned = text.replace('_', "");
    if let Some(hex) = cleaned.strip_prefix("0x")
        && let Ok(integer) = i64::from_str_radix(hex, 16)
    {
        return integer.into();
    }
    if let Some(octal) = cleaned.strip_prefix("0o")
        && let Ok(integer) = i64::from_str_radix(octal, 8)
    {
        return integer.into();
    }
    match cleaned.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
        Some(number) => serde_json::Value::Number(number),
        // `.inf`, `.nan` and friends have no JSON form; keep them as text.
        None => serde_json::Value::String(text.to_owned()),
    }
}

/// Parses a file of the given format. Never fails.
pub fn parse(text: &str, format: Format) -> ParsedFile {
    match format {
        Format::Yaml => parse_yaml(text),
        Format::Json => match json::parse(text) {
            Ok(root) => ParsedFile { format: Format::Json, root, errors: Vec::new(), comments: Vec::new(), layout: None },
            // tree-sitter recovers the rest of a broken document; the error stays the precise one.
            Err(error) => parse_with_tree_sitter(text, Format::Json, vec![error]),
        },
    }
}

/// YAML goes through the YAML parser's events: exact semantics and ranges. On a syntax error
/// the error is recorded, its line blanked (every byte offset stays the same) and the text
/// parsed again, so the rest of a half-typed document is still checked. When that does not
/// converge, tree-sitter's error recovery gets the last word.
fn parse_yaml(text: &str) -> ParsedFile {
    match pieces::parse(text) {
        Some(parsed) => parsed,
        None => parse_yaml_whole(text),
    }
}

/// Parses `new_text`, an edit of `old_text` whose parse is `old`: only the pieces of a large
/// YAML text that the edit touched are parsed again when that is safe, the whole text
/// otherwise. The result equals `parse(new_text, format)`.
pub fn reparse(old_text: &str, old: ParsedFile, new_text: &str) -> ParsedFile {
    let format = old.format;
    if format == Format::Yaml
        && let Some(parsed) = pieces::reparse(old_text, old, new_text)
    {
        return parsed;
    }
    parse(new_text, format)
}

/// [`parse`] for YAML without cutting large texts into pieces: the reference the pieces
/// must equal.
pub fn parse_yaml_whole(text: &str) -> ParsedFile {
    let first_error = match events::build(text) {
        Ok(parsed) => return parsed,
        Err(error) => error,
    };
    // Nesting past the YAML parser's recursion limit is not a typo that blanking a line
    // repairs: one error says so, and the document is not analysed.
    if first_error.message.contains("recursion limit") {
        let message =
            format!("the document nests deeper than the YAML parser follows ({MAX_DEPTH} levels are analysed); it is not analysed");
        let error = SyntaxError { span: first_error.span, message };
        return ParsedFile { format: Format::Yaml, root: None, errors: vec![error], comments: Vec::new(), layout: None };
    }
    let index = crate::line_index::LineIndex::new(text);
    // Each repair: the line blanked and the error that asked for it.
    let mut repairs: Vec<(usize, SyntaxError)> = Vec::new();
    for _ in 0..=MAX_REPAIRS {
        let lines: Vec<usize> = repairs.iter().map(|(line, _)| *line).collect();
        let current = blank_lines(text, &index, &lines);
        match events::build(&current) {
            Ok(parsed) => return finish_repairs(text, &index, repairs, parsed),
            Err(error) => {
                let line = index.position(text, error.span.start, crate::line_index::ColumnUnit::Utf8).line as usize;
                if lines.contains(&line) {
                    break;
                }
                repairs.push((line, error));
            }
        }
    }
    let lines: Vec<usize> = repairs.iter().map(|(line, _)| *line).collect();
    let errors = repairs.into_iter().map(|(_, error)| error).collect();
    parse_with_tree_sitter(&blank_lines(text, &index, &lines), Format::Yaml, errors)
}

/// An error inside a multi-line scalar often surfaces lines later ("trailing content after
/// a quoted scalar"); once the real culprit is blanked, those lines parse again. Restores
/// every blanked line the text does not need, and reports only the errors that remain.
fn finish_repairs(
    text: &str,
    index: &crate::line_index::LineIndex,
    mut repairs: Vec<(usize, SyntaxError)>,
    mut parsed: ParsedFile,
) -> ParsedFile {
    let mut position = 0;
    while repairs.len() > 1 && position < repairs.len() {
        let without: Vec<usize> = repairs.iter().enumerate().filter(|(other, _)| *other != position).map(|(_, (line, _))| *line).collect();
        match events::build(&blank_lines(text, index, &without)) {
            Ok(better) => {
                repairs.remove(position);
                parsed = better;
            }
            Err(_) => position += 1,
        }
    }
    let mut errors: Vec<SyntaxError> = repairs.into_iter().map(|(_, error)| error).collect();
    errors.append(&mut parsed.errors);
    errors.sort_by_key(|error| (error.span.start, error.span.end));
    errors.truncate(MAX_SYNTAX_ERRORS);
    parsed.errors = errors;
    parsed
}

/// How many block indentation levels tree-sitter's YAML scanner is given: it keeps a stack of
/// them and aborts the process when the stack no longer fits its state buffer (about 500
/// levels), so deeper text never reaches it.
const MAX_TREE_SITTER_INDENT_LEVELS: usize = 200;

/// The deepest stack of block indentation levels in a text (blank and comment lines aside).
fn indent_levels(text: &str) -> usize {
    let mut stack: Vec<usize> = Vec::new();
    let mut deepest = 0;
    for line in text.split(['\n', '\r']) {
        let content = line.trim_start_matches([' ', '-']);
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        while stack.last().is_some_and(|top| *top > indent) {
            stack.pop();
        }
        if stack.last().is_none_or(|top| *top < indent) {
            stack.push(indent);
        }
        deepest = deepest.max(stack.len());
    }
    deepest
}

/// Parses with tree-sitter; `known_errors`, when given, replace its less precise ones.
fn parse_with_tree_sitter(text: &str, format: Format, known_errors: Vec<SyntaxError>) -> ParsedFile {
    if format == Format::Yaml && indent_levels(text) > MAX_TREE_SITTER_INDENT_LEVELS {
        let mut errors = known_errors;
        errors.push(SyntaxError {
            span: 0..0,
            message: format!(
                "the document nests more than {MAX_TREE_SITTER_INDENT_LEVELS} indentation levels and has syntax errors; it is not analysed"
            ),
        });
        errors.truncate(MAX_SYNTAX_ERRORS);
        return ParsedFile { format, root: None, errors, comments: Vec::new(), layout: None };
    }
    let mut parser = Parser::new();
    let language: tree_sitter::Language = match format {
        Format::Yaml => tree_sitter_yaml::LANGUAGE.into(),
        Format::Json => tree_sitter_json::LANGUAGE.into(),
    };
    let mut parsed = ParsedFile { format, root: None, errors: Vec::new(), comments: Vec::new(), layout: None };
    if parser.set_language(&language).is_err() {
        parsed.errors.push(SyntaxError { span: 0..0, message: "the parser could not be loaded".into() });
        return parsed;
    }
    let Some(tree) = parser.parse(text, None) else {
        parsed.errors.push(SyntaxError { span: 0..0, message: "the document could not be parsed".into() });
        return parsed;
    };
    let mut builder = Builder { text, errors: Vec::new(), anchors: HashMap::new(), alias_budget: MAX_ALIAS_NODES };
    collect_errors_and_comments(&tree, text, &mut parsed);
    if !known_errors.is_empty() {
        parsed.errors = known_errors;
    }
    parsed.root = match format {
        Format::Yaml => builder.yaml_stream(tree.root_node()),
        Format::Json => builder.json_document(tree.root_node()),
    };
    parsed.errors.extend(builder.errors);
    parsed.errors.sort_by_key(|error| (error.span.start, error.span.end));
    parsed.errors.dedup();
    parsed.errors.truncate(MAX_SYNTAX_ERRORS);
    parsed
}

/// The text with the given lines replaced by spaces (same length, same offsets).
fn blank_lines<'t>(text: &'t str, index: &crate::line_index::LineIndex, lines: &[usize]) -> std::borrow::Cow<'t, str> {
    if lines.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for line in lines {
        for byte in &mut bytes[index.line_range(text, *line)] {
            *byte = b' ';
        }
    }
    std::borrow::Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned()))
}

fn collect_errors_and_comments(tree: &Tree, text: &str, parsed: &mut ParsedFile) {
    let noun = match parsed.format {
        Format::Yaml => "YAML",
        Format::Json => "JSON",
    };
    let mut cursor = tree.walk();
    let mut errors_found = 0;
    loop {
        let node = cursor.node();
        let mut descend = node.has_error() || node.child_count() > 0;
        if node.kind() == "comment" {
            parsed.comments.push(Comment { span: node.byte_range(), text: text[node.byte_range()].to_owned() });
            descend = false;
        } else if node.is_error() || node.is_missing() {
            if errors_found < MAX_SYNTAX_ERRORS {
                parsed.errors.push(syntax_error_at(node, text, noun));
            }
            errors_found += 1;
            // Comments inside an error region still count, so keep walking into it.
            descend = node.child_count() > 0 && !node.is_missing();
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

fn syntax_error_at(node: TsNode, text: &str, noun: &str) -> SyntaxError {
    if node.is_missing() {
        let span = node.start_byte()..node.start_byte();
        return SyntaxError { span, message: format!("{noun} syntax error: missing `{}`", node.kind()) };
    }
    let span = node.byte_range();
    let snippet: String = text[span.clone()].split(['\n', '\r']).next().unwrap_or("").chars().take(40).collect();
    let snippet = snippet.trim();
    let message = if snippet.is_empty() { format!("{noun} syntax error") } else { format!("{noun} syntax error: unexpected `{snippet}`") };
    // Point at the first line of the error rather than a whole swallowed region.
    let first_line_end = text[span.clone()].find(['\n', '\r']).map_or(span.end, |index| span.start + index);
    SyntaxError { span: span.start..first_line_end.max(span.start), message }
}

struct Builder<'t> {
    text: &'t str,
    errors: Vec<SyntaxError>,
    anchors: HashMap<String, Node>,
    alias_budget: usize,
}

impl<'t> Builder<'t> {
    fn source(&self, node: TsNode) -> &'t str {
        &self.text[node.byte_range()]
    }

    fn too_deep(&mut self, node: TsNode, depth: usize) -> bool {
        if depth <= MAX_DEPTH {
            return false;
        }
        self.errors.push(SyntaxError {
            span: node.start_byte()..node.start_byte(),
            message: format!("nesting deeper than {MAX_DEPTH} levels is not analysed"),
        });
        true
    }

    // ---- YAML ----

    fn yaml_stream(&mut self, stream: TsNode) -> Option<Node> {
        let mut cursor = stream.walk();
        let documents: Vec<TsNode> = stream.named_children(&mut cursor).filter(|child| child.kind() == "document").collect();
        let first = documents.first()?;
        if let Some(second) = documents.get(1)
            && let Some(content) = yaml_document_content(*second)
        {
            self.errors.push(SyntaxError {
                span: content.start_byte()..content.start_byte(),
                message: "only the first YAML document of a file is analysed".into(),
            });
        }
        let content = yaml_document_content(*first)?;
        Some(self.yaml_node(content, 0))
    }

    fn yaml_node(&mut self, node: TsNode, depth: usize) -> Node {
        let span = node.byte_range();
        if self.too_deep(node, depth) {
            return Node { span, value: Value::Null };
        }
        match node.kind() {
            "block_node" | "flow_node" => {
                let mut anchor = None;
                let mut content = None;
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    match child.kind() {
                        "anchor" => anchor = Some(self.source(child).trim_start_matches('&').to_owned()),
                        "tag" | "comment" => {}
                        _ => content = Some(child),
                    }
                }
                let built = match content {
                    Some(content) => self.yaml_node(content, depth + 1),
                    None => Node { span: span.end..span.end, value: Value::Null },
                };
                if let Some(anchor) = anchor {
                    self.anchors.insert(anchor, built.clone());
                }
                built
            }
            "block_mapping" | "flow_mapping" => self.yaml_mapping(node, depth),
            "block_sequence" | "flow_sequence" => self.yaml_sequence(node, depth),
            "plain_scalar" => Node { span, value: yaml_plain_scalar(node, self.source(node)) },
            "double_quote_scalar" => Node { span, value: Value::String(unescape_double_quoted(self.source(node))) },
            "single_quote_scalar" => Node { span, value: Value::String(unescape_single_quoted(self.source(node))) },
            "block_scalar" => Node { span, value: Value::String(block_scalar_value(self.source(node))) },
            "alias" => self.yaml_alias(node),
            _ => Node { span, value: Value::Null },
        }
    }

    fn yaml_alias(&mut self, node: TsNode) -> Node {
        let name = self.source(node).trim_start_matches('*');
        let Some(target) = self.anchors.get(name) else {
            self.errors.push(SyntaxError { span: node.byte_range(), message: format!("unknown YAML alias `*{name}`") });
            return Node { span: node.byte_range(), value: Value::Null };
        };
        let size = target.size();
        if size > self.alias_budget {
            self.alias_budget = 0;
            self.errors.push(SyntaxError {
                span: node.byte_range(),
                message: format!("YAML aliases expand to more than {MAX_ALIAS_NODES} nodes; the rest is not analysed"),
            });
            return Node { span: node.byte_range(), value: Value::Null };
        }
        self.alias_budget -= size;
        target.clone()
    }

    fn yaml_mapping(&mut self, node: TsNode, depth: usize) -> Node {
        let mut entries = Vec::new();
        self.yaml_pairs_into(node, depth, &mut entries);
        Node { span: node.byte_range(), value: Value::Map(entries) }
    }

    fn yaml_pairs_into(&mut self, node: TsNode, depth: usize, entries: &mut Vec<Entry>) {
        let mut cursor = node.walk();
        let children: Vec<TsNode> = node.named_children(&mut cursor).collect();
        for child in children {
            match child.kind() {
                "block_mapping_pair" | "flow_pair" => {
                    let key = child.child_by_field_name("key");
                    let value = child.child_by_field_name("value");
                    let Some(key) = key else { continue };
                    let key_node = self.yaml_node(key, depth + 1);
                    let value = match value {
                        Some(value) => self.yaml_node(value, depth + 1),
                        None => Node { span: child.end_byte()..child.end_byte(), value: Value::Null },
                    };
                    let key_text = key_node.scalar_text().unwrap_or_default().to_owned();
                    if key_text == "<<" {
                        merge_into(entries, value);
                    } else {
                        entries.push(Entry { key: key_text, key_span: key_node.span, value });
                    }
                }
                // `{a, b}`: keys without values.
                "flow_node" => {
                    let key_node = self.yaml_node(child, depth + 1);
                    let end = key_node.span.end;
                    let key = key_node.scalar_text().unwrap_or_default().to_owned();
                    entries.push(Entry { key, key_span: key_node.span, value: Node { span: end..end, value: Value::Null } });
                }
                // Recover the pairs that tree-sitter's error recovery wrapped in an error node.
                "ERROR" => self.yaml_pairs_into(child, depth + 1, entries),
                _ => {}
            }
        }
    }

    fn yaml_sequence(&mut self, node: TsNode, depth: usize) -> Node {
        let mut items = Vec::new();
        let mut cursor = node.walk();
        let children: Vec<TsNode> = node.named_children(&mut cursor).collect();
        for child in children {
            match child.kind() {
                "block_sequence_item" => {
                    let mut item_cursor = child.walk();
                    let content = child.named_children(&mut item_cursor).find(|inner| inner.kind() != "comment");
                    items.push(match content {
                        Some(content) => self.yaml_node(content, depth + 1),
                        None => Node { span: child.end_byte()..child.end_byte(), value: Value::Null },
                    });
                }
                "flow_node" => items.push(self.yaml_node(child, depth + 1)),
                "flow_pair" => {
                    let mut entries = Vec::new();
                    let span = child.byte_range();
                    self.yaml_single_pair(child, depth, &mut entries);
                    items.push(Node { span, value: Value::Map(entries) });
                }
                _ => {}
            }
        }
        Node { span: node.byte_range(), value: Value::Seq(items) }
    }

    fn yaml_single_pair(&mut self, pair: TsNode, depth: usize, entries: &mut Vec<Entry>) {
        let Some(key) = pair.child_by_field_name("key") else {
            return;
        };
        let key_node = self.yaml_node(key, depth + 1);
        let value = match pair.child_by_field_name("value") {
            Some(value) => self.yaml_node(value, depth + 1),
            None => Node { span: pair.end_byte()..pair.end_byte(), value: Value::Null },
        };
        let key_text = key_node.scalar_text().unwrap_or_default().to_owned();
        entries.push(Entry { key: key_text, key_span: key_node.span, value });
    }

    // ---- JSON ----

    fn json_document(&mut self, document: TsNode) -> Option<Node> {
        let mut cursor = document.walk();
        let value = document.named_children(&mut cursor).find(|child| !matches!(child.kind(), "comment" | "ERROR"))?;
        Some(self.json_value(value, 0))
    }

    fn json_value(&mut self, node: TsNode, depth: usize) -> Node {
        let span = node.byte_range();
        if self.too_deep(node, depth) {
            return Node { span, value: Value::Null };
        }
        let value = match node.kind() {
            "object" => {
                let mut entries = Vec::new();
                self.json_pairs_into(node, depth, &mut entries);
                Value::Map(entries)
            }
            "array" => {
                let mut cursor = node.walk();
                let children: Vec<TsNode> = node.named_children(&mut cursor).collect();
                Value::Seq(
                    children
                        .into_iter()
                        .filter(|child| !matches!(child.kind(), "comment" | "ERROR"))
                        .map(|child| self.json_value(child, depth + 1))
                        .collect(),
                )
            }
            "string" => Value::String(unescape_json_string(self.source(node))),
            "number" => Value::Number(self.source(node).to_owned()),
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::Null,
        };
        Node { span, value }
    }

    fn json_pairs_into(&mut self, node: TsNode, depth: usize, entries: &mut Vec<Entry>) {
        let mut cursor = node.walk();
        let children: Vec<TsNode> = node.named_children(&mut cursor).collect();
        for child in children {
            match child.kind() {
                "pair" => {
                    let Some(key) = child.child_by_field_name("key") else {
                        continue;
                    };
                    let value = match child.child_by_field_name("value") {
                        Some(value) => self.json_value(value, depth + 1),
                        None => Node { span: child.end_byte()..child.end_byte(), value: Value::Null },
                    };
                    let key_text = match key.kind() {
                        "string" => unescape_json_string(self.source(key)),
                        _ => self.source(key).to_owned(),
                    };
                    entries.push(Entry { key: key_text, key_span: key.byte_range(), value });
                }
                "ERROR" => self.json_pairs_into(child, depth + 1, entries),
                _ => {}
            }
        }
    }
}

fn yaml_document_content(document: TsNode) -> Option<TsNode> {
    let mut cursor = document.walk();
    document.named_children(&mut cursor).find(|child| matches!(child.kind(), "block_node" | "flow_node"))
}

/// YAML merge keys (`<<: *base`): keys already present win.
fn merge_into(entries: &mut Vec<Entry>, value: Node) {
    let sources: Vec<Node> = match value.value {
        Value::Seq(items) => items,
        _ => vec![value],
    };
    for source in sources {
        if let Value::Map(merged) = source.value {
            for entry in merged {
                if !entries.iter().any(|existing| existing.key == entry.key) {
                    entries.push(entry);
                }
            }
        }
    }
}

fn yaml_plain_scalar(node: TsNode, raw: &str) -> Value {
    let kind = node.named_child(0).map(|child| child.kind()).unwrap_or("string_scalar");
    match kind {
        "null_scalar" => Value::Null,
        "boolean_scalar" => Value::Bool(matches!(raw, "true" | "True" | "TRUE")),
        "integer_scalar" | "float_scalar" => Value::Number(raw.to_owned()),
        _ => Value::String(fold_plain_lines(raw)),
    }
}

/// Multi-line plain scalars fold line breaks into spaces (an empty line is a newline).
fn fold_plain_lines(raw: &str) -> String {
    if !raw.contains(['\n', '\r']) {
        return raw.to_owned();
    }
    fold_lines(raw.lines().map(str::trim))
}

fn fold_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut folded = String::new();
    let mut pending_breaks = 0;
    let mut first = true;
    for line in lines {
        if line.is_empty() {
            pending_breaks += 1;
            continue;
        }
        if !first {
            if pending_breaks > 0 {
                folded.extend(std::iter::repeat_n('\n', pending_breaks));
            } else {
                folded.push(' ');
            }
        }
        pending_breaks = 0;
        first = false;
        folded.push_str(line);
    }
    folded
}

fn unescape_single_quoted(raw: &str) -> String {
    let inner = raw.strip_prefix('\'').unwrap_or(raw);
    let inner = inner.strip_suffix('\'').unwrap_or(inner);
    let unescaped = inner.replace("''", "'");
    if unescaped.contains(['\n', '\r']) { fold_lines(unescaped.lines().map(str::trim)) } else { unescaped }
}

fn unescape_double_quoted(raw: &str) -> String {
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    let folded;
    let inner = if inner.contains(['\n', '\r']) {
        // An escaped line break joins lines without a space; others fold to a space.
        folded = fold_lines(inner.lines().map(str::trim)).replace("\\ ", "");
        folded.as_str()
    } else {
        inner
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(character) = chars.next() {
        if character != '\\' {
            out.push(character);
            continue;
        }
        let Some(escape) = chars.next() else { break };
        let hex_len = match escape {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => 0,
        };
        if hex_len > 0 {
            let hex: String = chars.by_ref().take(hex_len).collect();
            if let Some(decoded) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                out.push(decoded);
            }
            continue;
        }
        out.push(match escape {
            'n' => '\n',
            't' | '\t' => '\t',
            'r' => '\r',
            '0' => '\0',
            'a' => '\u{7}',
            'b' => '\u{8}',
            'e' => '\u{1b}',
            'f' => '\u{c}',
            'v' => '\u{b}',
            'N' => '\u{85}',
            '_' => '\u{a0}',
            'L' => '\u{2028}',
            'P' => '\u{2029}',
            other => other,
        });
    }
    out
}

/// Decodes a `|` or `>` block scalar, with its chomping and indentation indicators.
fn block_scalar_value(raw: &str) -> String {
    let mut lines = raw.lines();
    let header = lines.next().unwrap_or("").split('#').next().unwrap_or("").trim();
    let literal = header.starts_with('|');
    let keep = header.contains('+');
    let strip = header.contains('-');
    let explicit_indent = header.chars().find_map(|character| character.to_digit(10)).map(|digit| digit as usize);
    let body: Vec<&str> = lines.collect();
    let indent = explicit_indent.unwrap_or_else(|| {
        body.iter().filter(|line| !line.trim().is_empty()).map(|line| line.len() - line.trim_start().len()).min().unwrap_or(0)
    });
    let content: Vec<&str> = body.iter().map(|line| if line.len() >= indent { &line[indent..] } else { "" }).collect();
    let mut text = if literal {
        content.join("\n")
    } else {
        let mut folded = String::new();
        for (index, line) in content.iter().enumerate() {
            if index > 0 {
                let previous = content[index - 1];
                let joins_with_space =
                    !line.is_empty() && !previous.is_empty() && !line.starts_with([' ', '\t']) && !previous.starts_with([' ', '\t']);
                folded.push(if joins_with_space { ' ' } else { '\n' });
            }
            folded.push_str(line);
        }
        folded
    };
    let trimmed_len = text.trim_end_matches('\n').len();
    if strip {
        text.truncate(trimmed_len);
    } else if !keep {
        text.truncate(trimmed_len);
        if !text.is_empty() {
            text.push('\n');
        }
    } else {
        text.push('\n');
    }
    text
}

fn unescape_json_string(raw: &str) -> String {
    if let Ok(decoded) = serde_json::from_str::<String>(raw) {
        return decoded;
    }
    // Unterminated or invalid strings in half-typed JSON: keep what is between the quotes.
    raw.trim_start_matches('"').trim_end_matches('"').to_owned()
}

/// The range of a part of a scalar's text in the source, when the source spells the value
/// literally (plain or quoted without escapes); otherwise the whole scalar's range.
pub fn sub_span(text: &str, span: &Span, value: &str, part: Range<usize>) -> Span {
    let source = text.get(span.clone()).unwrap_or("");
    let offset = if source == value {
        Some(0)
    } else if source.len() == value.len() + 2 && source.get(1..source.len() - 1) == Some(value) {
        Some(1)
    } else {
        None
    };
    match offset {
        Some(offset) if part.end <= value.len() => span.start + offset + part.start..span.start + offset + part.end,
        _ => span.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> ParsedFile {
        parse(text, Format::Yaml)
    }

    #[test]
    fn yaml_keeps_key_and_value_ranges() {
        let text = "openapi: 3.1.0\npaths:\n  /users:\n    get:\n      summary: \"List \\u00e9\"\n";
        let parsed = yaml(text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let root = parsed.root.unwrap();
        let entry = root.get("paths").unwrap().entry("/users").unwrap();
        assert_eq!(&text[entry.key_span.clone()], "/users");
        let summary = entry.value.get("get").unwrap().get("summary").unwrap();
        assert_eq!(summary.as_str(), Some("List é"));
        assert_eq!(root.get("openapi").unwrap().scalar_text(), Some("3.1.0"));
    }

    #[test]
    fn yaml_scalars_follow_the_core_schema() {
        let text = "a: null\nb: true\nc: 12\nd: '1''2'\ne: |\n  line one\n  line two\nf: >-\n  folded\n  text\ng: [1, x, {h: 2}]\n";
        let root = yaml(text).root.unwrap();
        assert_eq!(root.get("a").unwrap().value, Value::Null);
        assert_eq!(root.get("b").unwrap().as_bool(), Some(true));
        assert_eq!(root.get("c").unwrap().value, Value::Number("12".into()));
        assert_eq!(root.get("d").unwrap().as_str(), Some("1'2"));
        assert_eq!(root.get("e").unwrap().as_str(), Some("line one\nline two\n"));
        assert_eq!(root.get("f").unwrap().as_str(), Some("folded text"));
        let flow = root.get("g").unwrap().as_seq().unwrap();
        assert_eq!(flow.len(), 3);
        assert_eq!(flow[2].get("h").unwrap().value, Value::Number("2".into()));
    }

    #[test]
    fn yaml_anchors_aliases_and_merge_keys() {
        let text = "base: &base\n  x: 1\n  y: 2\nother:\n  <<: *base\n  y: 3\ncopy: *base\n";
        let root = yaml(text).root.unwrap();
        let other = root.get("other").unwrap();
        assert_eq!(other.get("x").unwrap().value, Value::Number("1".into()));
        assert_eq!(other.get("y").unwrap().value, Value::Number("3".into()));
        assert_eq!(root.get("copy").unwrap().get("y").unwrap().value, Value::Number("2".into()));
    }

    #[test]
    fn yaml_alias_bomb_is_cut_off() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let previous = level - 1;
            let refs = vec![format!("*a{previous}"); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        let parsed = yaml(&text);
        assert!(parsed.errors.iter().any(|error| error.message.contains("aliases expand")));
    }

    #[test]
    fn half_typed_yaml_keeps_the_rest() {
        let text = "openapi: 3.0.3\npaths:\n  /a:\n    get: [\n  /b:\n    get:\n      summary: ok\n";
        let parsed = yaml(text);
        assert!(!parsed.errors.is_empty());
        assert!(parsed.root.is_some());
    }

    #[test]
    fn json_keeps_ranges_and_decodes_surrogate_pairs() {
        let text = r#"{"openapi": "3.0.1", "info": {"title": "\ud83d\ude00"}, "n": [1, 2.5]}"#;
        let parsed = parse(text, Format::Json);
        assert!(parsed.errors.is_empty());
        let root = parsed.root.unwrap();
        let entry = root.entry("openapi").unwrap();
        assert_eq!(&text[entry.key_span.clone()], "\"openapi\"");
        assert_eq!(root.get("info").unwrap().get("title").unwrap().as_str(), Some("😀"));
        assert_eq!(root.to_json()["n"][1], serde_json::json!(2.5));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let parsed = parse(&text, Format::Json);
        assert!(parsed.errors.iter().any(|error| error.message.contains("nesting deeper")));
    }

    /// tree-sitter's YAML scanner aborts the process past about 500 indentation levels;
    /// such text, when the YAML parser cannot read it either, is refused before it gets there.
    #[test]
    fn deep_block_indentation_never_reaches_tree_sitter() {
        let mut text = String::from("openapi: 3.1.0\ncomponents:\n");
        for depth in 0..2_000 {
            text.push_str(&format!("{}a{depth}:\n", " ".repeat(2 + depth)));
        }
        text.push_str("  bad: [unclosed\n");
        assert_eq!(indent_levels("a:\n  b:\n    - c:\n        d: 1\n  e: 2\n"), 4);
        let parsed = parse(&text, Format::Yaml);
        assert!(!parsed.errors.is_empty());
        let parsed = parse_with_tree_sitter(&text, Format::Yaml, Vec::new());
        assert!(parsed.root.is_none() && parsed.errors[0].message.contains("indentation levels"), "{:?}", parsed.errors);
    }

    #[test]
    fn sub_span_maps_into_plain_and_quoted_scalars() {
        let text = "k: \"/users/\"";
        assert_eq!(sub_span(text, &(3..12), "/users/", 6..7), 10..11);
        assert_eq!(sub_span("/a\\u0062", &(0..8), "/ab", 1..2), 0..8);
    }
}
