//! What a Rust file says to the rest of its project, read in one walk of its tree: its `use`
//! imports, its `mod` declarations, its functions with the calls each makes (and from which
//! context: async code, sync code, a `spawn_blocking` closure, a loop), and signs of what the
//! code does (serves HTTP, parses a command line, starts a tracing subscriber or a logger).
//!
//! Spans are kept as [`Place`]s, which comparisons and hashes leave out: a summary changes
//! only when what the file says changes, not when code moves within it.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use tree_sitter::{Node, Tree};

use super::routes::Place;

/// What one file says to its project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FileSummary {
    pub imports: Vec<Import>,
    /// `mod name;` declarations (modules in files of their own).
    pub modules: Vec<ModuleDecl>,
    pub functions: Vec<FunctionSummary>,
    pub signs: Signs,
    /// `#![cfg(test)]` at the top: the whole file is test code.
    pub test_only: bool,
}

/// One name a `use` declaration brings in: `use a::b::{c as d, e::*};` is `d` for `a::b::c`
/// and a glob for `a::b::e`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Import {
    pub alias: String,
    pub path: Vec<String>,
    pub glob: bool,
    /// The inline modules around the declaration.
    pub module: Vec<String>,
}

/// `mod name;`, with its `#[cfg(test)]` and `#[path = "…"]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ModuleDecl {
    pub name: String,
    /// The inline modules around the declaration.
    pub module: Vec<String>,
    pub test: bool,
    pub path_attribute: Option<String>,
}

/// A function or method, with what it calls.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FunctionSummary {
    pub name: String,
    /// The inline modules around it.
    pub module: Vec<String>,
    /// The type of the `impl` block it is a method of (its last path segment).
    pub owner: Option<String>,
    pub is_async: bool,
    /// A `#[test]`-like function, or inside a `#[cfg(test)]` module.
    pub test: bool,
    /// An actix-web or rocket route attribute (`#[get("/…")]`).
    pub route_attribute: bool,
    /// Takes a web framework extractor (`Json`, `State`, `web::Data`…), as the file's
    /// imports name its parameter types.
    pub extractor: bool,
    /// The types of its parameters as written, in order.
    pub parameter_types: Vec<String>,
    /// Carries `#[instrument]` (`#[tracing::instrument]`): it runs in a span of its own.
    pub instrumented: bool,
    /// The names of its parameters, in order (`self` left out).
    pub parameters: Vec<String>,
    /// Takes `self` (a method called as `value.method(…)`).
    pub has_self: bool,
    /// Its return type as written; `None` for `()`.
    pub return_type: Option<String>,
    /// Starts a server: calls a serving API (`axum::serve`, `HttpServer::new`…), as the
    /// file's imports name it.
    pub serves: bool,
    /// The function's name.
    pub place: Place,
    /// The whole item.
    pub item: Place,
    pub calls: Vec<Call>,
}

/// One call inside a function.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Call {
    pub target: Target,
    pub context: CallContext,
    pub arguments: Vec<Argument>,
    /// Inside a `for` or `while` loop of the function, or a closure given to an iterator
    /// adapter (`for_each`, `map`…).
    pub in_loop: bool,
    /// Inside a closure or an async block: it runs when that runs, maybe later or elsewhere
    /// (a spawned task), not when the function runs.
    pub deferred: bool,
    /// A database round trip: sqlx's `fetch*`/`execute` on a query, diesel's
    /// `load`/`get_result`/`execute` on a connection, sea-orm's `all`/`one`/`exec`,
    /// tokio-postgres' and rusqlite's client methods.
    pub database: bool,
    /// The callee's name.
    pub place: Place,
}

/// What a call names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// `f(…)`, `module::f(…)`, `Type::f(…)`, as written (generic arguments dropped).
    Path(Vec<String>),
    /// `receiver.f(…)`; `on_self` for `self.f(…)`.
    Method { name: String, on_self: bool },
}

/// Where a call runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallContext {
    /// In an async fn or block: on the executor.
    Async,
    /// In sync code.
    Sync,
    /// In a closure given to `spawn_blocking` or `block_in_place`, or to `thread::spawn`.
    Blocking,
}

/// What a call passes, as far as the project model needs it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Argument {
    /// A string literal, with its value.
    Literal(String),
    /// Another literal, or a constant (`TABLE`, `Self::TABLE`, `tables::USERS`).
    Constant,
    /// A plain variable.
    Name(String),
    Other,
}

