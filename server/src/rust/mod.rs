//! Rust backend source: parsed with tree-sitter-rust and checked by the Rust rules. A rule's
//! pattern is a tree-sitter query (`queries/rust/`, see [`queries`]); what a query cannot
//! say (inside async code, inside a test, in `main`) is decided by the helpers here.

pub mod facts;
pub mod incremental;
pub mod queries;
pub mod routes;
pub mod summary;
pub mod user_queries;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

use tree_sitter::{Node, Parser, QueryCursor, StreamingIterator, Tree};

use crate::analysis::suppression::parse_allow;
use crate::analysis::{Diagnostic, FileReport, Fix, Report, Sink};
use crate::config::Config;
use crate::line_index::{ColumnUnit, LineIndex};
use crate::openapi::edit::TextEdit;
use crate::openapi::pointer::JsonPointer;
use crate::rules::RuleMeta;

/// What kind of code a file holds, from where it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Server code.
    Source,
    /// Under `tests/`, `benches/` or `examples/`.
    Test,
    /// `build.rs`.
    BuildScript,
}

/// The folders whose files are tests unless `[rust] test-folders` says otherwise.
pub const DEFAULT_TEST_FOLDERS: [&str; 3] = ["tests", "benches", "examples"];

impl FileKind {
    pub fn of(path: &Path) -> FileKind {
        FileKind::with_test_folders(path, &DEFAULT_TEST_FOLDERS)
    }

    /// The kind of a file when `test_folders` hold tests.
    pub fn with_test_folders(path: &Path, test_folders: &[&str]) -> FileKind {
        if path.file_name().is_some_and(|name| name == "build.rs") {
            return FileKind::BuildScript;
        }
        let in_folder =
            |folder: &&str| path.parent().is_some_and(|parent| parent.components().any(|component| component.as_os_str() == *folder));
        if test_folders.iter().any(in_folder) { FileKind::Test } else { FileKind::Source }
    }
}

/// Whether a path is Rust source.
pub fn is_rust_file(path: &Path) -> bool {
    path.extension().is_some_and(|extension| extension == "rs")
}

pub fn parse(text: &str) -> Option<Tree> {
    let mut parser = Parser::new();
    parser.set_language(&tree_sitter_rust::LANGUAGE.into()).ok()?;
    parser.parse(text, None)
}

/// One parsed Rust file, as the rules see it.
pub struct RustFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub tree: &'a Tree,
    pub kind: FileKind,
    /// What the other files of the crate say.
    crate_facts: &'a facts::CrateFacts,
    /// What this file says to its crate.
    own_facts: std::cell::OnceCell<facts::FileFacts>,
    /// `[[layers]]` of the configuration (empty: the default layering).
    pub layers: Vec<crate::config::Layer>,
    /// The bytes whose matches the rules see: the whole file, or the items re-checked after
    /// an edit.
    scope: std::ops::Range<usize>,
    /// The matches of every rule's query, from one walk of the tree.
    matched: std::cell::OnceCell<Vec<(&'static str, Match<'a>)>>,
    /// Its functions and modules, in text order, from one walk of the tree: the context
    /// of a node is read here rather than by climbing the tree, which tree-sitter does from
    /// the root each step.
    items: std::cell::OnceCell<Vec<Item<'a>>>,
    handlers: std::cell::RefCell<std::collections::HashMap<usize, bool>>,
    /// The routing of the whole file as it is now (see [`RustFile::routes`]).
    routes: std::cell::OnceCell<(routes::RouteTable, Vec<std::path::PathBuf>)>,
}

/// A function or module, with the attributes written above it.
struct Item<'a> {
    node: Node<'a>,
    function: bool,
    name: Option<&'a str>,
    attributes: Vec<&'a str>,
    /// A `#[test]`-like function or a `#[cfg(test)]` module.
    test: bool,
}

/// The captures of one match of a rule's query.
pub struct Match<'t> {
    captures: Vec<(&'static str, Node<'t>)>,
}

impl<'t> Match<'t> {
    pub fn get(&self, name: &str) -> Option<Node<'t>> {
        self.captures.iter().find(|(capture, _)| *capture == name).map(|(_, node)| *node)
    }
}

