//! What the files of one crate say about each other: which functions a router registers as
//! handlers (a handler is often defined in one module and routed in another, through
//! `.nest` and `Router` chains), and whether a tracing layer (`TraceLayer`, `TracingLogger`)
//! wraps the router. The workspace gathers them per crate (`workspace::crates`).

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use tree_sitter::{Node, Tree};

/// What one file contributes to its crate.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub struct FileFacts {
    /// The last path segment of each function registered as a route (`list` for
    /// `get(handlers::list)`).
    pub routed: Vec<String>,
    /// A `TraceLayer` or `TracingLogger` is given to a `.layer(…)` or `.wrap(…)` call.
    pub traced: bool,
    /// The routers its functions build and its handlers with route attributes.
    pub routes: super::routes::RouteFacts,
}

impl FileFacts {
    /// The facts of a file from those of its parts.
    pub fn merge<'p>(parts: impl IntoIterator<Item = &'p FileFacts>) -> FileFacts {
        let mut merged = FileFacts::default();
        for part in parts {
            merged.routed.extend(part.routed.iter().cloned());
            merged.traced |= part.traced;
            merged.routes.extend(&part.routes);
        }
        merged.routed.sort();
        merged.routed.dedup();
        merged
    }

    pub fn is_empty(&self) -> bool {
        self.routed.is_empty() && !self.traced && self.routes.is_empty()
    }

    /// The facts of a file's text. Only text that can register routes or layers is parsed:
    /// it names `.route(`, `web::`, `routing::`, `MethodRouter`, `TraceLayer`,
    /// `TracingLogger`, a router or a route attribute.
    pub fn of_text(text: &str) -> FileFacts {
        if !has_signs(text) {
            return FileFacts::default();
        }
        super::parse(text).map(|tree| FileFacts::of_tree(&tree, text)).unwrap_or_default()
    }

    /// The facts of a file already parsed; a file whose text shows no sign of routing or
    /// layers says nothing, without a walk of its tree.
    pub fn of_parsed(tree: &Tree, text: &str) -> FileFacts {
        if has_signs(text) { FileFacts::of_tree(tree, text) } else { FileFacts::default() }
    }

    /// The facts of a parsed file, from one walk of its tree.
    pub fn of_tree(tree: &Tree, text: &str) -> FileFacts {
        FileFacts::of_range(tree, text, 0..text.len())
    }

    /// The facts of the part of a parsed file within `range`.
    pub fn of_range(tree: &Tree, text: &str, range: std::ops::Range<usize>) -> FileFacts {
        let mut facts = FileFacts::default();
        let mut cursor = tree.walk();
        let mut stack = super::top_level(tree, range.clone());
        while let Some(node) = stack.pop() {
            stack.extend(node.children(&mut cursor).filter(|child| child.start_byte() < range.end && range.start < child.end_byte()));
            if node.kind() == "call_expression" && range.start <= node.start_byte() && node.end_byte() <= range.end {
                facts.read_call(node, text);
            }
        }
        facts.routed.sort();
        facts.routed.dedup();
        facts.routes = super::routes::RouteFacts::of_range(tree, text, range);
        facts
    }

    fn read_call(&mut self, call: Node<'_>, text: &str) {
        let Some(function) = call.child_by_field_name("function") else { return };
        let callee = match function.kind() {
            "field_expression" => function.child_by_field_name("field").map(|field| &text[field.byte_range()]),
            "identifier" | "scoped_identifier" => text[function.byte_range()].rsplit("::").next(),
            _ => None,
        };
        let Some(callee) = callee else { return };
        let Some(arguments) = call.child_by_field_name("arguments") else { return };
        if matches!(callee, "layer" | "wrap") {
            let inside = &text[arguments.byte_range()];
            self.traced |= inside.contains("TraceLayer") || inside.contains("TracingLogger");
            return;
        }
        if !ROUTE_FUNCTIONS.contains(&callee) {
            return;
        }
        let mut cursor = arguments.walk();
        if let Some(last) = arguments.named_children(&mut cursor).last()
            && matches!(last.kind(), "identifier" | "scoped_identifier")
        {
            let name = text[last.byte_range()].rsplit("::").next().unwrap_or_default();
            self.routed.push(name.to_owned());
        }
    }
}