/// Signs of what the file's code does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Signs {
    /// Starts an HTTP or RPC server (`axum::serve`, `HttpServer::new`, `rocket::build`…).
    pub serves: bool,
    /// Parses command-line arguments (clap, argh, `std::env::args`…).
    pub parses_arguments: bool,
    /// Installs a tracing subscriber.
    pub tracing_subscriber: bool,
    /// Installs a `log` logger (env_logger, fern, log4rs…).
    pub logger: bool,
    /// The middleware layers it applies (`TraceLayer`, `TracingLogger`, `TimeoutLayer`…), by
    /// name.
    pub layers: Vec<String>,
    /// Logs through `tracing` macros.
    pub uses_tracing: bool,
    /// Logs through `log` macros.
    pub uses_log: bool,
}

/// Functions that start a server, by their full path.
const SERVE_APIS: [&str; 14] = [
    "axum::serve",
    "axum::Server::bind",
    "axum_server::bind",
    "axum_server::bind_rustls",
    "actix_web::HttpServer::new",
    "rocket::build",
    "rocket::custom",
    "warp::serve",
    "poem::Server::new",
    "salvo::Server::new",
    "hyper::Server::bind",
    "tonic::transport::Server::builder",
    "dropshot::HttpServerStarter::new",
    "hyper_util::server::conn::auto::Builder::new",
];

/// What text that starts a server says.
pub const SERVE_SIGNS: [&str; 13] = [
    "HttpServer::new",
    "axum::serve",
    "axum_server::bind",
    "rocket::build",
    "#[launch]",
    "rocket::custom",
    "warp::serve",
    "poem::Server",
    "salvo::Server",
    "tonic::transport::Server",
    "HttpServerStarter",
    "serve_connection",
    "Server::bind(",
];

/// Middleware a project wraps its routers in, by type name.
pub const KNOWN_LAYERS: [&str; 10] = [
    "TraceLayer",
    "TracingLogger",
    "TimeoutLayer",
    "CorsLayer",
    "Logger",
    "RequestBodyLimitLayer",
    "ConcurrencyLimitLayer",
    "RateLimitLayer",
    "GovernorLayer",
    "CompressionLayer",
];

impl FileSummary {
    pub fn of_text(text: &str) -> FileSummary {
        super::parse(text).map(|tree| FileSummary::of_tree(&tree, text)).unwrap_or_default()
    }

    pub fn of_tree(tree: &Tree, text: &str) -> FileSummary {
        // Item by item, as the editor keeps it (`analysis::rust_source::incremental`).
        FileSummary::merge(super::units(tree).into_iter().map(|(range, _)| FileSummary::of_range(tree, text, range)))
    }

    /// What the top-level items that start in `range` say: a part of a file's summary, which
    /// [`FileSummary::merge`] joins (the incremental check keeps one per item).
    pub fn of_range(tree: &Tree, text: &str, range: std::ops::Range<usize>) -> FileSummary {
        // The items that start in the range.
        let nodes: Vec<Node<'_>> = super::top_level(tree, range.clone())
            .into_iter()
            .filter(|node| range.start <= node.start_byte() && node.start_byte() < range.end)
            .collect();
        let end = range.end.min(text.len());
        let mut summary =
            FileSummary { signs: Signs::of_text(text.get(range.start.min(end)..end).unwrap_or_default()), ..FileSummary::default() };
        summary.test_only =
            nodes.iter().any(|child| child.kind() == "inner_attribute_item" && compact(&text[child.byte_range()]).contains("cfg(test)"));
        let mut reader = Reader { text, summary: &mut summary };
        reader.item_list(nodes, &[], false, None);
        summary
    }

    /// A file's summary from the summaries of its parts, in order.
    pub fn merge(parts: impl IntoIterator<Item = FileSummary>) -> FileSummary {
        let mut summary = FileSummary::default();
        for part in parts {
            summary.imports.extend(part.imports);
            summary.modules.extend(part.modules);
            summary.functions.extend(part.functions);
            summary.test_only |= part.test_only;
            summary.signs.merge(part.signs);
        }
        summary.finish()
    }

    /// [`FileSummary::merge`] of parts that are kept: a [`FileSummary::remerge`] with no
    /// earlier merge to move from.
    pub fn merge_shared(parts: &[Arc<FileSummary>]) -> FileSummary {
        FileSummary::remerge(FileSummary::default(), parts, &[])
    }

