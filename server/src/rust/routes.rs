//! The routes a Rust service serves, read from its router code: axum (`Router::new().route(…)`,
//! `.nest`, `.merge`, `route_service`, `nest_service`), actix-web (`#[get("/…")]` attributes,
//! `web::scope`, `web::resource(…).route(…)`, `App::service`, `configure`) and rocket
//! (`#[get("/…/<id>")]`, `mount(prefix, routes![…])`).
//!
//! Each file says what its functions build ([`RouteFacts`]): the routes a function adds, the
//! functions and handlers it mounts under which prefix, and the routers it takes from
//! elsewhere. [`RouteTable`] joins the files of a crate: it starts from the functions no
//! other function mounts and follows the mounts down, prefixing paths as it goes.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use tree_sitter::{Node, Tree};

use crate::openapi::syntax::Span;

/// A span kept for reporting, left out of comparisons: moving a route down a line does not
/// change what the crate serves.
#[derive(Debug, Clone, Default)]
pub struct Place(pub Span);

impl PartialEq for Place {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Place {}

impl Hash for Place {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

/// One route a function adds: its methods (upper case; empty for any), its path as written
/// after the prefixes of its own function (`/orders/:id`), and where the path is written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LocalRoute {
    pub methods: Vec<String>,
    pub path: String,
    pub place: Place,
    /// The handler's last path segment, when the route names one.
    pub handler: Option<String>,
    /// Only in debug builds, behind a feature, or a catch-all service (static files).
    pub quiet: bool,
}

/// Something a function mounts under a prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mount {
    /// The router another function builds (`.nest("/v1", api())`, `.configure(config)`).
    /// `strict` when the call sits where a router must be: a target that is no router
    /// function of the crate then leaves the router unresolved.
    Function { prefix: String, path: String, strict: bool, place: Place },
    /// A handler with a route attribute (`.service(index)`, `routes![index]`), or a function
    /// that configures a router.
    Handler { prefix: String, path: String, place: Place },
    /// A router that cannot be read (a parameter, another crate's function).
    Unknown { prefix: String, text: String, place: Place },
}

/// What one function builds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RouterFn {
    pub name: String,
    /// The inline modules around it (`mod api { … }`), outermost first.
    pub module: Vec<String>,
    /// The function's name.
    pub place: Place,
    pub routes: Vec<LocalRoute>,
    pub mounts: Vec<Mount>,
    /// Where it creates a router (`Router::new()`, `App::new()`, `rocket::build()`), if it
    /// does.
    pub creates: Option<Place>,
}

/// A handler with a route attribute: `#[get("/orders/{id}")]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttributeRoute {
    pub name: String,
    pub module: Vec<String>,
    pub methods: Vec<String>,
    pub path: String,
    pub place: Place,
}

/// What a file says about the routes of its crate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RouteFacts {
    pub functions: Vec<RouterFn>,
    pub attributes: Vec<AttributeRoute>,
}

impl RouteFacts {
    pub fn is_empty(&self) -> bool {
        self.functions.is_empty() && self.attributes.is_empty()
    }

    pub fn extend(&mut self, other: &RouteFacts) {
        self.functions.extend(other.functions.iter().cloned());
        self.attributes.extend(other.attributes.iter().cloned());
    }

    /// The routing of the functions that start inside `range` (tests left out).
    pub fn of_range(tree: &Tree, text: &str, range: std::ops::Range<usize>) -> RouteFacts {
        let mut facts = RouteFacts::default();
        let mut stack: Vec<(Node<'_>, Vec<String>)> =
            super::top_level(tree, range.clone()).into_iter().map(|node| (node, Vec::new())).collect();
        let mut cursor = tree.walk();
        while let Some((node, module)) = stack.pop() {
            if node.start_byte() < range.start || node.start_byte() >= range.end.max(range.start + 1) {
                continue;
            }
            let attributes = || attributes_of(node, text);
            match node.kind() {
                "function_item" if !attributes().iter().any(|(_, attribute)| is_test_attribute(attribute)) => {
                    facts.read_function(node, text, &attributes(), module);
                }
                "mod_item" | "impl_item" | "trait_item" if !attributes().iter().any(|(_, attribute)| is_test_attribute(attribute)) => {
                    let mut inner = module.clone();
                    if node.kind() == "mod_item"
                        && let Some(name) = node.child_by_field_name("name")
                    {
                        inner.push(text[name.byte_range()].to_owned());
                    }
                    if let Some(body) = node.child_by_field_name("body") {
                        stack.extend(body.named_children(&mut cursor).map(|child| (child, inner.clone())));
                    }
                }
                _ => {}
            }
        }
        facts
    }

    fn read_function(&mut self, function: Node<'_>, text: &str, attributes: &[(usize, &str)], module: Vec<String>) {
        let Some(name_node) = function.child_by_field_name("name") else { return };
        let name = text[name_node.byte_range()].to_owned();
        for (start, attribute) in attributes {
            if let Some((methods, path, place)) = route_attribute(*start, attribute) {
                self.attributes.push(AttributeRoute { name: name.clone(), module: module.clone(), methods, path, place });
            }
        }
        let Some(body) = function.child_by_field_name("body") else { return };
        let body_text = &text[body.byte_range()];
        if !ROUTING_WORDS.iter().any(|word| body_text.contains(word)) {
            return;
        }
        let quiet = attributes.iter().any(|(_, attribute)| attribute.contains("cfg("));
        let mut reader = Reader { text, body, quiet, bindings: bindings(body, text), consumed: HashSet::new(), out: RouterFn::default() };
        reader.out.name = name;
        reader.out.module = module;
        reader.out.place = Place(name_node.byte_range());
        // Chains bound to a name are read where the name is used; the rest are read last to
        // first, so that a later chain consumes the names of earlier ones.
        let chains = top_chains(body, text);
        for chain in chains.iter().rev() {
            if let Some(bound) = bound_name(*chain, text)
                && reader.consumed.contains(&(bound.to_owned(), chain.start_byte()))
            {
                continue;
            }
            reader.read(*chain, "", Position::Receiver, 0);
        }
        let out = reader.out;
        if !out.routes.is_empty() || !out.mounts.is_empty() || out.creates.is_some() {
            self.functions.push(out);
        }
    }
}

/// Words without which a function body builds no router.
const ROUTING_WORDS: [&str; 11] =
    [".route(", ".nest", ".merge(", ".service(", ".mount(", ".configure(", "Router::", "App::new", "route_service", "web::", "rocket::"];

/// The methods a route attribute or router function names.
const METHODS: [&str; 8] = ["get", "post", "put", "delete", "patch", "head", "options", "trace"];

fn is_test_attribute(attribute: &str) -> bool {
    let inner = attribute.trim_start_matches("#[").trim_end_matches(']').trim();
    inner == "test" || inner.ends_with("::test") || inner.starts_with("cfg(test") || inner.contains("::test(")
}

/// The attributes written above an item, as text with where each starts.
fn attributes_of<'t>(item: Node<'_>, text: &'t str) -> Vec<(usize, &'t str)> {
    let mut found = Vec::new();
    let mut previous = item.prev_named_sibling();
    while let Some(node) = previous {
        match node.kind() {
            "attribute_item" => found.push((node.start_byte(), &text[node.byte_range()])),
            "line_comment" | "block_comment" => {}
            _ => break,
        }
        previous = node.prev_named_sibling();
    }
    found
}

