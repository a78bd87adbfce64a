//! Findings kept across an edit that only changes prose.
//!
//! Most typing in a large OpenAPI document is prose: the text of a `description`, `summary`
//! or `title`. Only a few rules read those texts, and each says when a change matters to it
//! ([`Check::reads_prose`](crate::rules::Check::reads_prose)). When the edit stays inside one
//! such value, the tree around it keeps its shape and no rule cares, the findings of the last
//! check still hold: their ranges are moved by the edit instead of being computed again.
//! Anything else (a key, a structural character, a new comment, a value that stops being a
//! string) takes the full check.

use std::mem::discriminant;
use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::openapi::edit::{Change, TextEdit};
use crate::openapi::syntax::{Comment, Node, ParsedFile, Span, Value};
use crate::rules::{ProseEdit, Rule};

use super::{Diagnostic, FileReport, Fix, Related};

/// The keys whose string values are prose.
pub const PROSE_KEYS: [&str; 3] = ["description", "summary", "title"];

/// The shape of one level of the tree on the way to the edited value: what must look the
/// same, moved by the edit, after it.
#[derive(Debug)]
enum Level {
    Map(Vec<(String, Span, Span, std::mem::Discriminant<Value>)>),
    Seq(Vec<(Span, std::mem::Discriminant<Value>)>),
}

/// The prose value an edit falls in, read from the tree before the edit.
#[derive(Debug)]
pub struct ProseSite {
    /// The child taken at each level, from the root.
    steps: Vec<usize>,
    levels: Vec<Level>,
    key: String,
    /// The key of the mapping that holds the value.
    parent_key: Option<String>,
    old: String,
}

/// The `description`/`summary`/`title` string value that holds the whole edit, if any.
pub fn prose_site(root: &Node, change: &Change) -> Option<ProseSite> {
    let mut steps = Vec::new();
    let mut levels = Vec::new();
    let mut node = root;
    let mut key: Option<&str> = None;
    let mut parent_key: Option<&str> = None;
    loop {
        match &node.value {
            Value::Map(entries) => {
                let index = entries.iter().position(|entry| change.within(&entry.value.span))?;
                // An edit that touches a key is not prose.
                if entries.iter().any(|entry| entry.key_span.start <= change.old_end && change.start <= entry.key_span.end) {
                    return None;
                }
                levels.push(Level::Map(
                    entries
                        .iter()
                        .map(|entry| {
                            (entry.key.clone(), entry.key_span.clone(), entry.value.span.clone(), discriminant(&entry.value.value))
                        })
                        .collect(),
                ));
                steps.push(index);
                parent_key = key;
                key = Some(&entries[index].key);
                node = &entries[index].value;
            }
            Value::Seq(items) => {
                let index = items.iter().position(|item| change.within(&item.span))?;
                levels.push(Level::Seq(items.iter().map(|item| (item.span.clone(), discriminant(&item.value))).collect()));
                steps.push(index);
                parent_key = key;
                key = None;
                node = &items[index];
            }
            Value::String(text) => {
                let key = key.filter(|key| PROSE_KEYS.contains(key))?;
                let parent_key = parent_key.map(str::to_owned);
                return Some(ProseSite { steps, levels, key: key.to_owned(), parent_key, old: text.clone() });
            }
            _ => return None,
        }
    }
}