    /// [`FileSummary::merge_shared`] that moves what it can out of an earlier merge: `old`
    /// is the merge of the parts of an earlier text, with positions already moved to the new
    /// one, and `from_old[i]` is where part `i` sat in it when the part was one of those
    /// (unchanged but for positions). Typing in one item of a long file then copies one
    /// item's summary, not the file's.
    pub fn remerge(old: FileSummary, parts: &[Arc<FileSummary>], from_old: &[Option<Offsets>]) -> FileSummary {
        let mut imports = Moving { items: old.imports.into_iter(), at: 0 };
        let mut modules = Moving { items: old.modules.into_iter(), at: 0 };
        let mut functions = Moving { items: old.functions.into_iter(), at: 0 };
        let mut summary = FileSummary::default();
        for (part, from) in parts.iter().zip(from_old.iter().copied().chain(std::iter::repeat(None))) {
            match from {
                Some(from) => {
                    imports.take(from.imports, &part.imports, &mut summary.imports);
                    modules.take(from.modules, &part.modules, &mut summary.modules);
                    functions.take(from.functions, &part.functions, &mut summary.functions);
                }
                None => {
                    summary.imports.extend_from_slice(&part.imports);
                    summary.modules.extend_from_slice(&part.modules);
                    summary.functions.extend_from_slice(&part.functions);
                }
            }
            summary.test_only |= part.test_only;
            summary.signs.merge(part.signs.clone());
        }
        summary.finish()
    }

    /// Where each part's items start in the merge of `parts`.
    pub fn offsets<'a>(parts: impl IntoIterator<Item = &'a FileSummary>) -> Vec<Offsets> {
        let mut at = Offsets::default();
        parts
            .into_iter()
            .map(|part| {
                let here = at;
                at.imports += part.imports.len();
                at.modules += part.modules.len();
                at.functions += part.functions.len();
                here
            })
            .collect()
    }

    /// What only the whole file tells: which parameters are extractors, and whether it
    /// serves (`use axum::serve;` then `serve(listener, app)`: the imports say what a call
    /// is).
    fn finish(mut self) -> FileSummary {
        for function in &mut self.functions {
            function.extractor = function.parameter_types.iter().any(|kind| super::is_extractor_type(kind, &self.imports));
        }
        let last = |path: &str| path.rsplit("::").next().unwrap_or(path).to_owned();
        let ends: HashSet<String> = SERVE_APIS.iter().map(|api| last(api)).collect();
        // Names imported from a serving API, under any alias.
        let aliases: HashSet<&str> = self
            .imports
            .iter()
            .filter(|import| import.path.last().is_some_and(|end| ends.contains(end)))
            .map(|import| import.alias.as_str())
            .collect();
        for index in 0..self.functions.len() {
            let function = &self.functions[index];
            let serves = function.calls.iter().any(|call| match &call.target {
                Target::Path(path) => {
                    let candidate = match path.as_slice() {
                        [only] => ends.contains(only) || aliases.contains(only.as_str()),
                        [.., end] => ends.contains(end),
                        [] => false,
                    };
                    candidate && {
                        let full: Vec<String> =
                            match path.split_first().and_then(|(first, rest)| Some((self.import(first, &function.module)?, rest))) {
                                Some((import, rest)) => import.path.iter().chain(rest).cloned().collect(),
                                None => path.clone(),
                            };
                        SERVE_APIS.contains(&full.join("::").as_str())
                    }
                }
                Target::Method { .. } => false,
            });
            self.functions[index].serves = serves;
            self.signs.serves |= serves;
        }
        self
    }

    /// Moves the positions after an edit: `at` is where the old text ended, `delta` how much
    /// longer the new one is.
    pub fn shift(&mut self, at: usize, delta: isize) {
        let moved = |offset: usize| if offset >= at { offset.saturating_add_signed(delta) } else { offset };
        let span = |place: &mut Place| place.0 = moved(place.0.start)..moved(place.0.end);
        for function in &mut self.functions {
            span(&mut function.place);
            span(&mut function.item);
            for call in &mut function.calls {
                span(&mut call.place);
            }
        }
    }

    /// A fingerprint of what the file says, positions left out.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = std::hash::DefaultHasher::new();
        self.hash(&mut hasher);
        hasher.finish()
    }

    /// The file's import of `alias` visible in `module`: declared there or in a module around
    /// it.
    pub fn import(&self, alias: &str, module: &[String]) -> Option<&Import> {
        self.imports
            .iter()
            .filter(|import| !import.glob && import.alias == alias && module.starts_with(&import.module))
            .max_by_key(|import| import.module.len())
    }
}

/// Where a part's items start in a file's summary: its first import, module and function.
#[derive(Debug, Clone, Copy, Default)]
pub struct Offsets {
    pub imports: usize,
    pub modules: usize,
    pub functions: usize,
}

/// The items of an earlier merge, taken in order.
struct Moving<T> {
    items: std::vec::IntoIter<T>,
    /// The index of the next item.
    at: usize,
}

impl<T: Clone> Moving<T> {
    /// Moves the `part.len()` items from `from` on to `out`; copies `part` when they were
    /// passed already or are missing.
    fn take(&mut self, from: usize, part: &[T], out: &mut Vec<T>) {
        if from < self.at || from + part.len() > self.at + self.items.len() {
            out.extend_from_slice(part);
            return;
        }
        self.items.by_ref().take(from - self.at).for_each(drop);
        out.extend(self.items.by_ref().take(part.len()));
        self.at = from + part.len();
    }
}