/// `#[get("/path")]`, `#[actix_web::post("/path")]`, `#[route("/path", method = "GET")]`,
/// rocket's `#[post("/path", data = "<body>")]` and `#[route(GET, uri = "/path")]`; `start`
/// is where the attribute is in the file.
fn route_attribute(start: usize, attribute: &str) -> Option<(Vec<String>, String, Place)> {
    let inner = attribute.strip_prefix("#[")?;
    let open = inner.find('(')?;
    let name = last_segment(inner[..open].trim());
    let arguments = &inner[open + 1..];
    let methods: Vec<String> = if METHODS.contains(&name) {
        vec![name.to_ascii_uppercase()]
    } else if name == "route" {
        let lower = arguments.to_ascii_lowercase();
        METHODS.iter().filter(|method| contains_word(&lower, method)).map(|method| method.to_ascii_uppercase()).collect()
    } else {
        return None;
    };
    let quote = arguments.find('"')?;
    let length = arguments[quote + 1..].find('"')?;
    let path = arguments[quote + 1..quote + 1 + length].to_owned();
    if !path.starts_with('/') {
        return None;
    }
    let at = start + 2 + open + 1 + quote;
    Some((methods, path, Place(at..at + length + 2)))
}

fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(at, _)| {
        let word_character = |character: char| character.is_alphanumeric() || character == '_';
        !haystack[..at].chars().next_back().is_some_and(word_character)
            && !haystack[at + word.len()..].chars().next().is_some_and(word_character)
    })
}

