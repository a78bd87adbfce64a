//! Runs the rules over Rust files: the built-in rules and the user's own query rules, on
//! the whole file or (after an edit, see [`incremental`]) on the items the edit touched,
//! then applies `// archlens: allow(…)` comments, configured severities and suppression
//! fixes, and returns a `Report` like a document's.

pub mod incremental;
pub mod user_queries;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

use tree_sitter::{Node, QueryCursor, StreamingIterator, Tree};

use crate::analysis::suppression::parse_allow;
use crate::analysis::{Diagnostic, FileReport, Fix, Report, Sink};
use crate::config::Config;
use crate::line_index::{ColumnUnit, LineIndex};
use crate::openapi::edit::TextEdit;
use crate::project::ProjectModel;
use crate::rules::RuleMeta;
use crate::rust::{FileKind, RustFile, ancestors, facts};

/// The rules' ways to report on a Rust file.
impl RustFile<'_> {
    /// Reports on a range of the file.
    pub fn report_span<'s>(
        &self,
        sink: &'s mut Sink,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> &'s mut crate::analysis::Finding {
        let pointer =
            self.tree.root_node().descendant_for_byte_range(span.start, span.end).map(|node| self.pointer(node)).unwrap_or_default();
        sink.span(0, span, pointer, message)
    }

    /// Reports from `from` to the end of `call`: a method's name and its arguments
    /// (`unwrap()`, `danger_accept_invalid_certs(true)`), not the whole chain before it.
    pub fn report_from<'s>(
        &self,
        sink: &'s mut Sink,
        from: Node<'_>,
        call: Node<'_>,
        message: impl Into<String>,
    ) -> &'s mut crate::analysis::Finding {
        sink.span(0, from.start_byte()..call.end_byte(), self.pointer(call), message)
    }

    /// Reports on a node.
    pub fn report<'s>(&self, sink: &'s mut Sink, node: Node<'_>, message: impl Into<String>) -> &'s mut crate::analysis::Finding {
        sink.span(0, node.byte_range(), self.pointer(node), message)
    }
}

/// Checks one Rust file with every enabled Rust rule.
pub fn check_file(path: &Path, text: Arc<str>, config: &Config, crate_facts: &facts::CrateFacts) -> Report {
    let model = Arc::new(ProjectModel::empty());
    let crate_facts = Arc::new(crate_facts.clone());
    check_file_parsed(path, text, config, &|_| (model.clone(), crate_facts.clone()), None, None).0
}

/// Checks one Rust file, starting from the state its last check left (see [`incremental`])
/// or from its tree when it was parsed already (for the project model, in `check`), in the
/// surroundings that what it says gives it; returns the state for the next check.
pub fn check_file_parsed(
    path: &Path,
    text: Arc<str>,
    config: &Config,
    surroundings: incremental::Surroundings<'_>,
    previous: Option<incremental::RustState>,
    parsed: Option<(Tree, Arc<facts::FileFacts>)>,
) -> (Report, Option<incremental::RustState>) {
    let config = config.for_file(path);
    let started = std::time::Instant::now();
    let Some(checked) = incremental::check(path, &text, &config, surroundings, previous, parsed) else {
        return (Report { files: vec![FileReport { path: path.to_path_buf(), text, diagnostics: Vec::new() }] }, None);
    };
    let rules_done = started.elapsed();
    let index = LineIndex::new(&text);
    let allowed = allow_comments(&checked.tree, &text, &index);
    let mut diagnostics = Vec::new();
    for (meta, finding) in checked.findings {
        let line = index.position(&text, finding.span.start, ColumnUnit::Utf8).line as usize;
        if is_allowed(&allowed, &checked.tree, finding.span.start, line, meta) {
            continue;
        }
        diagnostics.push(Diagnostic {
            rule: meta,
            severity: config.severity_of(meta, finding.severity),
            path: path.to_path_buf(),
            suppression: Some(suppression_fix(&text, &index, line, meta)),
            span: finding.span,
            pointer: finding.pointer,
            message: finding.message,
            fixes: finding.fixes,
            related: finding
                .related
                .into_iter()
                .map(|(_, span, message)| crate::analysis::Related { path: path.to_path_buf(), text: text.clone(), span, message })
                .chain(finding.elsewhere)
                .collect(),
        });
    }
    diagnostics.sort_by(|left, right| {
        (left.span.start, left.rule.code, left.span.end, &left.message).cmp(&(
            right.span.start,
            right.rule.code,
            right.span.end,
            &right.message,
        ))
    });
    tracing::debug!(path = %path.display(), rechecked = ?checked.rechecked, rules = ?rules_done, total = ?started.elapsed(), "Rust file checked (units checked again, of all)");
    (Report { files: vec![FileReport { path: path.to_path_buf(), text: text.clone(), diagnostics }] }, Some(checked.state))
}

/// What a Rust file is checked in: what the other files of its crate say, and the project
/// model.
#[derive(Clone, Copy)]
pub struct Around<'a> {
    pub crate_facts: &'a facts::CrateFacts,
    pub model: &'a ProjectModel,
    /// What the whole file says to its project now.
    pub summary: &'a Arc<crate::rust::summary::FileSummary>,
}