impl Signs {
    /// Adds what another part of the file shows.
    fn merge(&mut self, other: Signs) {
        self.serves |= other.serves;
        self.parses_arguments |= other.parses_arguments;
        self.tracing_subscriber |= other.tracing_subscriber;
        self.logger |= other.logger;
        self.uses_tracing |= other.uses_tracing;
        self.uses_log |= other.uses_log;
        for layer in other.layers {
            if !self.layers.contains(&layer) {
                self.layers.push(layer);
            }
        }
    }

    fn of_text(text: &str) -> Signs {
        let any = |signs: &[&str]| signs.iter().any(|sign| text.contains(sign));
        Signs {
            serves: any(&SERVE_SIGNS),
            parses_arguments: any(&[
                "clap::",
                "derive(Parser",
                "derive(clap::Parser",
                "Parser)]",
                "argh::",
                "FromArgs",
                "structopt",
                "pico_args",
                "lexopt",
                "bpaf",
                "gumdrop",
                "env::args()",
                "env::args_os()",
            ]),
            tracing_subscriber: any(&[
                "tracing_subscriber::",
                "tracing_subscriber",
                "set_global_default",
                "console_subscriber",
                "tracing_bunyan_formatter",
            ]),
            logger: any(&[
                "env_logger::",
                "fern::",
                "log4rs::",
                "simplelog::",
                "pretty_env_logger::",
                "flexi_logger::",
                "simple_logger::",
                "stderrlog::",
                "syslog::",
                "log::set_logger",
                "log::set_boxed_logger",
            ]),
            layers: KNOWN_LAYERS
                .iter()
                .filter(|layer| {
                    text.match_indices(**layer).any(|(at, _)| {
                        let before = text[..at].chars().next_back();
                        let after = text[at + layer.len()..].chars().next();
                        !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    }) && (text.contains(".layer(") || text.contains(".wrap(") || text.contains("ServiceBuilder"))
                })
                .map(|layer| (*layer).to_owned())
                .collect(),
            uses_tracing: any(&["tracing::", "use tracing", "#[instrument", "#[tracing::instrument"]),
            uses_log: any(&["log::", "use log", "#[macro_use]\nextern crate log"]),
        }
    }
}

struct Reader<'t, 's> {
    text: &'t str,
    summary: &'s mut FileSummary,
}

impl Reader<'_, '_> {
    /// Reads the items under `node`: functions, modules, `impl` blocks, imports.
    fn items(&mut self, node: Node<'_>, module: &[String], test: bool, owner: Option<&str>) {
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
        self.item_list(children, module, test, owner);
    }

    /// Reads a list of sibling items (attributes apply to the item after them).
    fn item_list(&mut self, children: Vec<Node<'_>>, module: &[String], test: bool, owner: Option<&str>) {
        let mut attributes: Vec<&str> = Vec::new();
        for child in children {
            match child.kind() {
                "attribute_item" => {
                    attributes.push(&self.text[child.byte_range()]);
                    continue;
                }
                "line_comment" | "block_comment" => continue,
                "use_declaration" => self.import(child, module),
                "function_item" => {
                    let is_test = test || attributes.iter().any(|attribute| super::is_test_attribute(attribute));
                    self.function(child, module, is_test, owner, &attributes);
                }
                "mod_item" => {
                    let Some(name) = child.child_by_field_name("name").map(|name| self.text[name.byte_range()].to_owned()) else {
                        attributes.clear();
                        continue;
                    };
                    let is_test = test || attributes.iter().any(|attribute| compact(attribute).contains("cfg(test)"));
                    match child.child_by_field_name("body") {
                        Some(body) => {
                            let mut inner = module.to_vec();
                            inner.push(name);
                            self.items(body, &inner, is_test, None);
                        }
                        None => {
                            let path_attribute = attributes.iter().find_map(|attribute| {
                                let inner = compact(attribute);
                                let value = inner.strip_prefix("#[path=\"")?;
                                Some(value.split('"').next()?.to_owned())
                            });
                            self.summary.modules.push(ModuleDecl { name, module: module.to_vec(), test: is_test, path_attribute });
                        }
                    }
                }
                "impl_item" | "trait_item" => {
                    let is_test = test || attributes.iter().any(|attribute| compact(attribute).contains("cfg(test)"));
                    let type_node =
                        if child.kind() == "impl_item" { child.child_by_field_name("type") } else { child.child_by_field_name("name") };
                    let owner = type_node.map(|node| type_name(&self.text[node.byte_range()]));
                    if let Some(body) = child.child_by_field_name("body") {
                        self.items(body, module, is_test, owner.as_deref());
                    }
                }
                _ => {}
            }
            attributes.clear();
        }
    }

