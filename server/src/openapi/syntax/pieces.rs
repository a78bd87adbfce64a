//! Large YAML documents parsed in pieces on every core.
//!
//! An OpenAPI document is a block mapping whose big sections (`paths`, `components`) are
//! block mappings too. In block style a line indented as deep as a mapping's keys, and not
//! a comment or a `- ` item, starts a new key of that mapping: YAML requires the content of
//! every value (block scalars and continued flow scalars included) to be indented deeper.
//! So the text splits at those lines into pieces that parse on their own, and the trees
//! join without a second look at the text.
//!
//! Whatever does not fit that shape (anchors or aliases, which may link pieces, directives,
//! several documents, a syntax error, complex keys) returns `None`, and the caller parses
//! the whole text at once, which stays the reference.

use super::events::build_at;
use super::{Comment, Entry, Format, Node, ParsedFile, Value};
use crate::openapi::edit::Change;

/// Texts below this size parse faster in one go.
pub const PARALLEL_FROM_BYTES: usize = 256 * 1024;
/// About how large a piece is: small enough that an edit re-parses in a millisecond or two.
const PIECE_BYTES: usize = 32 * 1024;

/// One piece: a byte range, and the section key it belongs to when it holds keys of a
/// section rather than of the root mapping.
struct Piece {
    range: std::ops::Range<usize>,
    section: Option<usize>,
}

/// A mapping split into pieces: its key, the range of the key (as first parsed), the
/// section that holds it (`components` holds `schemas`; `None`: the root mapping), and the
/// indentation of its keys.
#[derive(Debug, Clone)]
struct Section {
    key: String,
    key_span: std::ops::Range<usize>,
    parent: Option<usize>,
    indent: usize,
}

/// How a parsed text was cut: kept with the tree so that an edit re-parses one piece.
#[derive(Debug, Clone)]
pub struct Layout {
    pieces: Vec<PieceInfo>,
    sections: Vec<Section>,
}

impl Layout {
    /// The sections from the outermost to `section`.
    fn chain(&self, mut section: Option<usize>) -> Vec<usize> {
        let mut chain = Vec::new();
        while let Some(index) = section {
            chain.push(index);
            section = self.sections[index].parent;
        }
        chain.reverse();
        chain
    }
}

#[derive(Debug, Clone)]
struct PieceInfo {
    range: std::ops::Range<usize>,
    section: Option<usize>,
    /// How many entries of its mapping (the root's or the section's) the piece holds.
    entries: usize,
}

pub fn parse(text: &str) -> Option<ParsedFile> {
    let threads = std::thread::available_parallelism().map_or(1, |count| count.get());
    if text.len() < PARALLEL_FROM_BYTES || threads < 2 {
        return None;
    }
    let (pieces, sections) = split(text, (threads * 4).max(text.len() / PIECE_BYTES))?;
    let results = crate::parallel::map(&pieces, |piece| match build_at(&text[piece.range.clone()], piece.range.start) {
        Ok((parsed, false)) if parsed.errors.is_empty() => Some(parsed),
        _ => None,
    });
    let mut layout = Layout { pieces: Vec::new(), sections };
    // The sections being filled, outermost first, each with its entries so far.
    let mut open: Vec<(usize, Vec<Entry>)> = Vec::new();
    let mut root: Vec<Entry> = Vec::new();
    let mut comments = Vec::new();
    for (piece, result) in pieces.iter().zip(results) {
        let parsed = result?;
        comments.extend(parsed.comments);
        let entries = match parsed.root?.value {
            Value::Map(entries) => entries,
            _ => return None,
        };
        layout.pieces.push(PieceInfo { range: piece.range.clone(), section: piece.section, entries: entries.len() });
        let chain = layout.chain(piece.section);
        let shared = open.iter().zip(&chain).take_while(|((open, _), wanted)| open == *wanted).count();
        while open.len() > shared {
            close_section(&mut root, &mut open, &layout.sections);
        }
        open.extend(chain[shared..].iter().map(|section| (*section, Vec::new())));
        match open.last_mut() {
            Some((_, open_entries)) => open_entries.extend(entries),
            None => root.extend(entries),
        }
    }
    while !open.is_empty() {
        close_section(&mut root, &mut open, &layout.sections);
    }
    let start = root.first()?.key_span.start;
    let end = root.last().map_or(start, |entry| entry.value.span.end.max(entry.key_span.end));
    Some(ParsedFile {
        format: Format::Yaml,
        root: Some(Node { span: start..end, value: Value::Map(root) }),
        errors: Vec::new(),
        comments,
        layout: Some(layout),
    })
}