/// The `let name = value` bindings of a body, by name, with where each value starts.
fn bindings<'t>(body: Node<'t>, text: &str) -> HashMap<String, Vec<(usize, Node<'t>)>> {
    let mut found: HashMap<String, Vec<(usize, Node<'t>)>> = HashMap::new();
    for node in super::descendants(body) {
        if node.kind() != "let_declaration" {
            continue;
        }
        let (Some(pattern), Some(value)) = (node.child_by_field_name("pattern"), node.child_by_field_name("value")) else { continue };
        let pattern = if pattern.kind() == "mut_pattern" { pattern.named_child(0).unwrap_or(pattern) } else { pattern };
        if pattern.kind() == "identifier" {
            found.entry(text[pattern.byte_range()].to_owned()).or_default().push((value.start_byte(), value));
        }
    }
    found
}

/// The name a chain is bound to by `let`.
fn bound_name<'t>(chain: Node<'_>, text: &'t str) -> Option<&'t str> {
    let parent = chain.parent()?;
    if parent.kind() != "let_declaration" || parent.child_by_field_name("value")? != chain {
        return None;
    }
    let pattern = parent.child_by_field_name("pattern")?;
    let pattern = if pattern.kind() == "mut_pattern" { pattern.named_child(0)? } else { pattern };
    (pattern.kind() == "identifier").then(|| &text[pattern.byte_range()])
}

/// Calls whose arguments are read as part of a router: the router methods and the method
/// routers.
const ROUTER_CALLS: [&str; 21] = [
    "route",
    "nest",
    "nest_service",
    "merge",
    "service",
    "configure",
    "mount",
    "route_service",
    "to",
    "get",
    "post",
    "put",
    "delete",
    "patch",
    "head",
    "options",
    "trace",
    "any",
    "on",
    "scope",
    "resource",
];

/// The outermost call chains of a body: calls that are neither the receiver of a method
/// nor an argument of a router call (closure bodies included: actix's
/// `HttpServer::new(|| App::new()…)`).
fn top_chains<'t>(body: Node<'t>, text: &str) -> Vec<Node<'t>> {
    super::descendants(body)
        .filter(|node| node.kind() == "call_expression")
        .filter(|node| {
            let mut parent = node.parent();
            while let Some(wrapper) = parent.filter(|parent| {
                matches!(parent.kind(), "await_expression" | "try_expression" | "parenthesized_expression" | "reference_expression")
            }) {
                parent = wrapper.parent();
            }
            let Some(parent) = parent else { return true };
            match parent.kind() {
                "field_expression" => false,
                "arguments" => {
                    let callee =
                        parent.parent().and_then(|call| call.child_by_field_name("function")).map(|function| match function.kind() {
                            "field_expression" => function.child_by_field_name("field").map_or("", |field| &text[field.byte_range()]),
                            _ => last_segment(&text[function.byte_range()]),
                        });
                    !callee.is_some_and(|callee| ROUTER_CALLS.contains(&callee))
                }
                _ => true,
            }
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Position {
    /// The start of a chain: a call there may build a router or do anything else.
    Receiver,
    /// Where a router must be (`nest`, `merge`, `service`, `configure`).
    Mounted,
}

/// What a chain built so far: the prefix it adds to paths (actix's `web::scope`) and the
/// path of an actix resource.
#[derive(Default, Clone)]
struct ChainState {
    prefix: String,
    resource: Option<(String, Span)>,
}

struct Reader<'t> {
    text: &'t str,
    body: Node<'t>,
    /// The whole function is compiled only sometimes (`#[cfg(…)]`).
    quiet: bool,
    bindings: HashMap<String, Vec<(usize, Node<'t>)>>,
    /// Bindings read through their name: (name, start of the value).
    consumed: HashSet<(String, usize)>,
    out: RouterFn,
}

/// How deep chains and bindings are followed.
const MAX_DEPTH: usize = 64;

impl<'t> Reader<'t> {
    fn read(&mut self, node: Node<'t>, prefix: &str, position: Position, depth: usize) -> ChainState {
        let fresh = ChainState { prefix: prefix.to_owned(), resource: None };
        if depth > MAX_DEPTH {
            return fresh;
        }
        match node.kind() {
            "call_expression" => self.read_call(node, prefix, position, depth),
            "await_expression" | "try_expression" | "parenthesized_expression" | "reference_expression" => match node.named_child(0) {
                Some(inner) => self.read(inner, prefix, position, depth + 1),
                None => fresh,
            },
            "block" => match last_expression(node) {
                Some(last) => self.read(last, prefix, position, depth + 1),
                None => fresh,
            },
            "closure_expression" => match node.child_by_field_name("body") {
                Some(body) => self.read(body, prefix, position, depth + 1),
                None => fresh,
            },
            "identifier" => {
                let name = &self.text[node.byte_range()];
                let binding =
                    self.bindings.get(name).and_then(|values| values.iter().rev().find(|(start, _)| *start < node.start_byte()).copied());
                match binding {
                    Some((start, value)) => {
                        self.consumed.insert((name.to_owned(), start));
                        self.read(value, prefix, position, depth + 1)
                    }
                    None => {
                        if position == Position::Mounted {
                            let mount =
                                Mount::Handler { prefix: prefix.to_owned(), path: name.to_owned(), place: Place(node.byte_range()) };
                            self.out.mounts.push(mount);
                        }
                        fresh
                    }
                }
            }
            "scoped_identifier" if position == Position::Mounted => {
                let path = self.text[node.byte_range()].to_owned();
                self.out.mounts.push(Mount::Handler { prefix: prefix.to_owned(), path, place: Place(node.byte_range()) });
                fresh
            }
            _ => {
                if position == Position::Mounted && !is_docs_service(&self.text[node.byte_range()]) {
                    self.unknown(node, prefix);
                }
                fresh
            }
        }
    }

    fn unknown(&mut self, node: Node<'_>, prefix: &str) {
        let text = self.text[node.byte_range()].split_whitespace().collect::<Vec<_>>().join(" ");
        let text = if text.chars().count() > 60 { format!("{}…", text.chars().take(60).collect::<String>()) } else { text };
        self.out.mounts.push(Mount::Unknown { prefix: prefix.to_owned(), text, place: Place(node.byte_range()) });
    }

    fn read_call(&mut self, call: Node<'t>, prefix: &str, position: Position, depth: usize) -> ChainState {
        let text = self.text;
        let fresh = ChainState { prefix: prefix.to_owned(), resource: None };
        let Some(function) = call.child_by_field_name("function") else { return fresh };
        let arguments = super::call_arguments(call);
        let literal =
            |index: usize| arguments.get(index).and_then(|node| string_value(*node, text).map(|value| (value, node.byte_range())));
        if function.kind() != "field_expression" {
            return self.read_function_call(call, function, &arguments, prefix, position);
        }
        let (Some(receiver), Some(field)) = (function.child_by_field_name("value"), function.child_by_field_name("field")) else {
            return fresh;
        };
        let method = &text[field.byte_range()];
        let state = self.read(receiver, prefix, position, depth + 1);
        match method {
            "route" if arguments.len() == 2 => {
                if let Some((path, span)) = literal(0) {
                    let (methods, handler) = method_router(arguments[1], text);
                    self.push_route(call, join(&state.prefix, &path), span, methods, handler, false);
                }
            }
            "route" if arguments.len() == 1 => {
                if let Some((path, span)) = state.resource.clone() {
                    let (methods, handler) = method_router(arguments[0], text);
                    self.push_route(call, path, span, methods, handler, false);
                }
            }
            "to" => {
                if let Some((path, span)) = state.resource.clone() {
                    let handler = arguments.first().map(|handler| last_segment(&text[handler.byte_range()]).to_owned());
                    self.push_route(call, path, span, Vec::new(), handler, false);
                }
            }
            "route_service" => {
                if let Some((path, span)) = literal(0) {
                    let service = arguments.get(1).map_or("", |service| &text[service.byte_range()]);
                    let operational = is_docs_service(service) || is_service_value(service);
                    self.push_route(call, join(&state.prefix, &path), span, Vec::new(), None, operational);
                }
            }
            "nest" | "nest_service" => {
                if let (Some((path, span)), Some(inner)) = (literal(0), arguments.get(1)) {
                    let nested = join(&state.prefix, &path);
                    let inner_text = &text[inner.byte_range()];
                    if method == "nest_service" || is_service_value(inner_text) || is_docs_service(inner_text) {
                        self.push_route(call, join(&nested, "*rest"), span, Vec::new(), None, true);
                    } else {
                        self.read(*inner, &nested, Position::Mounted, depth + 1);
                    }
                }
            }
            "merge" => {
                if let Some(inner) = arguments.first()
                    && !is_docs_service(&text[inner.byte_range()])
                {
                    self.read(*inner, &state.prefix, Position::Mounted, depth + 1);
                }
            }
            "service" => {
                if let Some(inner) = arguments.first() {
                    if let Some(files) = static_files(*inner, text) {
                        self.push_route(call, join(&join(&state.prefix, &files), "*rest"), inner.byte_range(), Vec::new(), None, true);
                    } else if !is_docs_service(&text[inner.byte_range()]) {
                        self.read(*inner, &state.prefix, Position::Mounted, depth + 1);
                    }
                }
            }
            "configure" => {
                if let Some(inner) = arguments.first() {
                    self.read(*inner, &state.prefix, Position::Mounted, depth + 1);
                }
            }
            "mount" => {
                if let (Some((path, _)), Some(routes)) = (literal(0), arguments.get(1)) {
                    let mounted = join(&state.prefix, &path);
                    self.read_routes_macro(*routes, &mounted, depth);
                }
            }
            _ => {}
        }
        state
    }

    /// A plain call: `Router::new()`, `web::scope("/api")`, `api::router(state)`.
    fn read_function_call(
        &mut self,
        call: Node<'t>,
        function: Node<'t>,
        arguments: &[Node<'t>],
        prefix: &str,
        position: Position,
    ) -> ChainState {
        let text = self.text;
        let fresh = ChainState { prefix: prefix.to_owned(), resource: None };
        let literal =
            |index: usize| arguments.get(index).and_then(|node| string_value(*node, text).map(|value| (value, node.byte_range())));
        let callee = &text[function.byte_range()];
        let name = last_segment(callee);
        let owner = callee.rsplit("::").nth(1).unwrap_or_default();
        let owner = owner.split('<').next().unwrap_or_default();
        match (owner, name) {
            ("Router" | "App" | "Rocket", "new") | ("rocket", "build" | "custom") => {
                if self.out.creates.is_none() {
                    self.out.creates = Some(Place(call.byte_range()));
                }
                fresh
            }
            ("web" | "", "scope") => match literal(0) {
                Some((path, _)) => ChainState { prefix: join(prefix, &path), resource: None },
                None => fresh,
            },
            ("web" | "", "resource") => match literal(0) {
                Some((path, span)) => ChainState { prefix: prefix.to_owned(), resource: Some((join(prefix, &path), span)) },
                None => fresh,
            },
            _ if is_docs_service(callee) => fresh,
            _ if owner.chars().next().is_some_and(char::is_uppercase) && position == Position::Receiver => fresh,
            _ if function.kind() != "identifier" && function.kind() != "scoped_identifier" => {
                if position == Position::Mounted {
                    self.unknown(call, prefix);
                }
                fresh
            }
            _ => {
                let strict = position == Position::Mounted;
                let path = callee.split('<').next().unwrap_or(callee).trim_end_matches("::").to_owned();
                self.out.mounts.push(Mount::Function { prefix: prefix.to_owned(), path, strict, place: Place(call.byte_range()) });
                fresh
            }
        }
    }

    /// A route this function adds; `operational` for catch-all services (static files, the
    /// API description).
    fn push_route(&mut self, call: Node<'_>, path: String, span: Span, methods: Vec<String>, handler: Option<String>, operational: bool) {
        let quiet = operational || self.quiet || is_conditional(call, self.body, self.text);
        self.out.routes.push(LocalRoute { methods, path, place: Place(span), handler, quiet });
    }

    /// `routes![a, b::c]`: the handlers mounted at `prefix`.
    fn read_routes_macro(&mut self, node: Node<'t>, prefix: &str, depth: usize) {
        if node.kind() != "macro_invocation" {
            self.read(node, prefix, Position::Mounted, depth + 1);
            return;
        }
        let Some(tokens) = node.named_children(&mut node.walk()).find(|child| child.kind() == "token_tree") else { return };
        let inside = &self.text[tokens.byte_range()];
        let inside = inside.trim_start_matches(['[', '(', '{']).trim_end_matches([']', ')', '}']);
        let mut offset = tokens.start_byte() + 1;
        for item in inside.split(',') {
            let trimmed = item.trim();
            if !trimmed.is_empty() && trimmed.chars().all(|character| character.is_alphanumeric() || character == '_' || character == ':') {
                let start = offset + item.find(trimmed).unwrap_or(0);
                let mount =
                    Mount::Handler { prefix: prefix.to_owned(), path: trimmed.to_owned(), place: Place(start..start + trimmed.len()) };
                self.out.mounts.push(mount);
            }
            offset += item.len() + 1;
        }
    }
}

/// Whether a call only runs in some builds: inside `if cfg!(…)`, or in a statement under
/// `#[cfg(…)]` (`#[cfg(debug_assertions)] let app = app.route(…)`).
fn is_conditional(call: Node<'_>, body: Node<'_>, text: &str) -> bool {
    let mut node = call;
    while let Some(parent) = node.parent() {
        if parent.id() == body.id() {
            break;
        }
        if parent.kind() == "if_expression"
            && let Some(condition) = parent.child_by_field_name("condition")
            && text[condition.byte_range()].contains("cfg!")
        {
            return true;
        }
        if matches!(parent.kind(), "expression_statement" | "let_declaration")
            && attributes_of(parent, text).iter().any(|(_, attribute)| attribute.contains("cfg("))
        {
            return true;
        }
        node = parent;
    }
    false
}

/// The last expression of a block.
fn last_expression(block: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = block.walk();
    let last = block.named_children(&mut cursor).filter(|node| !node.is_extra()).last()?;
    match last.kind() {
        "expression_statement" => last.named_child(0),
        kind if kind.ends_with("_expression") || kind == "identifier" => Some(last),
        _ => None,
    }
}

/// The methods a method router serves, and its handler: axum's `get(h).post(h2)`,
/// `on(MethodFilter::GET, h)`, actix's `web::get().to(h)`. No method named: any.
fn method_router(node: Node<'_>, text: &str) -> (Vec<String>, Option<String>) {
    let mut methods = Vec::new();
    let mut handler = None;
    let mut current = Some(node);
    while let Some(node) = current {
        current = None;
        if node.kind() != "call_expression" {
            break;
        }
        let Some(function) = node.child_by_field_name("function") else { break };
        let name = match function.kind() {
            "field_expression" => {
                current = function.child_by_field_name("value");
                function.child_by_field_name("field").map(|field| &text[field.byte_range()])
            }
            _ => Some(last_segment(&text[function.byte_range()])),
        };
        let Some(name) = name else { break };
        let base = name.trim_end_matches("_service");
        let arguments = node.child_by_field_name("arguments").map(|arguments| &text[arguments.byte_range()]).unwrap_or_default();
        if METHODS.contains(&base) {
            methods.push(base.to_ascii_uppercase());
        } else if matches!(name, "on" | "method") {
            let lower = arguments.to_ascii_lowercase();
            methods.extend(METHODS.iter().filter(|method| contains_word(&lower, method)).map(|method| method.to_ascii_uppercase()));
        } else if name == "any" {
            methods.clear();
            return (methods, handler_of(node, text));
        }
        if handler.is_none() && (name == "to" || METHODS.contains(&base)) {
            handler = handler_of(node, text);
        }
    }
    methods.sort();
    methods.dedup();
    (methods, handler)
}

/// The last argument of a call, when it names a function.
fn handler_of(call: Node<'_>, text: &str) -> Option<String> {
    let arguments = call.child_by_field_name("arguments")?;
    let mut cursor = arguments.walk();
    let last = arguments.named_children(&mut cursor).filter(|node| !node.is_extra()).last()?;
    matches!(last.kind(), "identifier" | "scoped_identifier").then(|| last_segment(&text[last.byte_range()]).to_owned())
}

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path).trim()
}

/// The value of a plain string literal.
fn string_value(node: Node<'_>, text: &str) -> Option<String> {
    if node.kind() != "string_literal" {
        return None;
    }
    let raw = &text[node.byte_range()];
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then(|| inner.to_owned())
}

/// Joins a prefix and a path: `/v1` + `/orders` = `/v1/orders`; `/v1` + `/` = `/v1`.
pub fn join(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    if path.is_empty() || path == "/" {
        return if prefix.is_empty() { "/".to_owned() } else { prefix.to_owned() };
    }
    if path.starts_with('/') { format!("{prefix}{path}") } else { format!("{prefix}/{path}") }
}

/// A service that serves the API description or its viewer: Swagger UI, Redoc, RapiDoc,
/// Scalar, an `openapi.json` route.
fn is_docs_service(text: &str) -> bool {
    ["SwaggerUi", "Redoc", "RapiDoc", "Scalar", "swagger_ui", "openapi.json", "openapi.yaml", "api-docs"]
        .iter()
        .any(|sign| text.contains(sign))
}

/// A tower service rather than a router: `ServeDir`, `ServeFile`, `get_service`.
fn is_service_value(text: &str) -> bool {
    ["ServeDir", "ServeFile", "get_service", "service_fn"].iter().any(|sign| text.contains(sign))
}

/// actix-files' `Files::new("/static", dir)`: the mount path.
fn static_files(node: Node<'_>, text: &str) -> Option<String> {
    let source = &text[node.byte_range()];
    if !source.contains("Files::new") {
        return None;
    }
    let quote = source.find('"')?;
    let length = source[quote + 1..].find('"')?;
    Some(source[quote + 1..quote + 1 + length].to_owned())
}

/// One route the crate serves, with its full path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    pub methods: Vec<String>,
    pub path: String,
    /// The file (index into the files the table was built from) and where the path is.
    pub file: usize,
    pub span: Span,
    pub handler: Option<String>,
    pub quiet: bool,
}