/// The mapping that holds the edited value and its new text, when the new tree has the old
/// shape around it: the same keys, the same kinds of values, every range moved by the edit.
fn confirm<'n>(site: &ProseSite, new_root: &'n Node, change: &Change) -> Option<(&'n Node, &'n str)> {
    let mut node = new_root;
    let mut parent = new_root;
    for (level, &step) in site.levels.iter().zip(&site.steps) {
        let child = match (level, &node.value) {
            (Level::Map(old), Value::Map(entries)) => {
                let same = old.len() == entries.len()
                    && old.iter().zip(entries).all(|((key, key_span, value_span, kind), entry)| {
                        *key == entry.key
                            && change.span(key_span).as_ref() == Some(&entry.key_span)
                            && change.span(value_span).as_ref() == Some(&entry.value.span)
                            && *kind == discriminant(&entry.value.value)
                    });
                same.then(|| &entries[step].value)?
            }
            (Level::Seq(old), Value::Seq(items)) => {
                let same = old.len() == items.len()
                    && old
                        .iter()
                        .zip(items)
                        .all(|((span, kind), item)| change.span(span).as_ref() == Some(&item.span) && *kind == discriminant(&item.value));
                same.then(|| &items[step])?
            }
            _ => return None,
        };
        parent = node;
        node = child;
    }
    Some((parent, node.as_str()?))
}

/// What an edit inside a prose value needs from the tree before the edit.
#[derive(Debug)]
pub struct Before {
    pub change: Change,
    site: ProseSite,
    comments: Vec<Comment>,
}

impl Before {
    /// Reads the site of the edit from `old` before it is re-parsed; `None` when the edit is
    /// not inside a prose value of a well-formed YAML or JSON tree.
    pub fn read(old: &ParsedFile, old_text: &str, new_text: &str) -> Option<Before> {
        if !old.errors.is_empty() {
            return None;
        }
        let change = Change::between(old_text, new_text)?;
        let site = prose_site(old.root.as_ref()?, &change)?;
        Some(Before { change, site, comments: old.comments.clone() })
    }

    /// Whether the re-parsed tree `new` differs from the old one only in the prose value,
    /// and no enabled rule reads that change. When true, findings can be moved, not
    /// recomputed.
    pub fn holds(&self, new: &ParsedFile, rules: &[&dyn Rule], config: &Config) -> bool {
        if !new.errors.is_empty() {
            return false;
        }
        let Some((parent, text)) = new.root.as_ref().and_then(|root| confirm(&self.site, root, &self.change)) else {
            return false;
        };
        let comments_moved = self.comments.len() == new.comments.len()
            && self
                .comments
                .iter()
                .zip(&new.comments)
                .all(|(old, new)| old.text == new.text && self.change.span(&old.span).as_ref() == Some(&new.span));
        if !comments_moved {
            return false;
        }
        let edit = ProseEdit { key: &self.site.key, parent, parent_key: self.site.parent_key.as_deref(), old: &self.site.old, new: text };
        !rules.iter().any(|rule| config.is_enabled(rule.meta()) && rule.reads_prose(&edit))
    }
}

/// The report of a file after an edit of `edited` that keeps every finding: ranges in the
/// edited file are moved, and related information into it reads the new text. `None` when
/// a range starts or ends inside the edited text, or a fix rewrites it (the fix may quote the
/// old text).
pub fn shift_file(report: &FileReport, edited: &Path, new_text: &Arc<str>, change: &Change) -> Option<FileReport> {
    let in_edited = report.path == edited;
    let mut diagnostics = Vec::with_capacity(report.diagnostics.len());
    for diagnostic in &report.diagnostics {
        diagnostics.push(shift_diagnostic(diagnostic, in_edited, edited, new_text, change)?);
    }
    Some(FileReport { path: report.path.clone(), text: if in_edited { new_text.clone() } else { report.text.clone() }, diagnostics })
}