/// Whether a text can register routes or layers: it names `.route(`, `web::`, `routing::`,
/// `MethodRouter`, `TraceLayer`, `TracingLogger`, a router or a route attribute.
pub(crate) fn has_signs(text: &str) -> bool {
    const SIGNS: [&str; 14] = [
        ".route(",
        "web::",
        "routing::",
        "MethodRouter",
        "TraceLayer",
        "TracingLogger",
        "Router",
        ".nest",
        ".merge(",
        ".service(",
        ".mount(",
        "#[get(",
        "#[post(",
        "#[route(",
    ];
    SIGNS.iter().any(|sign| text.contains(sign))
}

/// Files of a crate that are not part of the service it runs: tests, benches, examples and
/// build scripts.
fn is_outside_service(root: &std::path::Path, path: &std::path::Path) -> bool {
    match path.strip_prefix(root) {
        Ok(inside) if !root.as_os_str().is_empty() => !inside.starts_with("src"),
        _ => false,
    }
}

/// Functions and methods that register a handler (their last argument): axum's `get(h)`,
/// `.post(h)`, `on(filter, h)`, actix-web's `.to(h)`.
const ROUTE_FUNCTIONS: [&str; 11] = ["get", "post", "put", "delete", "patch", "head", "options", "trace", "any", "on", "to"];

/// The facts of the other files of a crate.
#[derive(Debug, Default, Clone)]
pub struct CrateFacts {
    files: Vec<(PathBuf, Arc<FileFacts>)>,
    /// The crate's folder.
    pub root: Option<PathBuf>,
    /// The OpenAPI documents that describe the crate's routes.
    pub specs: Vec<Arc<crate::workspace::services::SpecSummary>>,
}

impl CrateFacts {
    /// Whether another file of the crate registers a function of this name as a route.
    pub fn routes(&self, name: &str) -> bool {
        self.files.iter().any(|(_, facts)| facts.routed.iter().any(|routed| routed == name))
    }

    /// Whether another file of the crate wraps a router in a tracing layer.
    pub fn traced(&self) -> bool {
        self.files.iter().any(|(_, facts)| facts.traced)
    }

    pub fn new(mut files: Vec<(PathBuf, Arc<FileFacts>)>) -> CrateFacts {
        files.retain(|(_, facts)| !facts.is_empty());
        files.sort_by(|left, right| left.0.cmp(&right.0));
        CrateFacts { files, root: None, specs: Vec::new() }
    }

    /// A fingerprint of the facts, to tell whether they changed.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = std::hash::DefaultHasher::new();
        self.files.hash(&mut hasher);
        for spec in &self.specs {
            spec.fingerprint().hash(&mut hasher);
        }
        hasher.finish()
    }

    /// The routes of the crate: the route table of its files, with `own` (a file being checked,
    /// and its facts now) among them, and the path of each file of the table.
    pub fn route_table(&self, own: Option<(&std::path::Path, &super::routes::RouteFacts)>) -> (super::routes::RouteTable, Vec<PathBuf>) {
        let root = self.root.clone().unwrap_or_default();
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut facts: Vec<&super::routes::RouteFacts> = Vec::new();
        for (path, file) in &self.files {
            if own.is_some_and(|(own, _)| own == path) || file.routes.is_empty() || is_outside_service(&root, path) {
                continue;
            }
            paths.push(path.clone());
            facts.push(&file.routes);
        }
        if let Some((path, routes)) = own
            && !is_outside_service(&root, path)
        {
            paths.push(path.to_path_buf());
            facts.push(routes);
        }
        let files: Vec<super::routes::TableFile<'_>> = paths
            .iter()
            .zip(facts)
            .map(|(path, facts)| super::routes::TableFile { module: super::routes::module_path(&root, path), facts })
            .collect();
        (super::routes::RouteTable::build(&files), paths)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_routes_and_layers() {
        let text = r#"
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/orders", get(orders::list_orders).post(orders::create_order))
        .route("/health", get(|| async { "ok" }));
    Router::new().nest("/v1", api).layer(ServiceBuilder::new().layer(TraceLayer::new_for_http())).with_state(state)
}
fn actix(cfg: &mut web::ServiceConfig) { cfg.service(web::resource("/x").route(web::get().to(handlers::index))); }
"#;
        let facts = FileFacts::of_text(text);
        assert_eq!(facts.routed, ["create_order", "index", "list_orders"]);
        assert!(facts.traced);
        let plain = FileFacts::of_text("fn f(map: &HashMap<u8, u8>) { map.get(&1); }");
        assert!(plain.is_empty(), "{plain:?}");
    }
}