/// A router the crate takes from somewhere archlens cannot read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub file: usize,
    pub span: Span,
    pub text: String,
}

/// One file of a crate, for the route table: its module path (`["routes", "orders"]` for
/// `src/routes/orders.rs`) and its route facts.
pub struct TableFile<'f> {
    pub module: Vec<String>,
    pub facts: &'f RouteFacts,
}

/// The module path of a file of a crate: `src/routes/orders.rs` and `src/routes/orders/mod.rs`
/// are `routes::orders`; `src/main.rs` and `src/lib.rs` the crate root.
pub fn module_path(crate_root: &std::path::Path, file: &std::path::Path) -> Vec<String> {
    let Ok(inside) = file.strip_prefix(crate_root.join("src")) else { return Vec::new() };
    let mut parts: Vec<String> = inside.iter().filter_map(|part| part.to_str()).map(str::to_owned).collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if !matches!(stem, "mod" | "main" | "lib") || !parts.is_empty() && stem != "mod" {
            parts.push(stem.to_owned());
        }
    }
    parts
}

/// The routes of a crate, from the route facts of its files.
#[derive(Debug, Default)]
pub struct RouteTable {
    pub served: Vec<Served>,
    pub unresolved: Vec<Unresolved>,
    /// Where each top router is created (or, without `Router::new()`, its function's name):
    /// where a missing route belongs.
    pub roots: Vec<(usize, Span)>,
    /// For each router function (file, name): the prefixes it is mounted under.
    pub prefixes: HashMap<(usize, String), Vec<String>>,
}

