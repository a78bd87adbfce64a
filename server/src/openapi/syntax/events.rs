//! YAML through the YAML parser's event stream: every node with its byte range, comments
//! with theirs, anchors and aliases resolved under a budget.

use std::borrow::Cow;
use std::collections::HashMap;

use granit_parser::{Event, Marker, Parser, ScalarStyle, ScanError, StructureStyle};

use super::{Comment, Entry, Format, MAX_ALIAS_NODES, MAX_DEPTH, Node, ParsedFile, Span, SyntaxError, Value};

enum Frame {
    Seq { start: usize, anchor: usize, flow: bool, items: Vec<Node> },
    Map { start: usize, anchor: usize, flow: bool, entries: Vec<Entry>, key: Option<(String, Span)> },
}

struct Builder<'t> {
    text: &'t str,
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: HashMap<usize, Node>,
    alias_budget: usize,
    errors: Vec<SyntaxError>,
    comments: Vec<Comment>,
    /// Byte offsets by character index, built only when the parser gives no byte offsets.
    char_offsets: Option<Vec<usize>>,
    skipped_depth: usize,
    /// Where `text` starts in the whole file: added to every range.
    base: usize,
    /// Whether an anchor or alias was seen.
    linked: bool,
}

/// Builds the tree of one YAML text, or returns the first syntax error.
pub fn build(text: &str) -> Result<ParsedFile, SyntaxError> {
    build_at(text, 0).map(|(parsed, _)| parsed)
}

/// Builds the tree of a piece of a file that starts at byte `base`; also says whether the
/// piece has anchors or aliases (which may link it to other pieces).
pub fn build_at(text: &str, base: usize) -> Result<(ParsedFile, bool), SyntaxError> {
    let mut builder = Builder {
        base,
        linked: false,
        text,
        stack: Vec::new(),
        root: None,
        anchors: HashMap::new(),
        alias_budget: MAX_ALIAS_NODES,
        errors: Vec::new(),
        comments: Vec::new(),
        char_offsets: None,
        skipped_depth: 0,
    };
    let mut documents = 0;
    for result in Parser::new_from_str(text) {
        let (event, span) = result.map_err(|error| builder.scan_error(&error))?;
        let start = builder.byte(&span.start);
        let end = builder.byte(&span.end);
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents == 2 {
                    builder
                        .errors
                        .push(SyntaxError { span: start..start, message: "only the first YAML document of a file is analysed".into() });
                    break;
                }
            }
            Event::Comment(comment, _) => builder.comments.push(Comment { span: start..end, text: format!("#{comment}") }),
            Event::Scalar(value, style, anchor, tag) => {
                let is_string_tag = tag.as_ref().is_some_and(|tag| tag.suffix() == "str");
                let value = resolve_scalar(value, style, is_string_tag);
                builder.value(Node { span: start..end, value }, anchor);
            }
            Event::SequenceStart(style, anchor, _) => {
                builder.open(Frame::Seq { start, anchor, flow: style == StructureStyle::Flow, items: Vec::new() })
            }
            Event::MappingStart(style, anchor, _) => {
                builder.open(Frame::Map { start, anchor, flow: style == StructureStyle::Flow, entries: Vec::new(), key: None })
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close(end),
            Event::Alias(id) => {
                let node = builder.alias(id, start..end);
                builder.value(node, 0);
            }
            _ => {}
        }
    }
    let parsed = ParsedFile { format: Format::Yaml, root: builder.root, errors: builder.errors, comments: builder.comments, layout: None };
    Ok((parsed, builder.linked))
}

