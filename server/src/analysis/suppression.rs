//! Suppressions written in the document: `# archlens: allow(CODE, name)` comments in YAML and
//! `x-archlens-allow: [CODE]` members in JSON (and YAML). Either applies to the node it sits
//! on and everything below it.
//!
//! A YAML comment applies to the outermost node that starts on the next line holding content
//! (or, at the end of a line, to that line's node). Comments above the first line of content
//! apply to the whole document.

use serde_json::json;

use crate::line_index::{ColumnUnit, LineIndex};
use crate::openapi::edit::{TextEdit, append_item, insert_member};
use crate::openapi::pointer::{JsonPointer, KeyIndex, Step, locate_with, walk};
use crate::openapi::project::SourceFile;
use crate::openapi::syntax::{Format, Node, Value};
use crate::rules::RuleMeta;

use super::Fix;

pub const ALLOW_KEY: &str = "x-archlens-allow";

/// Where suppressions apply in one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    entries: Vec<(JsonPointer, Vec<String>)>,
}

impl Suppressions {
    pub fn of(file: &SourceFile) -> Suppressions {
        let mut entries = Vec::new();
        let Some(root) = file.root() else {
            return Suppressions { entries };
        };
        // Most files have none: the text tells without a walk of the tree.
        if file.text.contains(ALLOW_KEY) {
            collect_allow_members(root, JsonPointer::root(), &mut entries);
        }
        if file.parsed.format == Format::Yaml && file.parsed.comments.iter().any(|comment| parse_allow(&comment.text).is_some()) {
            let index = LineIndex::new(&file.text);
            let starts = node_starts_by_line(root, &file.text, &index);
            let first_content_line = starts.iter().map(|(line, _)| *line).min().unwrap_or(0);
            for comment in &file.parsed.comments {
                let Some(codes) = parse_allow(&comment.text) else {
                    continue;
                };
                let line = index.position(&file.text, comment.span.start, ColumnUnit::Utf8).line as usize;
                let line_text = &file.text[index.line_range(&file.text, line)];
                let trailing = !line_text.trim_start().starts_with('#');
                let target = if trailing {
                    starts
                        .iter()
                        .filter(|(start, _)| *start == line)
                        .map(|(_, pointer)| pointer.clone())
                        .min_by_key(|pointer| pointer.as_str().len())
                } else if line < first_content_line {
                    Some(JsonPointer::root())
                } else {
                    starts
                        .iter()
                        .filter(|(start, _)| *start > line)
                        .min_by_key(|(start, pointer)| (*start, pointer.as_str().len()))
                        .map(|(_, pointer)| pointer.clone())
                };
                if let Some(target) = target {
                    entries.push((target, codes));
                }
            }
        }
        Suppressions { entries }
    }

    /// True when a suppression on `pointer` or one of its ancestors names the rule.
    pub fn allows(&self, pointer: &JsonPointer, meta: &RuleMeta) -> bool {
        self.entries.iter().any(|(at, codes)| at.contains(pointer) && codes.iter().any(|code| meta.is_named(code)))
    }
}

/// Reads `archlens: allow(A, b)` out of a comment (`# …` in YAML, `// …` in Rust).
pub(crate) fn parse_allow(comment: &str) -> Option<Vec<String>> {
    let body = comment.trim_start_matches(['#', '/']).trim();
    let rest = body.strip_prefix("archlens:")?.trim_start();
    let inside = rest.strip_prefix("allow(")?;
    let inside = &inside[..inside.find(')')?];
    Some(inside.split(',').map(|code| code.trim().to_owned()).filter(|code| !code.is_empty()).collect())
}

fn collect_allow_members(node: &Node, pointer: JsonPointer, out: &mut Vec<(JsonPointer, Vec<String>)>) {
    walk(node, (), |path, step, child, ()| {
        if !matches!(step, Step::Key(ALLOW_KEY)) {
            return Some(());
        }
        let codes = match &child.value {
            Value::Seq(items) => items.iter().filter_map(|item| item.as_str().map(str::to_owned)).collect(),
            Value::String(code) => vec![code.clone()],
            _ => Vec::new(),
        };
        out.push((path.pointer(&pointer), codes));
        None
    });
}