type Key = (usize, usize);

struct Resolver<'f> {
    files: &'f [TableFile<'f>],
    functions: HashMap<&'f str, Vec<Key>>,
    handlers: HashMap<&'f str, Vec<Key>>,
}

impl<'f> Resolver<'f> {
    fn function(&self, (file, index): Key) -> &'f RouterFn {
        &self.files[file].facts.functions[index]
    }

    fn module_of(&self, file: usize, module: &[String]) -> Vec<String> {
        self.files[file].module.iter().chain(module).cloned().collect()
    }

    /// The items `path` (as written in `from`) may name, among `candidates`: by the module
    /// path written before the name, else in the same module, else the only one.
    fn resolve(
        &self,
        from: usize,
        from_module: &[String],
        path: &str,
        candidates: Option<&Vec<Key>>,
        module: impl Fn(Key) -> Vec<String>,
    ) -> Vec<Key> {
        let Some(candidates) = candidates else { return Vec::new() };
        let segments: Vec<&str> = path.split("::").map(str::trim).filter(|segment| !segment.is_empty()).collect();
        let qualifier: Vec<&str> = segments[..segments.len().saturating_sub(1)]
            .iter()
            .copied()
            .filter(|segment| !matches!(*segment, "crate" | "self" | "super"))
            .collect();
        let here = self.module_of(from, from_module);
        if !qualifier.is_empty() {
            let found: Vec<Key> = candidates
                .iter()
                .copied()
                .filter(|key| {
                    let module = module(*key);
                    module.len() >= qualifier.len()
                        && module[module.len() - qualifier.len()..].iter().zip(&qualifier).all(|(left, right)| left == right)
                })
                .collect();
            return found;
        }
        let same: Vec<Key> = candidates.iter().copied().filter(|key| module(*key) == here).collect();
        if !same.is_empty() {
            return same;
        }
        if candidates.len() == 1 { candidates.clone() } else { Vec::new() }
    }
}