/// Ends the innermost open section: its entries become the value of its key, in the
/// section around it or the root.
fn close_section(root: &mut Vec<Entry>, open: &mut Vec<(usize, Vec<Entry>)>, sections: &[Section]) {
    let Some((section, entries)) = open.pop() else { return };
    let section = &sections[section];
    let start = entries.first().map_or(section.key_span.end, |entry| entry.key_span.start);
    let end = entries.last().map_or(start, |entry| entry.value.span.end.max(entry.key_span.end));
    let value = Node { span: start..end, value: Value::Map(entries) };
    let entry = Entry { key: section.key.clone(), key_span: section.key_span.clone(), value };
    match open.last_mut() {
        Some((_, outer)) => outer.push(entry),
        None => root.push(entry),
    }
}

/// Line starts of `text[range]` at exactly `indent` spaces that begin a mapping key; `None`
/// when a content line is indented less (the text is not the block mapping it seemed).
fn key_lines(text: &str, range: std::ops::Range<usize>, indent: usize) -> Option<Vec<usize>> {
    let mut starts = Vec::new();
    let mut offset = range.start;
    for line in text[range].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_start_matches(' ');
        let depth = line.len() - content.len();
        let first = content.as_bytes().first().copied().unwrap_or(b'\n');
        if matches!(first, b'#' | b'\n' | b'\r') || depth > indent {
            continue;
        }
        if depth < indent || first == b'\t' {
            return None;
        }
        if content.starts_with("- ") || content == "-\n" || content.starts_with("-\r") {
            continue;
        }
        if matches!(first, b'?' | b'%' | b'[' | b'{' | b'&' | b'*' | b'!' | b'|' | b'>' | b'@' | b'`')
            || content.starts_with("---")
            || content.starts_with("...")
        {
            return None;
        }
        starts.push(start);
    }
    Some(starts)
}

/// The key of a section header line (`paths:`, `  schemas:`, nothing else on the line): its
/// text and range.
fn section_header(text: &str, line_start: usize) -> Option<(String, std::ops::Range<usize>)> {
    let line = text[line_start..].split(['\n', '\r']).next()?;
    let indent = line.len() - line.trim_start_matches(' ').len();
    let key = line[indent..].trim_end().strip_suffix(':')?;
    let plain = !key.is_empty() && key.bytes().all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'$' | b'.'));
    let start = line_start + indent;
    plain.then(|| (key.to_owned(), start..start + key.len()))
}

/// Cuts the text into about `target` pieces; big sections are cut along their keys, and
/// big sections inside them too (`components` → `schemas` → each schema).
fn split(text: &str, target: usize) -> Option<(Vec<Piece>, Vec<Section>)> {
    let size = text.len() / target.max(1) + 1;
    let mut pieces: Vec<Piece> = Vec::new();
    let mut sections = Vec::new();
    cut_mapping(text, 0..text.len(), 0, None, size, &mut pieces, &mut sections, 0)?;
    (!pieces.is_empty()).then_some((pieces, sections))
}

/// How many sections deep the pieces are cut (`components` → `schemas` → a schema is three):
/// each level scans the text below it again, so deeply nested text stays whole.
const MAX_CUT_DEPTH: usize = 8;