    fn import(&mut self, declaration: Node<'_>, module: &[String]) {
        let Some(argument) = declaration.child_by_field_name("argument") else { return };
        let mut found = Vec::new();
        use_tree(argument, self.text, &mut Vec::new(), &mut found);
        self.summary.imports.extend(found.into_iter().map(|(alias, path, glob)| Import { alias, path, glob, module: module.to_vec() }));
    }

    fn function(&mut self, function: Node<'_>, module: &[String], test: bool, owner: Option<&str>, attributes: &[&str]) {
        let Some(name_node) = function.child_by_field_name("name") else { return };
        let is_async = function_is_async(function, self.text);
        let route_attribute = attributes.iter().any(|attribute| {
            let inner = attribute.trim_start_matches("#[");
            let name = inner.split(['(', ']']).next().unwrap_or_default().rsplit("::").next().unwrap_or_default();
            super::ROUTE_ATTRIBUTES.contains(&name)
        });
        let mut parameters = Vec::new();
        let mut has_self = false;
        let mut types = Vec::new();
        if let Some(list) = function.child_by_field_name("parameters") {
            let mut cursor = list.walk();
            has_self = list.named_children(&mut cursor).any(|parameter| parameter.kind() == "self_parameter");
            for parameter in list.named_children(&mut cursor).filter(|parameter| parameter.kind() == "parameter") {
                if let Some(pattern) = parameter.child_by_field_name("pattern") {
                    parameters.push(self.text[pattern.byte_range()].trim_start_matches("mut ").to_owned());
                }
                if let Some(kind) = parameter.child_by_field_name("type") {
                    types.push(self.text[kind.byte_range()].to_owned());
                }
            }
        }
        let mut summary = FunctionSummary {
            name: self.text[name_node.byte_range()].to_owned(),
            module: module.to_vec(),
            owner: owner.map(str::to_owned),
            is_async,
            test,
            route_attribute,
            // Known once the whole file's imports are (`finish`).
            extractor: false,
            parameter_types: types,
            instrumented: attributes.iter().any(|attribute| attribute.contains("instrument")),
            parameters,
            has_self,
            return_type: function.child_by_field_name("return_type").map(|kind| self.text[kind.byte_range()].to_owned()),
            // Known once the whole file's imports are (`finish`).
            serves: false,
            place: Place(name_node.byte_range()),
            item: Place(function.byte_range()),
            calls: Vec::new(),
        };
        let mut nested = Vec::new();
        if let Some(body) = function.child_by_field_name("body") {
            let context = if is_async { CallContext::Async } else { CallContext::Sync };
            self.calls(body, context, false, &mut summary.calls, &mut nested);
        }
        self.summary.functions.push(summary);
        for inner in nested {
            self.function(inner, module, test, None, &[]);
        }
    }