impl RouteTable {
    pub fn build(files: &[TableFile<'_>]) -> RouteTable {
        let mut resolver = Resolver { files, functions: HashMap::new(), handlers: HashMap::new() };
        for (file, table_file) in files.iter().enumerate() {
            for (index, function) in table_file.facts.functions.iter().enumerate() {
                resolver.functions.entry(function.name.as_str()).or_default().push((file, index));
            }
            for (index, handler) in table_file.facts.attributes.iter().enumerate() {
                resolver.handlers.entry(handler.name.as_str()).or_default().push((file, index));
            }
        }
        // A router function mounted by another is not a top router.
        let mut mounted: HashSet<Key> = HashSet::new();
        for keys in resolver.functions.values() {
            for key in keys {
                let function = resolver.function(*key);
                for mount in &function.mounts {
                    let path = match mount {
                        Mount::Function { path, .. } | Mount::Handler { path, .. } => path,
                        Mount::Unknown { .. } => continue,
                    };
                    let targets = resolver.resolve(key.0, &function.module, path, resolver.functions.get(last_segment(path)), |target| {
                        resolver.module_of(target.0, &resolver.function(target).module)
                    });
                    mounted.extend(targets.into_iter().filter(|target| target != key));
                }
            }
        }
        let mut roots: Vec<Key> = resolver.functions.values().flatten().copied().filter(|key| !mounted.contains(key)).collect();
        roots.sort();
        let mut table = RouteTable::default();
        let mut seen = HashSet::new();
        for root in roots {
            let before = table.served.len() + table.unresolved.len();
            let mut creator = None;
            table.expand(&resolver, root, "", &mut seen, &mut creator, 0);
            let function = resolver.function(root);
            if table.served.len() + table.unresolved.len() > before || function.creates.is_some() {
                table.roots.push(creator.unwrap_or((root.0, function.place.0.clone())));
            }
        }
        table
    }

    fn expand(
        &mut self,
        resolver: &Resolver<'_>,
        key: Key,
        prefix: &str,
        seen: &mut HashSet<(Key, String)>,
        creator: &mut Option<(usize, Span)>,
        depth: usize,
    ) {
        if depth > 16 || !seen.insert((key, prefix.to_owned())) {
            return;
        }
        let (file, function) = (key.0, resolver.function(key));
        if creator.is_none()
            && let Some(creates) = &function.creates
        {
            *creator = Some((file, creates.0.clone()));
        }
        self.prefixes.entry((file, function.name.clone())).or_default().push(prefix.to_owned());
        for route in &function.routes {
            self.served.push(Served {
                methods: route.methods.clone(),
                path: join(prefix, &route.path),
                file,
                span: route.place.0.clone(),
                handler: route.handler.clone(),
                quiet: route.quiet,
            });
        }
        for mount in &function.mounts {
            let (inner, path, place, strict) = match mount {
                Mount::Function { prefix, path, strict, place } => (prefix, path, place, *strict),
                Mount::Handler { prefix, path, place } => (prefix, path, place, true),
                Mount::Unknown { text, place, .. } => {
                    self.unresolved.push(Unresolved { file, span: place.0.clone(), text: text.clone() });
                    continue;
                }
            };
            let nested = join(prefix, inner);
            let name = last_segment(path);
            let handlers = resolver.resolve(file, &function.module, path, resolver.handlers.get(name), |(handler_file, index)| {
                resolver.module_of(handler_file, &resolver.files[handler_file].facts.attributes[index].module)
            });
            for (handler_file, index) in &handlers {
                let handler = &resolver.files[*handler_file].facts.attributes[*index];
                self.prefixes.entry((*handler_file, handler.name.clone())).or_default().push(nested.clone());
                self.served.push(Served {
                    methods: handler.methods.clone(),
                    path: join(&nested, &handler.path),
                    file: *handler_file,
                    span: handler.place.0.clone(),
                    handler: Some(handler.name.clone()),
                    quiet: false,
                });
            }
            let targets = resolver.resolve(file, &function.module, path, resolver.functions.get(name), |target| {
                resolver.module_of(target.0, &resolver.function(target).module)
            });
            for target in &targets {
                if *target != key {
                    self.expand(resolver, *target, &nested, seen, creator, depth + 1);
                }
            }
            if handlers.is_empty() && targets.is_empty() && strict {
                let text = if matches!(mount, Mount::Function { .. }) { format!("{path}(…)") } else { path.clone() };
                self.unresolved.push(Unresolved { file, span: place.0.clone(), text });
            }
        }
    }

    /// Whether every router of the crate could be read.
    pub fn is_complete(&self) -> bool {
        self.unresolved.is_empty()
    }
}

/// A path template in one form for comparing: each parameter (`:id`, `{id}`, `<id>`) becomes
/// `{}`, a catch-all (`*rest`, `{*rest}`, `<path..>`) becomes `**`; no trailing slash.
pub fn normalize(path: &str) -> String {
    let mut out = String::new();
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        out.push('/');
        let catch_all = segment.starts_with('*')
            || segment.starts_with("{*")
            || (segment.starts_with('<') && segment.ends_with("..>"))
            || (segment.starts_with('{') && segment.ends_with(":.*}"));
        if catch_all {
            out.push_str("**");
        } else if segment.starts_with(':') || (segment.starts_with('<') && segment.ends_with('>')) {
            out.push_str("{}");
        } else {
            // `{id}`, and templates inside a segment: `{name}.json`.
            let mut depth = 0;
            for character in segment.chars() {
                match character {
                    '{' => {
                        if depth == 0 {
                            out.push_str("{}");
                        }
                        depth += 1;
                    }
                    '}' => depth = (depth - 1_i32).max(0),
                    _ if depth == 0 => out.push(character),
                    _ => {}
                }
            }
        }
    }
    if out.is_empty() { "/".to_owned() } else { out }
}