/// Cuts the block mapping in `body` (keys at `indent`; `section` is the mapping, `None` the
/// root) into pieces of about `size` bytes, descending into keys too large for one piece.
#[allow(clippy::too_many_arguments)]
fn cut_mapping(
    text: &str,
    body: std::ops::Range<usize>,
    indent: usize,
    section: Option<usize>,
    size: usize,
    pieces: &mut Vec<Piece>,
    sections: &mut Vec<Section>,
    depth: usize,
) -> Option<()> {
    let keys = key_lines(text, body.clone(), indent)?;
    for (index, key_line) in keys.iter().copied().enumerate() {
        // Anything before the first key (comments, blank lines) goes with the first piece.
        let start = if index == 0 { body.start } else { key_line };
        let range = start..keys.get(index + 1).copied().unwrap_or(body.end);
        let header = if range.len() > size && depth < MAX_CUT_DEPTH { section_header(text, key_line) } else { None };
        let inner = header.and_then(|(key, key_span)| {
            let inner_body = key_line + text[key_line..range.end].find('\n')? + 1..range.end;
            let inner_indent = first_content_indent(text, inner_body.clone())?;
            let inner_keys = key_lines(text, inner_body.clone(), inner_indent)?;
            (inner_indent > indent && !inner_keys.is_empty()).then_some((key, key_span, inner_body, inner_indent))
        });
        match inner {
            // The comments and blank lines before the header stay with the piece before.
            Some((key, key_span, inner_body, inner_indent))
                if start == key_line || pieces.last().is_some_and(|last| last.range.end == start) =>
            {
                if start < key_line
                    && let Some(last) = pieces.last_mut()
                {
                    last.range.end = key_line;
                }
                let inner_section = sections.len();
                sections.push(Section { key, key_span, parent: section, indent: inner_indent });
                cut_mapping(text, inner_body, inner_indent, Some(inner_section), size, pieces, sections, depth + 1)?;
            }
            _ => match pieces.last_mut() {
                Some(last) if last.section == section && last.range.end == range.start && last.range.len() + range.len() < size => {
                    last.range.end = range.end;
                }
                _ => pieces.push(Piece { range, section }),
            },
        }
    }
    Some(())
}

/// Re-parses the pieces an edit from `old_text` to `new_text` touched and splices them into
/// the old tree; `None` when the edit is not confined to whole pieces of one mapping, or the
/// new text of the pieces does not parse on its own.
pub fn reparse(old_text: &str, mut old: ParsedFile, new_text: &str) -> Option<ParsedFile> {
    let mut layout = old.layout.take()?;
    if !old.errors.is_empty() {
        return None;
    }
    let new_bytes = new_text.as_bytes();
    let Change { start, old_end, new_end } = Change::between(old_text, new_text)?;
    let delta = new_end as isize - old_end as isize;
    let (low, high) = (start, old_end.max(start + 1));
    let touches = |piece: &PieceInfo| piece.range.start < high && piece.range.end > low;
    let first = layout.pieces.iter().position(touches)?;
    let last = layout.pieces.iter().rposition(touches)?;
    let section = layout.pieces[first].section;
    let old_range = layout.pieces[first].range.start..layout.pieces[last].range.end;
    // Section header lines lie between pieces: an edit there changes the shape of the text.
    if layout.pieces[first..=last].iter().any(|piece| piece.section != section) || low < old_range.start || old_end > old_range.end {
        return None;
    }
    let new_range = old_range.start..old_range.end.checked_add_signed(delta)?;
    // The pieces after must still start a line: an edit that removed the last line break of
    // the touched pieces joined them to the next one.
    if new_range.end < new_text.len() && new_bytes.get(new_range.end.checked_sub(1)?) != Some(&b'\n') {
        return None;
    }
    let indent = section.map_or(0, |section| layout.sections[section].indent);
    // The pieces must still be keys of their mapping, starting with one at its indentation.
    if key_lines(new_text, new_range.clone(), indent)?.is_empty() || first_content_indent(new_text, new_range.clone()) != Some(indent) {
        return None;
    }
    let Ok((parsed, false)) = build_at(&new_text[new_range.clone()], new_range.start) else { return None };
    if !parsed.errors.is_empty() {
        return None;
    }
    let Value::Map(entries) = parsed.root?.value else { return None };
    let added = entries.len();
    let removed: usize = layout.pieces[first..=last].iter().map(|piece| piece.entries).sum();
    let chain: Vec<&str> = layout.chain(section).into_iter().map(|section| layout.sections[section].key.as_str()).collect();
    splice_at(old.root.as_mut()?, &chain, old_range.start, removed, entries, delta)?;
    splice_comments(&mut old.comments, &old_range, parsed.comments, delta);
    layout.pieces.splice(first..=last, [PieceInfo { range: new_range, section, entries: added }]);
    for piece in &mut layout.pieces[first + 1..] {
        piece.range = shift(&piece.range, delta);
    }
    old.layout = Some(layout);
    Some(old)
}

