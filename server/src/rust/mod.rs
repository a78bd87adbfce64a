//! Rust backend source: parsed with tree-sitter-rust and checked by the Rust rules. A rule's
//! pattern is a tree-sitter query (`queries/rust/`, see [`queries`]); what a query cannot
//! say (inside async code, inside a test, in `main`) is decided by the helpers here.

pub mod facts;
pub mod queries;
pub mod routes;
pub mod summary;

use std::path::Path;

use tree_sitter::{Node, Parser, QueryCursor, StreamingIterator, Tree};

use crate::openapi::pointer::JsonPointer;

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
    /// The project around the file.
    pub model: &'a crate::project::ProjectModel,
    /// What this file says to its crate.
    own_facts: std::cell::OnceCell<facts::FileFacts>,
    /// `[[layers]]` of the configuration (empty: the default layering).
    pub layers: Vec<crate::config::Layer>,
    /// The bytes whose matches the rules see: the whole file, or the items re-checked after
    /// an edit.
    pub(crate) scope: std::ops::Range<usize>,
    /// The matches of every rule's query, from one walk of the tree.
    matched: std::cell::OnceCell<Vec<(&'static str, Match<'a>)>>,
    /// Its functions and modules, in text order, from one walk of the tree: the context
    /// of a node is read here rather than by climbing the tree, which tree-sitter does from
    /// the root each step.
    items: std::cell::OnceCell<Vec<Item<'a>>>,
    handlers: std::cell::RefCell<std::collections::HashMap<usize, bool>>,
    /// What the file says to its project: the model's when it read this very text, else read
    /// from its tree when first asked.
    summary: std::cell::OnceCell<std::sync::Arc<summary::FileSummary>>,
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
        static NO_PROJECT: std::sync::LazyLock<crate::project::ProjectModel> =
            std::sync::LazyLock::new(crate::project::ProjectModel::empty);
        Self::in_crate(path, text, tree, &ALONE, &NO_PROJECT)
    }

    /// A file of a crate whose other files say `crate_facts`, in the project `model`.
    pub fn in_crate(
        path: &'a Path,
        text: &'a str,
        tree: &'a Tree,
        crate_facts: &'a facts::CrateFacts,
        model: &'a crate::project::ProjectModel,
    ) -> Self {
        RustFile {
            path,
            text,
            tree,
            kind: FileKind::of(path),
            crate_facts,
            model,
            own_facts: std::cell::OnceCell::new(),
            layers: Vec::new(),
            scope: 0..text.len(),
            matched: std::cell::OnceCell::new(),
            items: std::cell::OnceCell::new(),
            handlers: std::cell::RefCell::default(),
            summary: std::cell::OnceCell::new(),
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
    pub fn scoped(
        mut self,
        scope: std::ops::Range<usize>,
        own_facts: facts::FileFacts,
        summary: std::sync::Arc<summary::FileSummary>,
    ) -> Self {
        self.summary = std::cell::OnceCell::from(summary);
        self.scope = scope;
        self.own_facts = std::cell::OnceCell::from(own_facts);
        self
    }

    pub(crate) fn in_scope(&self, node: Node<'_>) -> bool {
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
    /// function (`#[tokio::test]` and the like included), or a file the project model takes
    /// for tests (a `#[cfg(test)] mod tests;` file, a crate's `tests/`, a test-support
    /// crate).
    pub fn is_test(&self, node: Node<'_>) -> bool {
        self.kind == FileKind::Test || self.code_kind().test || self.holders(node).any(|item| item.test)
    }

    /// Whether `node` runs at start-up: inside `fn main`, a function that only start-up code
    /// calls (the project model follows the calls from `main`), or a build script.
    pub fn is_start_up(&self, node: Node<'_>) -> bool {
        if self.kind == FileKind::BuildScript || self.code_kind().build_script {
            return true;
        }
        if self.holders(node).any(|item| item.function && item.name == Some("main")) {
            return true;
        }
        self.enclosing_fn(node)
            .and_then(|function| self.function_id(function))
            .is_some_and(|function| self.model.calls.is_start_up(function))
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
                    if callee.is_some_and(summary::is_blocking_pool) {
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

    /// What the file says to its project: its imports, functions and calls.
    pub fn summary(&self) -> &summary::FileSummary {
        self.summary.get_or_init(|| match self.model.file(self.path).filter(|file| &*file.text == self.text) {
            Some(file) => file.summary.clone(),
            None => std::sync::Arc::new(summary::FileSummary::of_tree(self.tree, self.text)),
        })
    }

    /// A path as the file's imports make it: `fs::read` is `std::fs::read` after `use
    /// std::fs;` and `tokio::fs::read` after `use tokio::fs;`; `verify` is `bcrypt::verify`
    /// after `use bcrypt::verify;`. Paths the imports do not touch are returned as written.
    pub fn canonical_path(&self, written: &str, at: Node<'_>) -> Vec<String> {
        let segments = summary::path_segments(written);
        let Some((first, rest)) = segments.split_first() else { return segments };
        let module: Vec<String> = self.holders(at).filter(|item| !item.function).filter_map(|item| item.name.map(str::to_owned)).collect();
        match self.summary().import(first, &module) {
            Some(import) => import.path.iter().cloned().chain(rest.iter().cloned()).collect(),
            None => segments,
        }
    }

    /// Whether the file belongs to a Cargo package the project model knows: what the model
    /// says of packages, binaries and logging applies to it.
    pub fn in_project(&self) -> bool {
        self.model.file(self.path).is_some_and(|file| file.package.is_some())
    }

    /// How the project logs; for a file outside any project, what the file itself uses
    /// (`tracing` unless it logs through `log` only).
    pub fn observability(&self) -> crate::project::Observability {
        if self.in_project() {
            return self.model.observability();
        }
        let signs = &self.summary().signs;
        crate::project::Observability {
            tracing_subscriber: signs.uses_tracing || signs.tracing_subscriber || !signs.uses_log,
            logger: signs.logger,
        }
    }

    /// What kind of code the file is (server, command-line tool, test…), from the project
    /// model; a file outside any package is judged by its path and `[rust] test-folders`.
    pub fn code_kind(&self) -> crate::project::CodeKind {
        match self.model.file(self.path).filter(|file| file.package.is_some()) {
            Some(file) => file.kind,
            None => crate::project::CodeKind {
                test: self.kind == FileKind::Test,
                build_script: self.kind == FileKind::BuildScript,
                server: true,
                ..Default::default()
            },
        }
    }

    /// Whether `node` is code that serves requests: it runs in a server or a service, and,
    /// where a command-line tool runs the same code, a handler reaches it (the rest is the
    /// tool's, whose output is what its user asked for).
    pub fn in_service(&self, node: Node<'_>) -> bool {
        let kind = self.code_kind();
        if !kind.is_service_code() || self.is_test(node) {
            return false;
        }
        if !kind.command_line {
            return true;
        }
        let function = self.enclosing_fn(node);
        function.is_some_and(|function| self.is_handler(function))
            || function.and_then(|function| self.function_id(function)).and_then(|id| self.model.calls.handler_reaching(id)).is_some()
    }

    /// The model's function for a function item of this file: the same name, `impl` type and
    /// inline modules, in the same order among its namesakes. `None` when the model does not
    /// know the file as it is now.
    pub fn function_id(&self, function: Node<'_>) -> Option<crate::project::FunctionId> {
        let file = self.model.file_index(self.path)?;
        let name = self.name_of(function)?;
        let owner = crate::rust::ancestors(function)
            .find(|ancestor| matches!(ancestor.kind(), "impl_item" | "trait_item"))
            .and_then(|item| item.child_by_field_name(if item.kind() == "impl_item" { "type" } else { "name" }))
            .map(|node| {
                let text = self.text_of(node);
                let plain = text.split('<').next().unwrap_or(text);
                plain.rsplit("::").next().unwrap_or(plain).trim().to_owned()
            });
        let module: Vec<String> =
            self.holders(function).filter(|item| !item.function).filter_map(|item| item.name.map(str::to_owned)).collect();
        let same = |item: &Item<'_>| {
            item.function && item.name == Some(name) && {
                let inner: Vec<String> =
                    self.holders(item.node).filter(|holder| !holder.function).filter_map(|holder| holder.name.map(str::to_owned)).collect();
                inner == module
            }
        };
        let ordinal = self.items().iter().filter(|item| item.node.start_byte() < function.start_byte() && same(item)).count();
        let summary = &self.model.files[file].summary;
        let index = summary
            .functions
            .iter()
            .enumerate()
            .filter(|(_, candidate)| candidate.name == name && candidate.owner == owner && candidate.module == module)
            .nth(ordinal)
            .map(|(index, _)| index)?;
        Some(crate::project::FunctionId { file, index })
    }

    /// Whether a function is an HTTP handler:
    /// - it has a route attribute (actix-web and rocket: `#[get("/path")]`, `#[route(…)]`);
    /// - or it is an `async fn`, not a test, not `main` and not a trait's method, that is registered as a route in
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
        // A trait's method (`FromRequest::from_request`, `IntoResponse::into_response`…) is
        // a hook the framework calls around handlers, not a route.
        let in_trait_impl = function
            .parent()
            .and_then(|list| list.parent())
            .is_some_and(|item| item.kind() == "impl_item" && item.child_by_field_name("trait").is_some());
        if in_trait_impl {
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
            .any(|kind| is_extractor_type(self.text_of(kind), &self.summary().imports))
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
pub const FILE_WORDS: [&str; 11] =
    ["redis", "redis::", ".timeout(", "crossbeam", "flume", "async_channel", "PgPool", "PgConnection", "Postgres", "MySql", "Sqlite"];

/// Route attributes of actix-web and rocket.
pub(crate) const ROUTE_ATTRIBUTES: [&str; 9] = ["get", "post", "put", "delete", "patch", "head", "options", "route", "trace"];

/// Whether a parameter of this type is a web framework extractor. Extractors are owned
/// framework types: `&Path` and `std::path::Path` are not, and neither is a type of the same
/// name that the file imports from another crate (activitypub's `Data`, reqwest's
/// `Request`).
pub(crate) fn is_extractor_type(text: &str, imports: &[summary::Import]) -> bool {
    if text.starts_with('&') || text.starts_with("std::") {
        return false;
    }
    let outer = text.split('<').next().unwrap_or(text).trim();
    let segments: Vec<&str> = outer.split("::").collect();
    let Some(last) = segments.last() else { return false };
    if !EXTRACTORS.contains(last) {
        return false;
    }
    // The crate the name comes from: its own path (`web::Data`), or the import of its first
    // segment.
    let first = segments[0];
    let origin =
        imports.iter().find(|import| !import.glob && import.alias == first).and_then(|import| import.path.first()).map(String::as_str);
    let origin = origin.unwrap_or(if segments.len() > 1 { first } else { "" });
    origin.is_empty() || FRAMEWORK_CRATES.contains(&origin) || origin == "web" || origin == "extract"
}

/// The crates whose types are extractors (as written in paths).
const FRAMEWORK_CRATES: [&str; 12] = [
    "axum",
    "actix_web",
    "rocket",
    "warp",
    "poem",
    "salvo",
    "tide",
    "ntex",
    "axum_extra",
    "actix_multipart",
    "actix_identity",
    "actix_session",
];

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

/// What a file says to its project: its summary, and a fingerprint of that summary and of
/// its facts (what it says to its crate), positions left out. The project model is kept
/// while the fingerprints of the open files stay the same.
#[derive(Clone)]
pub struct Said {
    pub summary: std::sync::Arc<summary::FileSummary>,
    pub fingerprint: u64,
}

impl Said {
    pub fn new(summary: std::sync::Arc<summary::FileSummary>, facts: &facts::FileFacts) -> Said {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        summary.fingerprint().hash(&mut hasher);
        facts.hash(&mut hasher);
        Said { fingerprint: hasher.finish(), summary }
    }
}

/// The arguments of a call expression, comments left out.
pub fn call_arguments(call: Node<'_>) -> Vec<Node<'_>> {
    call.child_by_field_name("arguments")
        .map(|arguments| {
            let mut cursor = arguments.walk();
            arguments.named_children(&mut cursor).filter(|argument| !argument.is_extra()).collect()
        })
        .unwrap_or_default()
}

/// The units of a file: each top-level item with the attributes and comments right above
/// it, in order, and the kind of the item.
pub fn units(tree: &Tree) -> Vec<(std::ops::Range<usize>, u16)> {
    let root = tree.root_node();
    let mut cursor = root.walk();
    let mut bounds = Vec::new();
    let mut start = None;
    for child in root.children(&mut cursor) {
        let begin = *start.get_or_insert(child.start_byte());
        if matches!(child.kind(), "attribute_item" | "line_comment" | "block_comment") {
            continue;
        }
        bounds.push((begin..child.end_byte(), child.kind_id()));
        start = None;
    }
    if let Some(begin) = start {
        bounds.push((begin..root.end_byte(), root.kind_id()));
    }
    bounds
}

/// The node and its ancestors, innermost first.
pub(crate) fn ancestors(node: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    std::iter::successors(Some(node), |node| node.parent())
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