/// Whether a normalized route path serves a normalized document path.
pub fn path_matches(route: &str, document: &str) -> bool {
    if route == document {
        return true;
    }
    let route: Vec<&str> = route.split('/').filter(|segment| !segment.is_empty()).collect();
    let document: Vec<&str> = document.split('/').filter(|segment| !segment.is_empty()).collect();
    match route.iter().position(|segment| *segment == "**") {
        Some(at) => document.len() >= at && route[..at].iter().zip(&document).all(|(left, right)| segment_matches(left, right)),
        None => route.len() == document.len() && route.iter().zip(&document).all(|(left, right)| segment_matches(left, right)),
    }
}

fn segment_matches(route: &str, document: &str) -> bool {
    route == document || route == "{}" && document == "{}"
}

/// A path as the document writes it: `:id` and `<id>` become `{id}`, catch-alls `{rest}`.
pub fn openapi_path(path: &str) -> String {
    let mut out = String::new();
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        out.push('/');
        let name = segment
            .strip_prefix("{*")
            .and_then(|rest| rest.strip_suffix('}'))
            .or_else(|| segment.strip_prefix(':'))
            .or_else(|| segment.strip_prefix('*'))
            .or_else(|| segment.strip_prefix('<').and_then(|rest| rest.strip_suffix('>')).map(|rest| rest.trim_end_matches("..")));
        match name {
            Some(name) => out.push_str(&format!("{{{name}}}")),
            None => out.push_str(segment),
        }
    }
    if out.is_empty() { "/".to_owned() } else { out }
}