/// Replaces the comments of `old_range` with `new` and moves the ones after by `delta`.
fn splice_comments(comments: &mut Vec<Comment>, old_range: &std::ops::Range<usize>, new: Vec<Comment>, delta: isize) {
    let start = comments.partition_point(|comment| comment.span.start < old_range.start);
    let end = comments.partition_point(|comment| comment.span.start < old_range.end);
    let inserted = new.len();
    comments.splice(start..end, new);
    for comment in &mut comments[start + inserted..] {
        comment.span = shift(&comment.span, delta);
    }
}

/// Replaces the `removed` entries that start at byte `at` of the mapping that `chain` (section
/// keys, outermost first) leads to from `node`, and moves everything after by `delta`.
fn splice_at(node: &mut Node, chain: &[&str], at: usize, removed: usize, entries: Vec<Entry>, delta: isize) -> Option<()> {
    let Value::Map(map) = &mut node.value else { return None };
    let index = map.partition_point(|entry| entry.key_span.start < at);
    match chain.split_first() {
        None => splice(map, index, removed, entries, delta)?,
        Some((key, rest)) => {
            // The section is the last key before the pieces.
            let section = index.checked_sub(1)?;
            if map[section].key != *key {
                return None;
            }
            splice_at(&mut map[section].value, rest, at, removed, entries, delta)?;
            for entry in &mut map[section + 1..] {
                shift_entry(entry, delta);
            }
        }
    }
    node.span = map_span(map)?;
    Some(())
}

/// Replaces `removed` entries at `at` with `entries` and moves the ones after by `delta`.
fn splice(target: &mut Vec<Entry>, at: usize, removed: usize, entries: Vec<Entry>, delta: isize) -> Option<()> {
    if at + removed > target.len() {
        return None;
    }
    let added = entries.len();
    target.splice(at..at + removed, entries);
    for entry in &mut target[at + added..] {
        shift_entry(entry, delta);
    }
    Some(())
}

/// The range of a block mapping: from its first key to the end of its last value.
fn map_span(entries: &[Entry]) -> Option<std::ops::Range<usize>> {
    let start = entries.first()?.key_span.start;
    let end = entries.last().map_or(start, |entry| entry.value.span.end.max(entry.key_span.end));
    Some(start..end)
}

fn shift(range: &std::ops::Range<usize>, delta: isize) -> std::ops::Range<usize> {
    range.start.saturating_add_signed(delta)..range.end.saturating_add_signed(delta)
}

fn shift_entry(entry: &mut Entry, delta: isize) {
    entry.key_span = shift(&entry.key_span, delta);
    shift_node(&mut entry.value, delta);
}

fn shift_node(node: &mut Node, delta: isize) {
    node.span = shift(&node.span, delta);
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|item| shift_node(item, delta)),
        Value::Map(entries) => entries.iter_mut().for_each(|entry| shift_entry(entry, delta)),
        _ => {}
    }
}