/// For each line, the nodes that start on it: mapping keys and sequence items.
fn node_starts_by_line(root: &Node, text: &str, index: &LineIndex) -> Vec<(usize, JsonPointer)> {
    let mut starts = Vec::new();
    let mut stack = vec![(root, JsonPointer::root())];
    let line_of = |offset: usize| index.position(text, offset, ColumnUnit::Utf8).line as usize;
    while let Some((node, pointer)) = stack.pop() {
        match &node.value {
            Value::Map(entries) => {
                for entry in entries {
                    let child = pointer.child(&entry.key);
                    starts.push((line_of(entry.key_span.start), child.clone()));
                    stack.push((&entry.value, child));
                }
            }
            Value::Seq(items) => {
                for (position, item) in items.iter().enumerate() {
                    let child = pointer.index(position);
                    starts.push((line_of(item.span.start), child.clone()));
                    stack.push((item, child));
                }
            }
            _ => {}
        }
    }
    starts
}

/// The edit that suppresses `meta` at `pointer`: a comment line above the node in YAML, an
/// `x-archlens-allow` member in the nearest enclosing object in JSON.
pub fn suppression_fix(file: &SourceFile, keys: &KeyIndex, index: &LineIndex, pointer: &JsonPointer, meta: &RuleMeta) -> Option<Fix> {
    let root = file.root()?;
    let title = format!("Allow {} ({}) here", meta.code, meta.name);
    let edit = match file.parsed.format {
        Format::Yaml => yaml_comment_edit(file, keys, index, root, pointer, meta)?,
        Format::Json => json_member_edit(file, keys, root, pointer, meta)?,
    };
    Some(Fix::new(title, vec![edit]))
}

fn yaml_comment_edit(
    file: &SourceFile,
    keys: &KeyIndex,
    index: &LineIndex,
    root: &Node,
    pointer: &JsonPointer,
    meta: &RuleMeta,
) -> Option<TextEdit> {
    let text = &*file.text;
    let located = locate_with(keys, root, pointer)?;
    let start = located.key_span.clone().map_or(located.node.span.start, |span| span.start);
    let line = index.position(text, start, ColumnUnit::Utf8).line as usize;
    let line_range = index.line_range(text, line);
    // An allow comment just above: add the code to it.
    if line > 0 {
        let above = index.line_range(text, line - 1);
        let above_text = &text[above.clone()];
        if let Some(codes) = parse_allow(above_text.trim_start())
            && above_text.trim_start().starts_with('#')
        {
            let close = above.start + above_text.rfind(')')?;
            let separator = if codes.is_empty() { "" } else { ", " };
            return Some(TextEdit::insert(close, format!("{separator}{}", meta.code)));
        }
    }
    let line_text = &text[line_range.clone()];
    let indent: String = line_text.chars().take_while(|character| *character == ' ').collect();
    // The file's line ending, from its first line (scanning the whole text per finding is
    // what made multi-megabyte documents slow).
    let newline = match text.find('\n') {
        Some(index) if index > 0 && text.as_bytes()[index - 1] == b'\r' => "\r\n",
        _ => "\n",
    };
    Some(TextEdit::insert(line_range.start, format!("{indent}# archlens: allow({}){newline}", meta.code)))
}

fn json_member_edit(file: &SourceFile, keys: &KeyIndex, root: &Node, pointer: &JsonPointer, meta: &RuleMeta) -> Option<TextEdit> {
    let mut candidates = pointer.ancestors_and_self();
    candidates.reverse();
    for candidate in candidates {
        let located = locate_with(keys, root, &candidate)?;
        if located.node.as_map().is_none() {
            continue;
        }
        if let Some(existing) = located.node.get(ALLOW_KEY)
            && existing.as_seq().is_some()
        {
            return Some(append_item(&file.text, Format::Json, existing, &json!(meta.code)));
        }
        return Some(insert_member(&file.text, Format::Json, located.node, ALLOW_KEY, &json!([meta.code])));
    }
    None
}