/// The names of the parameters of a path template, in order.
pub fn parameter_names(path: &str) -> Vec<String> {
    openapi_path(path)
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')))
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Health, readiness and liveness probes: `/health`, `/healthz`, `/ready`, `/livez`, `/ping`.
pub fn is_probe(path: &str) -> bool {
    path.split('/').any(|segment| {
        let segment = segment.to_ascii_lowercase();
        matches!(
            segment.as_str(),
            "health"
                | "healthz"
                | "healthcheck"
                | "health-check"
                | "health_check"
                | "ready"
                | "readyz"
                | "readiness"
                | "live"
                | "livez"
                | "liveness"
                | "ping"
                | "startup"
                | "startupz"
        )
    })
}

/// Operational routes that an API contract does not describe: probes, metrics, the API
/// description itself and its viewers, static files (`/assets/…`, `/static/…`, a file
/// name with a web asset's extension).
pub fn is_operational(path: &str) -> bool {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or_default();
    let asset = matches!(first, "assets" | "static" | "css" | "js" | "img" | "images" | "fonts")
        || path.rsplit('/').next().and_then(|last| last.rsplit_once('.')).is_some_and(|(_, extension)| {
            matches!(extension, "ico" | "png" | "svg" | "css" | "js" | "map" | "html" | "txt" | "webmanifest" | "woff2" | "jpg")
        });
    asset
        || is_probe(path)
        || path.split('/').any(|segment| {
            matches!(
                segment,
                "metrics"
                    | "openapi.json"
                    | "openapi.yaml"
                    | "openapi.yml"
                    | "api-docs"
                    | "swagger-ui"
                    | "swagger"
                    | "redoc"
                    | "docs"
                    | "favicon.ico"
                    | "robots.txt"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str) -> RouteFacts {
        let tree = crate::rust::parse(text).unwrap();
        RouteFacts::of_range(&tree, text, 0..text.len())
    }

    fn served(files: &[(&str, &str)]) -> Vec<String> {
        let facts: Vec<RouteFacts> = files.iter().map(|(_, text)| facts(text)).collect();
        let table_files: Vec<TableFile<'_>> = files
            .iter()
            .zip(&facts)
            .map(|((module, _), facts)| TableFile {
                module: module.split("::").filter(|part| !part.is_empty()).map(str::to_owned).collect(),
                facts,
            })
            .collect();
        let table = RouteTable::build(&table_files);
        let mut routes: Vec<String> = table
            .served
            .iter()
            .map(|route| {
                format!(
                    "{} {}{}",
                    if route.methods.is_empty() { "ANY".to_owned() } else { route.methods.join(",") },
                    route.path,
                    if route.quiet { " (quiet)" } else { "" }
                )
            })
            .collect();
        routes.extend(table.unresolved.iter().map(|unresolved| format!("unresolved {}", unresolved.text)));
        routes.sort();
        routes
    }

    #[test]
    fn axum_nests_across_functions_and_files() {
        let main = r#"
fn main() {
    let app = routes::router(state);
    axum::serve(listener, app).await.unwrap();
}
"#;
        let routes = r#"
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/orders", get(orders::list).post(orders::create))
        .route("/orders/:id", get(orders::get).delete(orders::delete))
        .merge(customers::routes());
    let app = Router::new().route("/healthz", get(health)).nest("/v1", api);
    #[cfg(debug_assertions)]
    let app = app.route("/debug/state", get(debug_state));
    app.nest_service("/assets", ServeDir::new("assets")).merge(SwaggerUi::new("/swagger-ui").url("/api-docs/openapi.json", ApiDoc::openapi()))
        .with_state(state)
}
"#;
        let customers = r#"
pub fn routes() -> Router<AppState> {
    Router::new().route("/customers/{id}", get(get_customer).patch(update_customer)).route_service("/files/*path", ServeDir::new("x"))
}
#[cfg(test)]
mod tests {
    fn app() -> Router { Router::new().route("/test-only", get(x)) }
}
"#;
        assert_eq!(
            served(&[("", main), ("routes", routes), ("routes::customers", customers)]),
            [
                "ANY /assets/*rest (quiet)",
                "ANY /v1/files/*path (quiet)",
                "DELETE,GET /v1/orders/:id",
                "GET /debug/state (quiet)",
                "GET /healthz",
                "GET,PATCH /v1/customers/{id}",
                "GET,POST /v1/orders",
            ]
        );
    }

    #[test]
    fn actix_scopes_resources_and_attributes() {
        let text = r#"
#[get("/users/{id}")]
async fn get_user() -> impl Responder { "" }
#[actix_web::post("/users")]
async fn create_user() -> impl Responder { "" }
#[route("/ping", method = "GET", method = "HEAD")]
async fn ping() -> &'static str { "" }
fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/orders").route(web::get().to(list_orders)).route(web::post().to(create_order)));
}
#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .service(web::scope("/api/v1").service(get_user).service(create_user).configure(config))
            .service(ping)
            .service(Files::new("/static", "./static"))
            .route("/", web::get().to(index))
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}
"#;
        assert_eq!(
            served(&[("", text)]),
            [
                "ANY /static/*rest (quiet)",
                "GET /",
                "GET /api/v1/orders",
                "GET /api/v1/users/{id}",
                "GET,HEAD /ping",
                "POST /api/v1/orders",
                "POST /api/v1/users",
            ]
        );
    }

    #[test]
    fn rocket_mounts_and_unresolved_routers() {
        let rocket = r#"
#[get("/hello/<name>")]
fn hello(name: &str) -> String { name.into() }
#[post("/items", data = "<item>")]
fn create(item: Json<Item>) {}
#[launch]
fn rocket() -> _ { rocket::build().mount("/api", routes![hello, create]) }
"#;
        assert_eq!(served(&[("", rocket)]), ["GET /api/hello/<name>", "POST /api/items"]);
        let merged = r#"
fn app(admin: Router) -> Router {
    Router::new().route("/a", get(a)).merge(admin_crate::router()).nest("/admin", admin)
}
"#;
        assert_eq!(served(&[("", merged)]), ["GET /a", "unresolved admin", "unresolved admin_crate::router(…)"]);
        // Every module has its `router`: each mount takes its own.
        let main = r#"fn app() -> Router { Router::new().nest("/orders", orders::router()).nest("/users", users::router()) }"#;
        let orders = r#"pub fn router() -> Router { Router::new().route("/", get(list)).route("/{id}", get(one)) }"#;
        let users = r#"pub fn router() -> Router { Router::new().route("/", post(create)) }"#;
        assert_eq!(
            served(&[("", main), ("api::orders", orders), ("api::users", users)]),
            ["GET /orders", "GET /orders/{id}", "POST /users"]
        );
    }

    #[test]
    fn paths_compare_across_frameworks() {
        assert_eq!(normalize("/v1/orders/:id/items/{item}"), "/v1/orders/{}/items/{}");
        assert_eq!(normalize("/hello/<name>/"), "/hello/{}");
        assert_eq!(normalize("/files/*rest"), "/files/**");
        assert_eq!(normalize("/files/{*rest}"), "/files/**");
        assert_eq!(normalize("/report/{name}.json"), "/report/{}.json");
        assert!(path_matches(&normalize("/files/*rest"), &normalize("/files/{a}/{b}")));
        assert!(!path_matches(&normalize("/orders/:id"), &normalize("/orders/search")));
        assert_eq!(openapi_path("/orders/:order_id/items/<item_id>"), "/orders/{order_id}/items/{item_id}");
        assert_eq!(parameter_names("/a/:x/b/{y}"), ["x", "y"]);
        assert!(is_probe("/healthz") && is_probe("/v1/health/ready") && !is_probe("/orders/status"));
        assert!(is_operational("/assets/{_:.*}") && is_operational("/site.webmanifest") && !is_operational("/v1/orders/{id}"));
        assert_eq!(join("/v1", "/"), "/v1");
        assert_eq!(join("", "/a"), "/a");
    }
}