/// The indentation of the first line of `range` that is neither blank nor a comment.
fn first_content_indent(text: &str, range: std::ops::Range<usize>) -> Option<usize> {
    text[range].split_inclusive('\n').find_map(|line| {
        let content = line.trim_start_matches(' ');
        let blank = content.trim().is_empty() || content.starts_with('#');
        (!blank).then(|| line.len() - content.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(document: &str) -> String {
        // Repeat path items until the text is large enough to be cut.
        let mut text = String::from("openapi: 3.0.3\n# a comment\ninfo:\n  title: t\n  version: '1'\npaths:\n");
        let mut index = 0;
        while text.len() < PARALLEL_FROM_BYTES * 2 {
            text.push_str(&document.replace("{n}", &index.to_string()));
            index += 1;
        }
        text.push_str("components:\n  schemas:\n    A: {type: object}\n");
        text
    }

    #[test]
    fn pieces_join_into_the_tree_of_the_whole_text() {
        let text = big(
            "  /items/{n}:\n    get:\n      description: |\n        text\n\n        more: text\n      parameters:\n      - name: a\n        in: query\n  # between\n    # odd comment\n",
        );
        let whole = build_at(&text, 0).unwrap().0;
        let pieces = parse(&text).expect("the text is cut into pieces");
        assert_eq!(pieces.root, whole.root);
        assert_eq!(pieces.comments, whole.comments);
    }

    /// Every edit: the re-parse (pieces or whole) equals a parse of the new text.
    fn assert_reparse_equals_parse(old_text: &str, new_text: &str) -> bool {
        let old = parse(old_text).expect("cut into pieces");
        let reused = reparse(old_text, old.clone(), new_text);
        let expected = crate::openapi::syntax::parse_yaml_whole(new_text);
        let used_pieces = reused.is_some();
        let got = reused.unwrap_or_else(|| crate::openapi::syntax::parse(new_text, Format::Yaml));
        assert!(got.root == expected.root, "trees differ after editing");
        assert_eq!(got.comments, expected.comments);
        if used_pieces {
            // The layout still describes the text: a second edit re-parses correctly too.
            let again = new_text.replacen("text", "texts", 1);
            let second = reparse(new_text, got, &again).unwrap_or_else(|| crate::openapi::syntax::parse(&again, Format::Yaml));
            assert!(second.root == crate::openapi::syntax::parse_yaml_whole(&again).root, "trees differ after a second edit");
        }
        used_pieces
    }

    #[test]
    fn an_edit_reparses_only_its_piece_and_equals_a_whole_parse() {
        let text =
            big("  /items/{n}:\n    get:\n      description: some text\n      # note\n      responses: {'200': {description: ok}}\n");
        let middle = text.len() / 2;
        let line = middle + text[middle..].find("description: some").unwrap();
        let path_line = text[..line].rfind("\n  /items/").unwrap() + 1;
        // Typing a character, deleting one, adding a key, adding a path: all within a piece.
        for (at, removed, inserted) in [
            (line + 13, 0, "x"),
            (line + 13, 1, ""),
            (line, 0, "summary: more\n      "),
            (path_line, 0, "  /new:\n    get: {}\n"),
            (text.len() - 3, 0, "x"),
        ] {
            let mut edited = text.clone();
            edited.replace_range(at..at + removed, inserted);
            assert!(assert_reparse_equals_parse(&text, &edited), "not re-parsed in pieces: {inserted:?}");
        }
        // Removing the line break at the end of a piece joins the next piece's first line to
        // it: the whole text is parsed again.
        let layout = parse(&text).unwrap().layout.unwrap();
        let boundary = layout.pieces.iter().map(|piece| piece.range.end).find(|end| *end > text.len() / 2).unwrap();
        let mut joined = text.clone();
        joined.replace_range(boundary - 1..boundary, " ");
        assert!(!assert_reparse_equals_parse(&text, &joined), "a joined line must not be re-parsed in pieces");
        // Edits that change the shape fall back to a whole parse, with the same result.
        let header = text.find("paths:").unwrap();
        for (at, removed, inserted) in [(header, 0, "  "), (line, 0, "&anchor "), (line + 13, 0, "\""), (line - 6, 2, ""), (0, 0, "---\n")]
        {
            let mut edited = text.clone();
            edited.replace_range(at..at + removed, inserted);
            assert_reparse_equals_parse(&text, &edited);
        }
    }

    #[test]
    fn big_sections_inside_sections_are_cut_too() {
        // Most of the text is `components` → `schemas`, as in Stripe's description.
        let mut text = String::from(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  parameters:\n    a: {name: a, in: query}\n  # the schemas\n  schemas:\n",
        );
        let mut index = 0;
        while text.len() < PARALLEL_FROM_BYTES * 2 {
            text.push_str(&format!(
                "    Item{index}:\n      type: object\n      description: item {index}\n      properties:\n        id: {{type: string}}\n"
            ));
            index += 1;
        }
        text.push_str("  securitySchemes:\n    token: {type: http, scheme: bearer}\nsecurity: []\n");
        let parsed = parse(&text).expect("cut into pieces");
        let layout = parsed.layout.as_ref().unwrap();
        assert!(layout.sections.iter().any(|section| section.key == "schemas" && section.parent.is_some()), "{:?}", layout.sections);
        assert!(layout.pieces.len() > 8, "{} pieces", layout.pieces.len());
        assert_eq!(parsed.root, build_at(&text, 0).unwrap().0.root);
        let middle = text.len() / 2;
        let line = middle + text[middle..].find("description: item").unwrap();
        let schema_line = text[..line].rfind("\n    Item").unwrap() + 1;
        for (at, removed, inserted) in [(line + 14, 0, "x"), (line + 14, 1, ""), (schema_line, 0, "    New: {type: string}\n")] {
            let mut edited = text.clone();
            edited.replace_range(at..at + removed, inserted);
            assert!(assert_reparse_equals_parse(&text, &edited), "not re-parsed in pieces: {inserted:?}");
        }
        // The header lines of both sections, and the key after them, fall back to a whole parse.
        let schemas = text.find("  schemas:").unwrap();
        let security = text.find("  securitySchemes:").unwrap();
        for (at, removed, inserted) in [(schemas + 3, 0, "x"), (schemas, 2, ""), (security, 0, "    Last: {}\n")] {
            let mut edited = text.clone();
            edited.replace_range(at..at + removed, inserted);
            assert_reparse_equals_parse(&text, &edited);
        }
    }

    #[test]
    fn line_endings_multibyte_text_and_deep_nesting_give_the_tree_of_the_whole_text() {
        let documents = [
            big("  /items/{n}:\n    get:\n      description: ok\n").replace('\n', "\r\n"),
            big("  /élément/{n}:\n    get:\n      description: « texte » ✓ 日本語\n"),
            big(&format!("  /deep/{{n}}:\n    x-deep: {}{}\n", "[".repeat(300), "]".repeat(300))),
            big("  /tabs/{n}:\n    get:\n\t\tdescription: tabs are not indentation\n"),
        ];
        for text in documents {
            let whole = crate::openapi::syntax::parse_yaml_whole(&text);
            let got = crate::openapi::syntax::parse(&text, Format::Yaml);
            assert!(got.root == whole.root, "trees differ");
            assert_eq!(got.errors.len(), whole.errors.len());
            assert_eq!(got.comments, whole.comments);
        }
    }

    /// Random one-character edits anywhere, with the characters that change YAML's shape:
    /// whatever path the re-parse takes, the tree is the tree of the whole new text.
    #[test]
    fn random_edits_reparse_to_the_tree_of_the_whole_text() {
        // Just large enough to be cut, so that the whole parses the test compares with are quick.
        let mut text = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
        let mut index = 0;
        while text.len() < PARALLEL_FROM_BYTES + 4096 {
            text.push_str(&format!(
                "  /items/{index}:\n    get:\n      description: some text\n      responses: {{'200': {{description: ok}}}}\n"
            ));
            index += 1;
        }
        let mut parsed = parse(&text).expect("cut into pieces");
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..16 {
            let at = crate::line_index::floor_char_boundary(&text, (next() % text.len() as u64) as usize);
            let edited = if next() % 3 == 0 && at < text.len() {
                let end = at + text[at..].chars().next().map_or(0, char::len_utf8);
                format!("{}{}", &text[..at], &text[end..])
            } else {
                let inserted = ["\n", " ", ":", "#", "-", "a", "\n  ", "\n      x: 1\n"][(next() % 8) as usize];
                format!("{}{inserted}{}", &text[..at], &text[at..])
            };
            parsed = crate::openapi::syntax::reparse(&text, parsed, &edited);
            let whole = crate::openapi::syntax::parse(&edited, Format::Yaml);
            assert!(parsed.root == whole.root, "trees differ after an edit at {at}");
            assert_eq!(parsed.errors, whole.errors, "after an edit at {at}");
            assert_eq!(parsed.comments, whole.comments, "after an edit at {at}");
            text = edited;
        }
    }

    #[test]
    fn declines_what_pieces_cannot_express() {
        let anchors = big("  /items/{n}:\n    get: &op {description: x}\n");
        assert!(parse(&anchors).is_none());
        let broken = big("  /items/{n}:\n    get: {description: x\n");
        assert!(parse(&broken).is_none());
    }
}