fn shift_diagnostic(diagnostic: &Diagnostic, in_edited: bool, edited: &Path, new_text: &Arc<str>, change: &Change) -> Option<Diagnostic> {
    let span = if in_edited { change.span(&diagnostic.span)? } else { diagnostic.span.clone() };
    let shift_fix = |fix: &Fix| -> Option<Fix> {
        if !in_edited || fix.target.is_some() {
            return Some(fix.clone());
        }
        let edits = fix
            .edits
            .iter()
            .map(|edit| {
                // A fix that replaces the edited text was written from the old one.
                let rewrites = edit.span.start <= change.old_end && change.start <= edit.span.end && !edit.span.is_empty();
                (!rewrites).then(|| Some(TextEdit { span: change.span(&edit.span)?, new_text: edit.new_text.clone() }))?
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Fix { title: fix.title.clone(), edits, preferred: fix.preferred, target: None })
    };
    let fixes = diagnostic.fixes.iter().map(shift_fix).collect::<Option<Vec<_>>>()?;
    let suppression = match &diagnostic.suppression {
        Some(fix) => Some(shift_fix(fix)?),
        None => None,
    };
    let related = diagnostic
        .related
        .iter()
        .map(|related| {
            if related.path != edited {
                return Some(related.clone());
            }
            Some(Related {
                path: related.path.clone(),
                text: new_text.clone(),
                span: change.span(&related.span)?,
                message: related.message.clone(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Diagnostic {
        rule: diagnostic.rule,
        severity: diagnostic.severity,
        path: diagnostic.path.clone(),
        span,
        pointer: diagnostic.pointer.clone(),
        message: diagnostic.message.clone(),
        fixes,
        suppression,
        related,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi::syntax::{Format, parse};

    #[test]
    fn changes_map_offsets_around_the_edit() {
        let change = Change::between("abc def", "abc dxef").unwrap();
        assert_eq!(change, Change { start: 5, old_end: 5, new_end: 6 });
        assert_eq!(change.span(&(4..7)), Some(4..8));
        assert_eq!(change.span(&(0..3)), Some(0..3));
        // Typing at the end of a value extends it.
        assert_eq!(Change::between("ab cd\n", "ab cdx\n").unwrap().span(&(3..5)), Some(3..6));
        let deletion = Change::between("abc def", "abc df").unwrap();
        assert_eq!(deletion.span(&(4..7)), Some(4..6));
        assert_eq!(deletion.span(&(5..6)), Some(5..5));
        let longer = Change::between("abc defg", "abc dg").unwrap();
        assert_eq!(longer.span(&(6..8)), None);
        assert_eq!(Change::between("same", "same"), None);
    }

    fn site(old: &str, new: &str) -> Option<String> {
        let parsed = parse(old, Format::Yaml);
        let before = Before::read(&parsed, old, new)?;
        let reparsed = parse(new, Format::Yaml);
        before.holds(&reparsed, &[], &Config::default()).then(|| before.site.key.clone())
    }

    #[test]
    fn only_edits_inside_prose_values_keep_the_findings() {
        let old = "info:\n  title: Pets\n  description: The pets API\npaths: {}\n";
        assert_eq!(site(old, &old.replace("The pets", "The petx")).as_deref(), Some("description"));
        assert_eq!(site(old, &old.replace("API\n", "APIs\n")).as_deref(), Some("description"));
        assert_eq!(site(old, &old.replace("Pets", "Pet")).as_deref(), Some("title"));
        // A key, a comment, a structural character, a number.
        assert_eq!(site(old, &old.replace("title:", "titles:")), None);
        assert_eq!(site(old, &old.replace("pets API", "pets #API")), None);
        assert_eq!(site(old, &old.replace("pets API", "pets: API")), None);
        assert_eq!(site(old, &old.replace("paths: {}", "paths: {x: 1}")), None);
        assert_eq!(site("a:\n  description: 12\n", "a:\n  description: 123\n"), None);
        // A prose key whose value is not a string: a property named `description`.
        assert_eq!(site("p:\n  description:\n    type: string\n", "p:\n  description:\n    type: strings\n"), None);
        // JSON strings.
        let json = "{\"info\": {\"title\": \"Pets\", \"description\": \"The pets\"}}";
        let parsed = parse(json, Format::Json);
        let new = json.replace("The pets", "The pests");
        let before = Before::read(&parsed, json, &new).unwrap();
        assert!(before.holds(&parse(&new, Format::Json), &[], &Config::default()));
        let broken = json.replace("The pets", "The \"pets");
        assert!(!Before::read(&parsed, json, &broken).unwrap().holds(&parse(&broken, Format::Json), &[], &Config::default()));
    }
}