/// The findings of every enabled rule (built-in and the user's) in the items within `scope`.
pub(crate) fn run_rules(
    path: &Path,
    text: &str,
    tree: &Tree,
    config: &Config,
    around: Around<'_>,
    scope: std::ops::Range<usize>,
    own_facts: facts::FileFacts,
) -> Vec<(&'static RuleMeta, crate::analysis::Finding)> {
    let mut file = RustFile::in_crate(path, text, tree, around.crate_facts, around.model).scoped(scope, own_facts, around.summary.clone());
    file.kind = FileKind::with_test_folders(path, &config.test_folders());
    file.layers = config.layers.clone();
    let mut findings: Vec<(&'static RuleMeta, crate::analysis::Finding)> = Vec::new();
    for rule in crate::rules::registry().iter().filter(|rule| {
        matches!(rule.meta().input, crate::rules::Input::Rust | crate::rules::Input::Service) && config.is_enabled(rule.meta())
    }) {
        let meta = rule.meta();
        let mut sink = Sink::default();
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| rule.check_rust(&file, &mut sink))) {
            let reason = crate::analysis::panic_reason(panic.as_ref());
            tracing::error!(rule = meta.code, path = %path.display(), %reason, "rule panicked; its findings are dropped");
            continue;
        }
        findings.extend(sink.into_findings().into_iter().map(|finding| (meta, finding)));
    }
    if let Some(folder) = &config.rust_queries {
        for rule in user_queries::load(folder).iter().filter(|rule| config.is_enabled(rule.meta)) {
            let mut sink = Sink::default();
            run_user_rule(&file, rule, &mut sink);
            findings.extend(sink.into_findings().into_iter().map(|finding| (rule.meta, finding)));
        }
    }
    findings
}

/// Runs one of the user's query rules: a finding on each `@match` capture (or first
/// capture), outside tests and half-typed code.
fn run_user_rule(file: &RustFile<'_>, rule: &user_queries::UserRule, sink: &mut Sink) {
    let names = rule.query.capture_names();
    let mut cursor = QueryCursor::new();
    cursor.set_byte_range(file.scope.clone());
    let mut matches = cursor.matches(&rule.query, file.tree.root_node(), file.text.as_bytes());
    while let Some(matched) = matches.next() {
        let captures = matched.captures();
        if captures.iter().any(|capture| !file.in_scope(capture.node)) {
            continue;
        }
        let Some(node) =
            captures.iter().find(|capture| names[capture.index as usize] == "match").or(captures.first()).map(|capture| capture.node)
        else {
            continue;
        };
        if node.has_error() || file.is_test(node) {
            continue;
        }
        file.report(sink, node, rule.message.clone());
    }
}

/// The `// archlens: allow(…)` comments of a file: their line and codes.
fn allow_comments(tree: &Tree, text: &str, index: &LineIndex) -> Vec<(usize, Vec<String>)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("archlens:").map(|at| at + from) {
        from = at + 1;
        let Some(node) = tree.root_node().descendant_for_byte_range(at, at) else { continue };
        let Some(comment) = ancestors(node).find(|node| node.kind() == "line_comment") else { continue };
        if let Some(codes) = parse_allow(&text[comment.byte_range()]) {
            found.push((index.position(text, comment.start_byte(), ColumnUnit::Utf8).line as usize, codes));
        }
        from = from.max(comment.end_byte());
    }
    found
}

/// Whether an allow comment for `meta` sits on the finding's line, on the line above it, or
/// above an item that holds it (with its attributes between).
fn is_allowed(allowed: &[(usize, Vec<String>)], tree: &Tree, offset: usize, line: usize, meta: &RuleMeta) -> bool {
    let names = |codes: &Vec<String>| codes.iter().any(|code| meta.is_named(code));
    if !allowed.iter().any(|(_, codes)| names(codes)) {
        return false;
    }
    if allowed.iter().any(|(at, codes)| (*at == line || *at + 1 == line) && names(codes)) {
        return true;
    }
    let Some(node) = tree.root_node().descendant_for_byte_range(offset, offset) else { return false };
    ancestors(node).filter(|item| item.kind().ends_with("_item")).any(|item| {
        let first = std::iter::successors(item.prev_sibling(), |node| node.prev_sibling())
            .take_while(|node| matches!(node.kind(), "attribute_item" | "line_comment"))
            .last()
            .unwrap_or(item);
        let start_line = first.start_position().row;
        allowed.iter().any(|(at, codes)| *at + 1 >= start_line && *at <= item.start_position().row && names(codes))
    })
}

/// `// archlens: allow(CODE)` on its own line above the finding's line, indented like it.
fn suppression_fix(text: &str, index: &LineIndex, line: usize, meta: &RuleMeta) -> Fix {
    let range = index.line_range(text, line);
    let indent: String = text[range.clone()].chars().take_while(|character| *character == ' ' || *character == '\t').collect();
    let newline = if text[range.end..].starts_with("\r\n") { "\r\n" } else { "\n" };
    Fix::new(
        format!("Allow {} ({}) here", meta.code, meta.name),
        vec![TextEdit::insert(range.start, format!("{indent}// archlens: allow({}){newline}", meta.code))],
    )
}