impl<'a> RustFile<'a> {
    pub fn new(path: &'a Path, text: &'a str, tree: &'a Tree) -> Self {
        static ALONE: std::sync::LazyLock<facts::CrateFacts> = std::sync::LazyLock::new(facts::CrateFacts::default);
        Self::in_crate(path, text, tree, &ALONE)
    }

    /// A file of a crate whose other files say `crate_facts`.
    pub fn in_crate(path: &'a Path, text: &'a str, tree: &'a Tree, crate_facts: &'a facts::CrateFacts) -> Self {
        RustFile {
            path,
            text,
            tree,
            kind: FileKind::of(path),
            crate_facts,
            own_facts: std::cell::OnceCell::new(),
            layers: Vec::new(),
            scope: 0..text.len(),
            matched: std::cell::OnceCell::new(),
            items: std::cell::OnceCell::new(),
            handlers: std::cell::RefCell::default(),
            routes: std::cell::OnceCell::new(),
        }
    }

    /// The matches of the query of rule `code` (text predicates such as `#match?` applied),
    /// except in half-typed code (a syntax error inside the match). The queries of all rules
    /// run together, once per file.
    pub fn matches(&self, code: &str) -> Vec<&Match<'a>> {
        let matched = self.matched.get_or_init(|| {
            let Some(combined) = queries::combined() else { return Vec::new() };
            let names = combined.query.capture_names();
            let mut cursor = QueryCursor::new();
            cursor.set_byte_range(self.scope.clone());
            let mut found = Vec::new();
            let mut matches = cursor.matches(&combined.query, self.tree.root_node(), self.text.as_bytes());
            while let Some(matched) = matches.next() {
                if matched.captures().iter().any(|capture| capture.node.has_error() || !self.in_scope(capture.node)) {
                    continue;
                }
                let captures = matched.captures().iter().map(|capture| (names[capture.index as usize], capture.node)).collect();
                found.push((combined.codes[matched.pattern_index], Match { captures }));
            }
            found
        });
        matched.iter().filter(|(rule, _)| *rule == code).map(|(_, found)| found).collect()
    }

    /// Limits the matches the rules see to the items within `scope`, with what the whole
    /// file says to its crate already known.
    pub fn scoped(mut self, scope: std::ops::Range<usize>, own_facts: facts::FileFacts) -> Self {
        self.scope = scope;
        self.own_facts = std::cell::OnceCell::from(own_facts);
        self
    }

    fn in_scope(&self, node: Node<'_>) -> bool {
        self.scope.start <= node.start_byte() && node.end_byte() <= self.scope.end
    }

    /// Whether the file's text holds `word` anywhere. Rules read the file beyond the item they
    /// report on only through this (with a word of [`FILE_WORDS`]) and through its `use`
    /// declarations and inner attributes, so that an edit elsewhere can keep their findings.
    pub fn mentions(&self, word: &str) -> bool {
        debug_assert!(FILE_WORDS.contains(&word), "`{word}` is not in FILE_WORDS");
        self.text.contains(word)
    }

    pub fn text_of(&self, node: Node<'_>) -> &'a str {
        &self.text[node.byte_range()]
    }

    fn items(&self) -> &[Item<'a>] {
        self.items.get_or_init(|| {
            let mut items = Vec::new();
            let mut stack = vec![top_level(self.tree, self.scope.clone())];
            let mut cursor = self.tree.walk();
            while let Some(children) = stack.pop() {
                let mut attributes: Vec<&'a str> = Vec::new();
                for child in children {
                    if child.end_byte() < self.scope.start || child.start_byte() > self.scope.end {
                        continue;
                    }
                    match child.kind() {
                        "attribute_item" => attributes.push(&self.text[child.byte_range()]),
                        "line_comment" | "block_comment" => {}
                        kind => {
                            let taken = std::mem::take(&mut attributes);
                            if matches!(kind, "function_item" | "mod_item") {
                                let function = kind == "function_item";
                                let test = taken.iter().any(|attribute| {
                                    if function { is_test_attribute(attribute) } else { attribute.replace(' ', "").contains("cfg(test)") }
                                });
                                let name = child.child_by_field_name("name").map(|name| &self.text[name.byte_range()]);
                                items.push(Item { node: child, function, name, attributes: taken, test });
                            }
                        }
                    }
                    if child.child_count() > 0 {
                        stack.push(child.children(&mut cursor).collect());
                    }
                }
            }
            items.sort_by_key(|item| item.node.start_byte());
            items
        })
    }

    /// The functions and modules that hold `node`, outermost first.
    fn holders(&self, node: Node<'_>) -> impl Iterator<Item = &Item<'a>> {
        let (start, end) = (node.start_byte(), node.end_byte());
        let items = self.items();
        let before = items.partition_point(|item| item.node.start_byte() <= start);
        items[..before].iter().filter(move |item| item.node.end_byte() >= end)
    }

    /// Whether `node` is test code: in a test file, a `#[cfg(test)]` module or a `#[test]`
    /// function (`#[tokio::test]` and the like included).
    pub fn is_test(&self, node: Node<'_>) -> bool {
        self.kind == FileKind::Test || self.holders(node).any(|item| item.test)
    }

    /// Whether `node` runs at start-up: inside `fn main`, or in a build script.
    pub fn is_start_up(&self, node: Node<'_>) -> bool {
        self.kind == FileKind::BuildScript || self.holders(node).any(|item| item.function && item.name == Some("main"))
    }

    /// Whether `node` runs on an async executor: in an async fn or block, including sync
    /// closures inside them, but not in a closure given to `spawn_blocking` or
    /// `block_in_place`.
    pub fn is_async(&self, node: Node<'_>) -> bool {
        for ancestor in ancestors(node) {
            match ancestor.kind() {
                "async_block" => return true,
                "closure_expression" => {
                    let call = ancestor.parent().filter(|parent| parent.kind() == "arguments").and_then(|arguments| arguments.parent());
                    let callee = call.and_then(|call| call.child_by_field_name("function")).map(|function| self.text_of(function));
                    if callee.is_some_and(|callee| callee.ends_with("spawn_blocking") || callee.ends_with("block_in_place")) {
                        return false;
                    }
                }
                "function_item" => {
                    let mut cursor = ancestor.walk();
                    return ancestor.children(&mut cursor).any(|child| {
                        child.kind() == "function_modifiers" && self.text_of(child).split_whitespace().any(|word| word == "async")
                    });
                }
                _ => {}
            }
        }
        false
    }

    /// The outermost expression of the method chain `node` is part of
    /// (`Client::builder().timeout(..).build()` for `Client::builder()`).
    pub fn chain_root<'t>(&self, node: Node<'t>) -> Node<'t> {
        let mut outer = node;
        while let Some(parent) = outer.parent().filter(|parent| matches!(parent.kind(), "field_expression" | "call_expression")) {
            outer = parent;
        }
        outer
    }

    /// The function that holds `node` (itself, for a function).
    pub fn enclosing_fn(&self, node: Node<'_>) -> Option<Node<'a>> {
        self.holders(node).filter(|item| item.function).last().map(|item| item.node)
    }

    /// Whether a function is an HTTP handler:
    /// - it has a route attribute (actix-web and rocket: `#[get("/path")]`, `#[route(…)]`);
    /// - or it is an `async fn`, not a test and not `main`, that is registered as a route in
    ///   this file or another file of its crate (axum `get(handler)`, `.post(handler)`,
    ///   `on(filter, handler)`; actix `web::get().to(handler)`) or that takes an extractor (`Json`, `Path`, `Query`,
    ///   `State`, `Form`, `Extension`, `HeaderMap`, actix `web::Data`, `HttpRequest`…), which
    ///   is how handlers defined in one module and routed in another are recognised.
    pub fn is_handler(&self, function: Node<'_>) -> bool {
        if let Some(known) = self.handlers.borrow().get(&function.id()) {
            return *known;
        }
        let handler = self.decide_handler(function);
        self.handlers.borrow_mut().insert(function.id(), handler);
        handler
    }

    fn decide_handler(&self, function: Node<'_>) -> bool {
        if self.is_test(function) || self.name_of(function) == Some("main") {
            return false;
        }
        let routed = self.attributes(function).any(|attribute| {
            let inner = attribute.trim_start_matches("#[");
            let name = inner.split(['(', ']']).next().unwrap_or_default().rsplit("::").next().unwrap_or_default();
            ROUTE_ATTRIBUTES.contains(&name)
        });
        if routed {
            return true;
        }
        if !self.is_async(function) {
            return false;
        }
        self.is_routed(self.name_of(function).unwrap_or_default()) || self.takes_extractor(function)
    }

    fn takes_extractor(&self, function: Node<'_>) -> bool {
        let Some(parameters) = function.child_by_field_name("parameters") else { return false };
        let mut cursor = parameters.walk();
        parameters
            .named_children(&mut cursor)
            .filter_map(|parameter| parameter.child_by_field_name("type"))
            .any(|kind| is_extractor_type(self.text_of(kind)))
    }

    /// What this file says to its crate: the functions it routes, its tracing layers.
    pub fn own_facts(&self) -> &facts::FileFacts {
        self.own_facts.get_or_init(|| facts::FileFacts::of_tree(self.tree, self.text))
    }

    /// What the other files of the crate say, and the documents that describe its routes.
    pub fn crate_facts(&self) -> &facts::CrateFacts {
        self.crate_facts
    }

    /// The route table of the crate with this file as it is now, and the path of each file of
    /// the table.
    pub fn routes(&self) -> &(routes::RouteTable, Vec<std::path::PathBuf>) {
        self.routes.get_or_init(|| {
            let own = routes::RouteFacts::of_range(self.tree, self.text, 0..self.text.len());
            self.crate_facts.route_table(Some((self.path, &own)))
        })
    }

    /// Whether a range starts within the part of the file being checked.
    pub fn in_scope_span(&self, span: &std::ops::Range<usize>) -> bool {
        self.scope.contains(&span.start) || (span.start == self.scope.start)
    }

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

    /// Whether a function of this name is registered as a route, here or in another file of
    /// the crate.
    fn is_routed(&self, name: &str) -> bool {
        self.own_facts().routed.iter().any(|routed| routed == name) || self.crate_facts.routes(name)
    }

    /// Whether a tracing layer (`TraceLayer`, `TracingLogger`) wraps a router of the crate.
    pub fn is_traced(&self) -> bool {
        self.own_facts().traced || self.crate_facts.traced()
    }

    /// Whether `.await` may be written at `node`: its nearest enclosing function, closure or
    /// block of its own is async.
    pub fn can_await(&self, node: Node<'_>) -> bool {
        for ancestor in ancestors(node) {
            match ancestor.kind() {
                "async_block" => return true,
                "closure_expression" => return false,
                "function_item" => return self.is_async(ancestor),
                _ => {}
            }
        }
        false
    }

    /// The attributes written above a function or module, as text.
    pub fn attributes(&self, item: Node<'_>) -> impl Iterator<Item = &'a str> {
        let found = self.items().iter().find(|known| known.node.id() == item.id());
        found.into_iter().flat_map(|known| known.attributes.iter().copied())
    }

    /// The module that holds `node`: the file's module (`src/domain/order.rs` is
    /// `crate::domain::order`) and the inline `mod` items around it. `None` outside a `src/`
    /// folder.
    pub fn module_of(&self, node: Node<'_>) -> Option<Vec<String>> {
        let components: Vec<String> =
            self.path.components().map(|component| component.as_os_str().to_string_lossy().into_owned()).collect();
        let source = components.iter().rposition(|component| component == "src")?;
        let mut module = vec!["crate".to_owned()];
        for (index, component) in components[source + 1..].iter().enumerate() {
            let last = source + 1 + index == components.len() - 1;
            let name = if last { component.strip_suffix(".rs").unwrap_or(component) } else { component.as_str() };
            if !(last && matches!(name, "mod" | "lib" | "main")) {
                module.push(name.to_owned());
            }
        }
        module.extend(self.holders(node).filter(|item| !item.function).filter_map(|item| item.name.map(str::to_owned)));
        Some(module)
    }

    fn name_of(&self, item: Node<'_>) -> Option<&'a str> {
        item.child_by_field_name("name").map(|name| self.text_of(name))
    }

    /// Where a finding sits, by the items around it (`mod routes`, `impl Service`,
    /// `fn create`): stable when code moves within a file, for baselines.
    pub fn pointer(&self, node: Node<'_>) -> JsonPointer {
        let mut names: Vec<String> = ancestors(node)
            .filter_map(|item| match item.kind() {
                "function_item" => Some(format!("fn {}", self.name_of(item)?)),
                "mod_item" => Some(format!("mod {}", self.name_of(item)?)),
                "trait_item" => Some(format!("trait {}", self.name_of(item)?)),
                "impl_item" => Some(format!("impl {}", self.text_of(item.child_by_field_name("type")?))),
                _ => None,
            })
            .collect();
        names.reverse();
        names.iter().fold(JsonPointer::root(), |pointer, name| pointer.child(name))
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

/// The statement keyword (in capitals) of each string literal in `text` that starts an SQL
/// statement: `SELECT`, `INSERT`, `UPDATE`, `DELETE` or `WITH`.
pub fn sql_statements(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split('"')
        .skip(1)
        .step_by(2)
        .map(|literal| literal.split_whitespace().next().unwrap_or_default().to_ascii_uppercase())
        .filter(|keyword| matches!(keyword.as_str(), "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "WITH"))
}

/// `#[test]`, `#[tokio::test]`, `#[sqlx::test]`, `#[test_case(…)]`…
pub(crate) fn is_test_attribute(attribute: &str) -> bool {
    let inner = attribute.trim_start_matches("#[").trim_end_matches(']');
    inner == "test" || inner.ends_with("::test") || inner.contains("::test(") || inner.starts_with("test_case")
}

/// The words rules may look for anywhere in a file ([`RustFile::mentions`]).
pub const FILE_WORDS: [&str; 10] =
    ["redis", ".timeout(", "crossbeam", "flume", "async_channel", "PgPool", "PgConnection", "Postgres", "MySql", "Sqlite"];

/// Route attributes of actix-web and rocket.
pub(crate) const ROUTE_ATTRIBUTES: [&str; 9] = ["get", "post", "put", "delete", "patch", "head", "options", "route", "trace"];

/// Whether a parameter of this type is a web framework extractor. Extractors are owned
/// framework types: `&Path` and `std::path::Path` are not.
pub(crate) fn is_extractor_type(text: &str) -> bool {
    if text.starts_with('&') || text.starts_with("std::") {
        return false;
    }
    let outer = text.split('<').next().unwrap_or(text).trim();
    EXTRACTORS.contains(&outer.rsplit("::").next().unwrap_or(outer))
}

/// Parameter types that only handlers take.
const EXTRACTORS: [&str; 17] = [
    "Json",
    "Path",
    "Query",
    "State",
    "Form",
    "Extension",
    "HeaderMap",
    "TypedHeader",
    "ConnectInfo",
    "Multipart",
    "OriginalUri",
    "RawQuery",
    "Data",
    "HttpRequest",
    "Payload",
    "WebSocketUpgrade",
    "Request",
];

/// A node and everything under it, in text order.
pub fn descendants(node: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    let mut cursor = node.walk();
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let current = cursor.node();
        if cursor.goto_first_child() {
            return Some(current);
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() || cursor.node().id() == node.id() {
                done = true;
                return Some(current);
            }
        }
        Some(current)
    })
}

/// The top-level nodes of a tree that overlap `range`, found without a walk over the others.
pub fn top_level(tree: &Tree, range: std::ops::Range<usize>) -> Vec<Node<'_>> {
    let mut cursor = tree.walk();
    let mut found = Vec::new();
    if cursor.goto_first_child_for_byte(range.start).is_some() {
        loop {
            let node = cursor.node();
            if node.start_byte() > range.end {
                break;
            }
            found.push(node);
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }
    found
}

/// The node and its ancestors, innermost first.
fn ancestors(node: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    std::iter::successors(Some(node), |node| node.parent())
}

/// Checks one Rust file with every enabled Rust rule.
pub fn check_file(path: &Path, text: Arc<str>, config: &Config, crate_facts: &facts::CrateFacts) -> Report {
    check_file_after(path, text, config, crate_facts, None).0
}

/// Checks one Rust file, starting from the state its last check left (see [`incremental`]),
/// and returns the state for the next.
pub fn check_file_after(
    path: &Path,
    text: Arc<str>,
    config: &Config,
    crate_facts: &facts::CrateFacts,
    previous: Option<incremental::RustState>,
) -> (Report, Option<incremental::RustState>) {
    let config = config.for_file(path);
    let started = std::time::Instant::now();
    let Some(checked) = incremental::check(path, &text, &config, crate_facts, previous) else {
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

/// The findings of every enabled rule (built-in and the user's) in the items within `scope`.
pub(crate) fn run_rules(
    path: &Path,
    text: &str,
    tree: &Tree,
    config: &Config,
    crate_facts: &facts::CrateFacts,
    scope: std::ops::Range<usize>,
    own_facts: facts::FileFacts,
) -> Vec<(&'static RuleMeta, crate::analysis::Finding)> {
    let mut file = RustFile::in_crate(path, text, tree, crate_facts).scoped(scope, own_facts);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_file_is_embedded_and_compiles() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../queries/rust");
        let mut files: Vec<String> = std::fs::read_dir(&folder)
            .expect("queries/rust exists")
            .flatten()
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".scm"))
            .collect();
        files.sort();
        let embedded: Vec<&str> = queries::SOURCES.iter().map(|(name, _)| *name).collect();
        assert_eq!(files, embedded, "queries::SOURCES must list queries/rust exactly, in order");
        for (name, source) in queries::SOURCES {
            queries::compile(source).unwrap_or_else(|error| panic!("{name}: {error}"));
            let code = name.split('_').next().unwrap();
            let rule = crate::rules::find_rule(code).unwrap_or_else(|| panic!("{name}: no rule {code}"));
            assert_eq!(format!("{}_{}.scm", rule.code, rule.name), *name, "a query file is named after its rule");
            assert!(queries::has(code), "{name}: no pattern of the combined query comes from it");
        }
    }

    #[test]
    fn contexts() {
        let text = "fn main() { println!(\"a\"); }\nasync fn h() { let x = || 1; tokio::task::spawn_blocking(|| std::thread::sleep(d)); }\n#[cfg(test)]\nmod tests {\n    #[tokio::test]\n    async fn t() {}\n}\n";
        let tree = parse(text).unwrap();
        let file = RustFile::new(Path::new("src/main.rs"), text, &tree);
        let at = |needle: &str| tree.root_node().descendant_for_byte_range(text.find(needle).unwrap(), text.find(needle).unwrap()).unwrap();
        assert!(file.is_start_up(at("println")));
        assert!(!file.is_start_up(at("let x")));
        assert!(file.is_async(at("let x")));
        assert!(file.is_async(at("1;")));
        assert!(!file.is_async(at("std::thread")));
        assert!(!file.is_async(at("println")));
        assert!(file.is_test(at("async fn t")));
        assert!(!file.is_test(at("let x")));
        assert_eq!(file.pointer(at("let x")).to_string(), "/fn h");
        assert_eq!(FileKind::of(Path::new("/w/tests/api.rs")), FileKind::Test);
        assert!(!file.is_handler(file.enclosing_fn(at("let x")).unwrap()), "async, but neither routed nor taking an extractor");
    }

    #[test]
    fn handlers_are_routed_attributed_or_take_extractors() {
        let text = "async fn routed() {}
async fn extracting(Json(body): Json<Value>) {}
async fn helper(path: &Path) {}
async fn loader(path: &std::path::Path, file: std::path::PathBuf) {}
fn sync_routed() {}
#[get(\"/x\")]
fn attributed() {}
fn router() -> Router { Router::new().route(\"/a\", get(routed).post(handlers::sync_routed)) }
";
        let tree = parse(text).unwrap();
        let file = RustFile::new(Path::new("src/routes.rs"), text, &tree);
        let function = |name: &str| {
            let at = text.find(&format!("fn {name}")).unwrap();
            file.enclosing_fn(tree.root_node().descendant_for_byte_range(at, at).unwrap()).unwrap()
        };
        assert!(file.is_handler(function("routed")));
        assert!(file.is_handler(function("extracting")));
        assert!(file.is_handler(function("attributed")));
        assert!(!file.is_handler(function("helper")), "`&Path` is std's path, not an extractor");
        assert!(!file.is_handler(function("loader")));
        assert!(!file.is_handler(function("sync_routed")), "axum handlers are async");
        assert!(!file.is_handler(function("router")));
        assert_eq!(FileKind::of(Path::new("/w/build.rs")), FileKind::BuildScript);
    }
}