    /// The calls under `node`, in the given context; functions defined inside are collected
    /// in `nested` and read as functions of their own.
    fn calls<'n>(&self, node: Node<'n>, context: CallContext, in_loop: bool, calls: &mut Vec<Call>, nested: &mut Vec<Node<'n>>) {
        // The variables of loops over a constant (`for interval in INTERVALS`): passing one
        // passes a constant.
        let mut constant_loops: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        let mut stack = vec![(node, context, in_loop, false)];
        while let Some((node, context, in_loop, deferred)) = stack.pop() {
            if node.kind() == "for_expression"
                && let (Some(pattern), Some(value), Some(body)) =
                    (node.child_by_field_name("pattern"), node.child_by_field_name("value"), node.child_by_field_name("body"))
            {
                let over = self.text[value.byte_range()].trim_start_matches('&');
                let over = over.strip_suffix(".iter()").unwrap_or(over);
                if is_constant_name(over.rsplit("::").next().unwrap_or(over)) || over.starts_with('[') {
                    constant_loops.push((body.byte_range(), self.text[pattern.byte_range()].to_owned()));
                }
            }
            match node.kind() {
                "function_item" => {
                    nested.push(node);
                    continue;
                }
                "call_expression" => {
                    if let Some(mut call) = self.call(node, context, in_loop, deferred) {
                        for argument in &mut call.arguments {
                            if let Argument::Name(name) = argument
                                && constant_loops.iter().any(|(body, variable)| body.contains(&node.start_byte()) && variable == name)
                            {
                                *argument = Argument::Constant;
                            }
                        }
                        calls.push(call);
                    }
                }
                _ => {}
            }
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                let (child_context, child_loop) = self.context_of_child(node, child, context, in_loop);
                let child_deferred = deferred || matches!(child.kind(), "closure_expression" | "async_block");
                stack.push((child, child_context, child_loop, child_deferred));
            }
        }
        calls.sort_by_key(|call| call.place.0.start);
    }

    /// The context of `child` inside `parent`: async blocks run on the executor, closures
    /// given to `spawn_blocking` do not, loop bodies repeat.
    fn context_of_child(&self, parent: Node<'_>, child: Node<'_>, context: CallContext, in_loop: bool) -> (CallContext, bool) {
        match child.kind() {
            "async_block" => (CallContext::Async, in_loop),
            "closure_expression" => {
                let call = parent.parent().filter(|_| parent.kind() == "arguments");
                let callee = call.and_then(|call| call.child_by_field_name("function")).map(|function| &self.text[function.byte_range()]);
                let blocking = callee.is_some_and(is_blocking_pool);
                let iterating = callee.is_some_and(|callee| {
                    let method = callee.rsplit(['.', ':']).next().unwrap_or(callee);
                    matches!(method, "for_each" | "map" | "then" | "filter_map" | "flat_map" | "try_for_each" | "and_then")
                });
                if blocking {
                    (CallContext::Blocking, false)
                } else if closure_is_async(child, self.text) {
                    (CallContext::Async, in_loop || iterating)
                } else {
                    (context, in_loop || iterating)
                }
            }
            _ => {
                let is_body = matches!(parent.kind(), "for_expression" | "while_expression" | "loop_expression")
                    && parent.child_by_field_name("body").is_some_and(|body| body.id() == child.id());
                (context, in_loop || is_body)
            }
        }
    }

    fn call(&self, call: Node<'_>, context: CallContext, in_loop: bool, deferred: bool) -> Option<Call> {
        let function = call.child_by_field_name("function")?;
        let function = if function.kind() == "generic_function" { function.child_by_field_name("function")? } else { function };
        let mut receiver = None;
        let (target, place) = match function.kind() {
            "identifier" | "scoped_identifier" => {
                let path = path_segments(&self.text[function.byte_range()]);
                let name = function.child_by_field_name("name").unwrap_or(function);
                (Target::Path(path), name.byte_range())
            }
            "field_expression" => {
                let field = function.child_by_field_name("field")?;
                let value = function.child_by_field_name("value");
                let on_self = value.is_some_and(|value| &self.text[value.byte_range()] == "self");
                receiver = value.map(|value| &self.text[value.byte_range()]);
                (Target::Method { name: self.text[field.byte_range()].to_owned(), on_self }, field.byte_range())
            }
            _ => return None,
        };
        let argument_nodes = super::call_arguments(call);
        let database = match (&target, receiver) {
            (Target::Method { name, .. }, Some(receiver)) => {
                let texts: Vec<&str> = argument_nodes.iter().map(|argument| &self.text[argument.byte_range()]).collect();
                is_database_call(name, receiver, &texts)
            }
            _ => false,
        };
        let arguments = argument_nodes.into_iter().map(|argument| self.argument(argument)).collect();
        Some(Call { target, context, arguments, in_loop, deferred, database, place: Place(place) })
    }

    fn argument(&self, argument: Node<'_>) -> Argument {
        let argument =
            if argument.kind() == "reference_expression" { argument.child_by_field_name("value").unwrap_or(argument) } else { argument };
        let text = &self.text[argument.byte_range()];
        match argument.kind() {
            "string_literal" | "raw_string_literal" => Argument::Literal(literal_value(text)),
            "integer_literal" | "float_literal" | "boolean_literal" | "char_literal" => Argument::Constant,
            "identifier" if is_constant_name(text) => Argument::Constant,
            "identifier" => Argument::Name(text.to_owned()),
            "scoped_identifier" if is_constant_name(text.rsplit("::").next().unwrap_or(text)) => Argument::Constant,
            _ => Argument::Other,
        }
    }
}

