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
use super::{Entry, Format, Node, ParsedFile, Value};

/// Texts below this size parse faster in one go.
pub const PARALLEL_FROM_BYTES: usize = 256 * 1024;

/// One piece: a byte range, and the section key it belongs to when it holds keys of a
/// section rather than of the root mapping.
struct Piece {
    range: std::ops::Range<usize>,
    section: Option<usize>,
}

/// A section split into pieces: its key and the range of the key.
struct Section {
    key: String,
    key_span: std::ops::Range<usize>,
}

pub fn parse(text: &str) -> Option<ParsedFile> {
    let threads = std::thread::available_parallelism().map_or(1, |count| count.get());
    if text.len() < PARALLEL_FROM_BYTES || threads < 2 {
        return None;
    }
    let (pieces, sections) = split(text, threads * 4)?;
    let results: Vec<std::sync::Mutex<Option<Option<ParsedFile>>>> = pieces.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        loop {
            let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(piece) = pieces.get(index) else { return };
            let parsed = match build_at(&text[piece.range.clone()], piece.range.start) {
                Ok((parsed, false)) if parsed.errors.is_empty() => Some(parsed),
                _ => None,
            };
            *results[index].lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(parsed);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    let mut root: Vec<Entry> = Vec::new();
    let mut comments = Vec::new();
    let mut open_section: Option<(usize, Vec<Entry>)> = None;
    for (piece, result) in pieces.iter().zip(results) {
        let parsed = result.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)??;
        comments.extend(parsed.comments);
        let entries = match parsed.root?.value {
            Value::Map(entries) => entries,
            _ => return None,
        };
        if open_section.as_ref().map(|(section, _)| Some(*section)) != Some(piece.section) {
            close_section(&mut root, &sections, open_section.take());
        }
        match piece.section {
            None => root.extend(entries),
            Some(section) => open_section.get_or_insert_with(|| (section, Vec::new())).1.extend(entries),
        }
    }
    close_section(&mut root, &sections, open_section.take());
    let start = root.first()?.key_span.start;
    let end = root.last().map_or(start, |entry| entry.value.span.end.max(entry.key_span.end));
    Some(ParsedFile { format: Format::Yaml, root: Some(Node { span: start..end, value: Value::Map(root) }), errors: Vec::new(), comments })
}

fn close_section(root: &mut Vec<Entry>, sections: &[Section], open: Option<(usize, Vec<Entry>)>) {
    let Some((section, entries)) = open else { return };
    let section = &sections[section];
    let start = entries.first().map_or(section.key_span.end, |entry| entry.key_span.start);
    let end = entries.last().map_or(start, |entry| entry.value.span.end.max(entry.key_span.end));
    let value = Node { span: start..end, value: Value::Map(entries) };
    root.push(Entry { key: section.key.clone(), key_span: section.key_span.clone(), value });
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

/// The key of a section header line (`paths:`, nothing else on the line): its text and range.
fn section_header(text: &str, line_start: usize) -> Option<(String, std::ops::Range<usize>)> {
    let line = text[line_start..].split(['\n', '\r']).next()?;
    let key = line.trim_end().strip_suffix(':')?;
    let plain = !key.is_empty() && key.bytes().all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'$' | b'.'));
    plain.then(|| (key.to_owned(), line_start..line_start + key.len()))
}

/// Cuts the text into about `target` pieces; big sections are cut along their keys.
fn split(text: &str, target: usize) -> Option<(Vec<Piece>, Vec<Section>)> {
    let tops = key_lines(text, 0..text.len(), 0)?;
    // Anything before the first key (comments, blank lines) goes with the first piece.
    let bounds: Vec<std::ops::Range<usize>> = tops
        .iter()
        .enumerate()
        .map(|(index, start)| if index == 0 { 0 } else { *start }..tops.get(index + 1).copied().unwrap_or(text.len()))
        .collect();
    if bounds.is_empty() {
        return None;
    }
    let size = text.len() / target.max(1) + 1;
    let mut pieces: Vec<Piece> = Vec::new();
    let mut sections = Vec::new();
    for (range, header_line) in bounds.into_iter().zip(tops.iter().copied()) {
        let header = if range.len() > size { section_header(text, header_line) } else { None };
        let body_start = text[header_line..range.end].find('\n').map(|index| header_line + index + 1);
        let split_body = header.zip(body_start).and_then(|((key, key_span), body_start)| {
            let body = body_start..range.end;
            let indent = first_content_indent(text, body.clone())?;
            let keys = key_lines(text, body.clone(), indent)?;
            (indent > 0 && !keys.is_empty()).then_some((key, key_span, body, keys))
        });
        let Some((key, key_span, body, keys)) = split_body else {
            match pieces.last_mut() {
                Some(last) if last.section.is_none() && last.range.len() + range.len() < size => last.range.end = range.end,
                _ => pieces.push(Piece { range, section: None }),
            }
            continue;
        };
        let section = sections.len();
        sections.push(Section { key, key_span });
        let mut start = body.start;
        for index in 0..keys.len() {
            let end = keys.get(index + 1).copied().unwrap_or(body.end);
            if end - start >= size || index + 1 == keys.len() {
                pieces.push(Piece { range: start..end, section: Some(section) });
                start = end;
            }
        }
    }
    Some((pieces, sections))
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

    #[test]
    fn declines_what_pieces_cannot_express() {
        let anchors = big("  /items/{n}:\n    get: &op {description: x}\n");
        assert!(parse(&anchors).is_none());
        let broken = big("  /items/{n}:\n    get: {description: x\n");
        assert!(parse(&broken).is_none());
    }
}