impl Builder<'_> {
    fn byte(&mut self, marker: &Marker) -> usize {
        self.base + self.local_byte(marker)
    }

    fn local_byte(&mut self, marker: &Marker) -> usize {
        if let Some(offset) = marker.byte_offset() {
            return offset.min(self.text.len());
        }
        let offsets = self.char_offsets.get_or_insert_with(|| self.text.char_indices().map(|(offset, _)| offset).collect());
        offsets.get(marker.index()).copied().unwrap_or(self.text.len())
    }

    fn scan_error(&mut self, error: &ScanError) -> SyntaxError {
        let start = self.local_byte(error.marker());
        let line_end = self.text[start..].find(['\n', '\r']).map_or(self.text.len(), |index| start + index);
        let info = error.info();
        let message = info.lines().next().unwrap_or("invalid YAML");
        SyntaxError { span: self.base + start..self.base + line_end.max(start), message: format!("YAML syntax error: {message}") }
    }

    fn open(&mut self, frame: Frame) {
        if self.skipped_depth > 0 || self.stack.len() >= MAX_DEPTH {
            if self.skipped_depth == 0 {
                let start = match &frame {
                    Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
                };
                self.errors
                    .push(SyntaxError { span: start..start, message: format!("nesting deeper than {MAX_DEPTH} levels is not analysed") });
            }
            self.skipped_depth += 1;
            return;
        }
        self.stack.push(frame);
    }

    fn close(&mut self, end: usize) {
        if self.skipped_depth > 0 {
            self.skipped_depth -= 1;
            if self.skipped_depth == 0 {
                self.value(Node { span: end..end, value: Value::Null }, 0);
            }
            return;
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (node, anchor) = match frame {
            // A block collection ends with its last item (the end event sits at the next
            // token); a flow collection ends with its bracket.
            Frame::Seq { start, anchor, flow, items } => {
                let end = if flow { end } else { items.last().map_or(end, |item| item.span.end.max(start)) };
                (Node { span: start..end.max(start), value: Value::Seq(items) }, anchor)
            }
            Frame::Map { start, anchor, flow, entries, key } => {
                let mut entries = entries;
                if let Some((key, key_span)) = key {
                    let at = key_span.end;
                    entries.push(Entry { key, key_span, value: Node { span: at..at, value: Value::Null } });
                }
                let end = if flow { end } else { entries.last().map_or(end, |entry| entry.value.span.end.max(entry.key_span.end)) };
                (Node { span: start..end.max(start), value: Value::Map(entries) }, anchor)
            }
        };
        self.value(node, anchor);
    }

    fn alias(&mut self, id: usize, span: Span) -> Node {
        self.linked = true;
        let Some(target) = self.anchors.get(&id) else {
            self.errors.push(SyntaxError { span: span.clone(), message: "unknown YAML alias".into() });
            return Node { span, value: Value::Null };
        };
        let size = target.size();
        if size > self.alias_budget {
            if self.alias_budget > 0 {
                self.errors.push(SyntaxError {
                    span: span.clone(),
                    message: format!("YAML aliases expand to more than {MAX_ALIAS_NODES} nodes; the rest is not analysed"),
                });
            }
            self.alias_budget = 0;
            return Node { span, value: Value::Null };
        }
        self.alias_budget -= size;
        target.clone()
    }

    /// Places a finished node: the root, a sequence item, a mapping key or a mapping value.
    fn value(&mut self, node: Node, anchor: usize) {
        if self.skipped_depth > 0 {
            return;
        }
        if anchor != 0 {
            self.linked = true;
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => {
                    let text = node.scalar_text().unwrap_or_default().to_owned();
                    *key = Some((text, node.span));
                }
                Some((key_text, key_span)) => {
                    if key_text == "<<" && !matches!(node.value, Value::String(_)) {
                        super::merge_into(entries, node);
                    } else {
                        entries.push(Entry { key: key_text, key_span, value: node });
                    }
                }
            },
        }
    }
}

/// Plain scalars follow the YAML 1.2 core schema; quoted and block scalars are strings.
fn resolve_scalar(value: Cow<'_, str>, style: ScalarStyle, is_string_tag: bool) -> Value {
    if style != ScalarStyle::Plain || is_string_tag {
        return Value::String(value.into_owned());
    }
    match value.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        text if is_core_number(text) => Value::Number(text.to_owned()),
        _ => Value::String(value.into_owned()),
    }
}

fn is_core_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if let Some(hex) = text.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|byte| byte.is_ascii_hexdigit());
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return !octal.is_empty() && octal.bytes().all(|byte| (b'0'..=b'7').contains(&byte));
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(index) => (&unsigned[..index], Some(&unsigned[index + 1..])),
        None => (unsigned, None),
    };
    let digits_ok = {
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let whole_ok = whole.bytes().all(|byte| byte.is_ascii_digit());
        let fraction_ok = fraction.bytes().all(|byte| byte.is_ascii_digit());
        whole_ok && fraction_ok && (!whole.is_empty() || !fraction.is_empty()) && (mantissa.contains('.') || !whole.is_empty())
    };
    let exponent_ok = exponent.is_none_or(|exponent| {
        let exponent = exponent.strip_prefix(['-', '+']).unwrap_or(exponent);
        !exponent.is_empty() && exponent.bytes().all(|byte| byte.is_ascii_digit())
    });
    digits_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    #[test]
    fn core_schema_numbers() {
        for number in ["1", "-2", "3.5", ".5", "1e3", "0x1F", "0o17", ".inf", "-.inf", ".nan", "1."] {
            assert!(super::is_core_number(number), "{number}");
        }
        for text in ["3.0.3", "1.2.3", "v1", "e3", ".", "-", "0x", "1e"] {
            assert!(!super::is_core_number(text), "{text}");
        }
    }
}