/// Whether `receiver.method(arguments)` is a database round trip, by the drivers and ORMs'
/// own names: sqlx runs a query with `fetch*` or `execute` (on `sqlx::query*`, a
/// `QueryBuilder`, or an executor), diesel with `load`, `get_result(s)`, `first` or
/// `execute` given a connection, sea-orm with `all`, `one`, `exec`… given a connection,
/// tokio-postgres and rusqlite with their client's `query*`, `execute` and `prepare`. A
/// builder's `.query(&params)` (reqwest) builds, it does not run.
pub fn is_database_call(method: &str, receiver: &str, arguments: &[&str]) -> bool {
    let connection_like = |text: &str| {
        let lower = text.to_ascii_lowercase();
        ["conn", "pool", "db", "tx", "txn", "transaction", "executor", "client", "database", "&mut *", "session"]
            .iter()
            .any(|word| lower.contains(word))
    };
    let receiver_tail = receiver.rsplit(['.', ':', '(']).next().unwrap_or(receiver);
    let querying = receiver.contains("query") || receiver.contains("sqlx::") || receiver.contains(".build()");
    let web_request =
        [".get(", ".post(", ".put(", ".patch(", ".delete(", "reqwest", "request", "http"].iter().any(|sign| receiver.contains(sign));
    match method {
        "fetch_one" | "fetch_all" | "fetch_optional" | "fetch_many" | "fetch" => querying && !web_request,
        "execute" => {
            (querying && !web_request)
                || connection_like(receiver_tail)
                || (arguments.len() == 1 && connection_like(arguments[0]) && !web_request)
        }
        "load" | "get_result" | "get_results" | "first" | "load_iter" => {
            arguments.len() == 1 && connection_like(arguments[0]) && !web_request
        }
        "all" | "one" | "exec" | "exec_with_returning" | "count" | "save" | "into_tuple" => {
            arguments.len() == 1 && connection_like(arguments[0]) && !web_request
        }
        "query" | "query_one" | "query_opt" | "query_raw" | "query_row" | "query_map" => {
            arguments.len() >= 2 && connection_like(receiver_tail) && !web_request
        }
        "batch_execute" | "prepare" | "prepare_cached" => connection_like(receiver_tail) && !web_request,
        _ => false,
    }
}

/// Expands a use tree into (alias, path, glob) entries.
fn use_tree(node: Node<'_>, text: &str, prefix: &mut Vec<String>, found: &mut Vec<(String, Vec<String>, bool)>) {
    match node.kind() {
        "identifier" | "crate" | "self" | "super" | "metavariable" => {
            let name = text[node.byte_range()].to_owned();
            let mut path = prefix.clone();
            if name == "self" {
                if let Some(last) = path.last().cloned() {
                    found.push((last, path, false));
                }
                return;
            }
            path.push(name.clone());
            found.push((name, path, false));
        }
        "scoped_identifier" => {
            let path = path_segments(&text[node.byte_range()]);
            let mut full = prefix.clone();
            full.extend(path);
            if full.last().is_some_and(|last| last == "self") {
                full.pop();
            }
            if let Some(alias) = full.last().cloned() {
                found.push((alias, full, false));
            }
        }
        "use_as_clause" => {
            let (Some(path), Some(alias)) = (node.child_by_field_name("path"), node.child_by_field_name("alias")) else { return };
            let mut full = prefix.clone();
            full.extend(path_segments(&text[path.byte_range()]));
            if full.last().is_some_and(|last| last == "self") {
                full.pop();
            }
            found.push((text[alias.byte_range()].to_owned(), full, false));
        }
        "use_wildcard" => {
            let mut full = prefix.clone();
            let inner = text[node.byte_range()].trim_end_matches('*').trim_end_matches("::");
            if !inner.is_empty() {
                full.extend(path_segments(inner));
            }
            found.push(("*".to_owned(), full, true));
        }
        "scoped_use_list" => {
            let depth = prefix.len();
            if let Some(path) = node.child_by_field_name("path") {
                prefix.extend(path_segments(&text[path.byte_range()]));
            }
            if let Some(list) = node.child_by_field_name("list") {
                use_tree(list, text, prefix, found);
            }
            prefix.truncate(depth);
        }
        "use_list" => {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                use_tree(child, text, prefix, found);
            }
        }
        _ => {}
    }
}

/// The segments of a path as written: `::std::fs::read::<u8>` is `std`, `fs`, `read`.
pub fn path_segments(path: &str) -> Vec<String> {
    let mut depth = 0usize;
    let mut plain = String::with_capacity(path.len());
    for character in path.chars() {
        match character {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            _ if depth == 0 && !character.is_whitespace() => plain.push(character),
            _ => {}
        }
    }
    plain.split("::").filter(|segment| !segment.is_empty()).map(str::to_owned).collect()
}

/// The last path segment of a type, without generic arguments or references: `Service<T>`
/// for `impl<T> crate::Service<T>` is `Service`.
fn type_name(text: &str) -> String {
    let plain = text.trim_start_matches('&').trim_start_matches("mut ").trim();
    let plain = plain.split('<').next().unwrap_or(plain);
    plain.rsplit("::").next().unwrap_or(plain).trim().to_owned()
}

fn function_is_async(function: Node<'_>, text: &str) -> bool {
    let mut cursor = function.walk();
    function
        .children(&mut cursor)
        .any(|child| child.kind() == "function_modifiers" && text[child.byte_range()].split_whitespace().any(|word| word == "async"))
}

fn closure_is_async(closure: Node<'_>, text: &str) -> bool {
    text[closure.byte_range()].trim_start().starts_with("async")
        || closure.child_by_field_name("body").is_some_and(|body| body.kind() == "async_block")
}

/// Whether a callee runs its closure off the async executor: tokio's `spawn_blocking` and
/// `block_in_place`, actix's `web::block`, a thread, and the project's own wrappers named
/// after them (`spawn_blocking_with_tracing`).
pub fn is_blocking_pool(callee: &str) -> bool {
    let last = callee.rsplit(['.', ':']).next().unwrap_or(callee);
    last.contains("spawn_blocking")
        || last.contains("block_in_place")
        || callee.ends_with("web::block")
        || callee.ends_with("thread::spawn")
        || callee.ends_with("rayon::spawn")
        || last == "unblock"
}

/// `TABLE`, `MAX_ROWS`: a constant's name.
fn is_constant_name(name: &str) -> bool {
    name.chars().any(|character| character.is_ascii_uppercase())
        && name.chars().all(|character| character.is_ascii_uppercase() || character.is_ascii_digit() || character == '_')
}

/// The value of a string literal as written (escapes kept).
fn literal_value(text: &str) -> String {
    let start = text.find('"').map_or(0, |at| at + 1);
    let end = text.rfind('"').unwrap_or(text.len());
    text.get(start..end.max(start)).unwrap_or_default().to_owned()
}

/// Text without whitespace, for attributes written with or without spaces.
fn compact(text: &str) -> String {
    text.chars().filter(|character| !character.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_imports_modules_functions_and_calls() {
        let text = r#"
use std::fs;
use bcrypt::{hash as make_hash, verify};
use crate::db::{self, queries::*};
#[cfg(test)]
mod tests;
#[path = "x/y.rs"]
mod other;
pub async fn create(State(pool): State<PgPool>, Json(body): Json<Body>) -> Result<(), E> {
    let hash = make_hash(&body.password, 12)?;
    for item in body.items {
        db::insert(&pool, item).await?;
    }
    tokio::task::spawn_blocking(move || fs::read("a"));
    save("users", TABLE, name).await
}
impl Store {
    fn load(&self) { self.read_all(); helper::<u8>(); }
}
#[cfg(test)]
mod inline { #[test] fn t() { create(); } }
"#;
        let summary = FileSummary::of_text(text);
        let aliases: Vec<(&str, String, bool)> =
            summary.imports.iter().map(|import| (import.alias.as_str(), import.path.join("::"), import.glob)).collect();
        assert_eq!(
            aliases,
            [
                ("fs", "std::fs".to_owned(), false),
                ("make_hash", "bcrypt::hash".to_owned(), false),
                ("verify", "bcrypt::verify".to_owned(), false),
                ("db", "crate::db".to_owned(), false),
                ("*", "crate::db::queries".to_owned(), true),
            ]
        );
        assert_eq!(summary.modules.len(), 2);
        assert!(summary.modules[0].test && summary.modules[1].path_attribute.as_deref() == Some("x/y.rs"));
        let create = &summary.functions[0];
        assert!(create.is_async && create.extractor && !create.test);
        let calls: Vec<(String, CallContext, bool)> = create
            .calls
            .iter()
            .map(|call| {
                let name = match &call.target {
                    Target::Path(path) => path.join("::"),
                    Target::Method { name, .. } => format!(".{name}"),
                };
                (name, call.context, call.in_loop)
            })
            .collect();
        assert!(calls.contains(&("make_hash".to_owned(), CallContext::Async, false)));
        assert!(calls.contains(&("db::insert".to_owned(), CallContext::Async, true)));
        assert!(calls.contains(&("fs::read".to_owned(), CallContext::Blocking, false)));
        let save = create.calls.iter().find(|call| call.target == Target::Path(vec!["save".into()])).unwrap();
        assert_eq!(save.arguments, [Argument::Literal("users".into()), Argument::Constant, Argument::Name("name".into())]);
        let load = &summary.functions[1];
        assert_eq!(load.owner.as_deref(), Some("Store"));
        assert!(load.calls.iter().any(|call| call.target == Target::Method { name: "read_all".into(), on_self: true }));
        assert!(load.calls.iter().any(|call| call.target == Target::Path(vec!["helper".into()])));
        assert!(summary.functions[2].test);
    }

    #[test]
    fn fingerprints_leave_positions_out() {
        let one = FileSummary::of_text("fn a() { b(); }");
        let moved = FileSummary::of_text("\n\n// note\nfn a() {\n    b();\n}");
        let other = FileSummary::of_text("fn a() { c(); }");
        assert_eq!(one.fingerprint(), moved.fingerprint());
        assert_ne!(one.fingerprint(), other.fingerprint());
    }
}
