use serde_json::{Map, Value as Json, json};

use crate::analysis::{Fix, Sink};
use crate::openapi::edit::{TextEdit, insert_member};
use crate::rules::{Check, declare_rule};
use crate::rust::RustFile;
use crate::rust::routes::{self, RouteFacts};
use crate::workspace::services::SpecSummary;

declare_rule! {
    /// ## What it does
    /// Checks for routes a Rust service serves that the OpenAPI document of the service does
    /// not describe: spec drift. Routes are read from axum routers (`route`, `nest`, `merge`,
    /// `route_service`, across functions and modules of the crate), actix-web (route
    /// attributes, `web::scope`, `web::resource`, `configure`) and rocket (`mount` with
    /// `routes![…]`), and compared with the document's paths under its server base paths
    /// (`https://api.example.com/v1`), whatever the parameter syntax (`:id`, `{id}`, `<id>`).
    ///
    /// The document of a crate is the one inside the crate's folder, or the one `[[services]]`
    /// in `archlens.toml` names. Routes only compiled in debug builds or behind a `cfg`,
    /// static files, health probes, metrics and the routes that serve the API description
    /// itself are left alone; so is a route with `// archlens: allow(ARC002)` above it.
    ///
    /// ## Why is this bad?
    /// The document is the contract clients, gateways and generated SDKs are built from. A
    /// route it lacks is invisible to them: it gets no client code, no gateway rule, no
    /// security review, and no one notices when it changes. Undocumented routes are also how
    /// old endpoints linger long after everyone thinks they were removed.
    ///
    /// ## Example
    /// ```rust
    /// Router::new()
    ///     .route("/orders", get(list_orders))
    ///     .route("/orders/:id/refund", post(refund_order)) // not in openapi.yaml
    /// ```
    ///
    /// Use instead: describe the operation in the document (the fix adds a stub with its
    /// path parameters and standard responses), or mark the route as intentionally
    /// undocumented:
    /// ```rust
    /// // archlens: allow(ARC002) -- internal, called by the billing job only
    /// .route("/orders/:id/refund", post(refund_order))
    /// ```
    pub struct RouteMissingFromSpec {
        code: "ARC002",
        name: "route-missing-from-spec",
        area: Arc,
        severity: Warning,
        input: Service,
    }
}

/// A route of this file to look for in the documents: its full path, methods, where its path
/// is written, and its handler.
type RouteCheck = (String, Vec<String>, std::ops::Range<usize>, Option<String>);

impl Check for RouteMissingFromSpec {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        let specs = &file.crate_facts().specs;
        if specs.is_empty() || file.kind != crate::rust::FileKind::Source {
            return;
        }
        let (table, paths) = file.routes();
        let Some(own) = paths.iter().position(|path| path == file.path) else { return };
        let local = RouteFacts::of_range(file.tree, file.text, 0..file.text.len());
        let mut checks: Vec<RouteCheck> = Vec::new();
        for function in &local.functions {
            let Some(prefixes) = table.prefixes.get(&(own, function.name.clone())) else { continue };
            for route in function.routes.iter().filter(|route| !route.quiet && file.in_scope_span(&route.place.0)) {
                for prefix in prefixes {
                    checks.push((routes::join(prefix, &route.path), route.methods.clone(), route.place.0.clone(), route.handler.clone()));
                }
            }
        }
        for attribute in local.attributes.iter().filter(|attribute| file.in_scope_span(&attribute.place.0)) {
            let Some(prefixes) = table.prefixes.get(&(own, attribute.name.clone())) else { continue };
            for prefix in prefixes {
                let path = routes::join(prefix, &attribute.path);
                checks.push((path, attribute.methods.clone(), attribute.place.0.clone(), Some(attribute.name.clone())));
            }
        }
        checks.sort_by(|left, right| (left.2.start, &left.0).cmp(&(right.2.start, &right.0)));
        checks.dedup();
        for (path, methods, span, handler) in checks {
            if routes::is_operational(&path) {
                continue;
            }
            let normalized = routes::normalize(&path);
            let missing: Vec<String> = match specs.iter().map(|spec| spec.undescribed(&methods, &normalized)).min_by_key(Vec::len) {
                Some(missing) => missing,
                None => continue,
            };
            if missing.is_empty() {
                continue;
            }
            let spec = &specs[0];
            let name = spec.document.file_name().unwrap_or_default().to_string_lossy();
            let shown = routes::openapi_path(&path);
            let what = if missing == ["*"] { format!("`{shown}` (any method)") } else { format!("`{} {shown}`", missing.join(", ")) };
            let finding = file.report_span(sink, span, format!("{what} is served here but `{name}` does not describe it")).elsewhere(
                spec.document.clone(),
                spec.text.clone(),
                spec.span.clone(),
                format!("the paths of `{name}`"),
            );
            if missing != ["*"]
                && let Some(fix) = add_operation(spec, &path, &missing, handler.as_deref())
            {
                finding.fix(fix);
            }
        }
    }
}

/// The fix that adds the operations to the document: into the path item when the path is
/// there, else a new path item in `paths`.
fn add_operation(spec: &SpecSummary, path: &str, methods: &[String], handler: Option<&str>) -> Option<Fix> {
    let (item, written) = spec.place_for(path);
    let operations: Vec<(String, Json)> =
        methods.iter().map(|method| (method.to_ascii_lowercase(), operation(method, &written, handler))).collect();
    let title = format!("Add {} {written} to `{}`", methods.join(", "), spec.document.file_name().unwrap_or_default().to_string_lossy());
    let (anchor, edit) = match item {
        Some(item) => {
            // One insertion, the methods one after the other.
            let mut edits = operations.iter().map(|(method, value)| insert_member(&item.text, item.format, &item.node, method, value));
            let mut edit: TextEdit = edits.next()?;
            for next in edits {
                edit.new_text.push_str(&next.new_text);
            }
            (item, edit)
        }
        None => {
            let (anchor, has_paths) = spec.paths.as_ref()?;
            let value = Json::Object(operations.into_iter().collect::<Map<String, Json>>());
            let edit = if *has_paths {
                insert_member(&anchor.text, anchor.format, &anchor.node, &written, &value)
            } else {
                insert_member(&anchor.text, anchor.format, &anchor.node, "paths", &json!({ written.clone(): value }))
            };
            (anchor, edit)
        }
    };
    Some(Fix::in_file(title, anchor.file.clone(), anchor.text.clone(), vec![edit]))
}

/// An operation stub: a summary from the handler's name, its path parameters and the
/// responses the method usually has.
fn operation(method: &str, path: &str, handler: Option<&str>) -> Json {
    let parameters = routes::parameter_names(path);
    let mut operation = Map::new();
    let summary = handler.map(sentence).unwrap_or_else(|| format!("{method} {path}"));
    operation.insert("summary".into(), json!(summary));
    if let Some(handler) = handler {
        operation.insert("operationId".into(), json!(camel_case(handler)));
    }
    if !parameters.is_empty() {
        let parameters: Vec<Json> =
            parameters.iter().map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } })).collect();
        operation.insert("parameters".into(), Json::Array(parameters));
    }
    let mut responses = Map::new();
    let (code, description) = match method {
        "POST" => ("201", "Created"),
        "DELETE" => ("204", "Deleted"),
        _ => ("200", "OK"),
    };
    responses.insert(code.into(), json!({ "description": description }));
    if matches!(method, "POST" | "PUT" | "PATCH") {
        responses.insert("400".into(), json!({ "description": "The request is not valid" }));
    }
    if !parameters.is_empty() {
        responses.insert("404".into(), json!({ "description": "Not found" }));
    }
    operation.insert("responses".into(), Json::Object(responses));
    Json::Object(operation)
}

/// `refund_order` → "Refund order".
fn sentence(name: &str) -> String {
    let words = name.split('_').filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ");
    let mut characters = words.chars();
    characters.next().map(|first| first.to_uppercase().chain(characters).collect()).unwrap_or_default()
}

/// `refund_order` → `refundOrder`.
fn camel_case(name: &str) -> String {
    let mut out = String::new();
    for (index, word) in name.split('_').filter(|word| !word.is_empty()).enumerate() {
        if index == 0 {
            out.push_str(word);
        } else {
            let mut characters = word.chars();
            if let Some(first) = characters.next() {
                out.extend(first.to_uppercase());
                out.push_str(characters.as_str());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn stubs_read_like_the_handler() {
        assert_eq!(super::sentence("refund_order"), "Refund order");
        assert_eq!(super::camel_case("refund_order"), "refundOrder");
        let stub = super::operation("POST", "/orders/{order_id}/refund", Some("refund_order"));
        assert_eq!(stub["parameters"][0]["name"], "order_id");
        assert!(stub["responses"].get("201").is_some() && stub["responses"].get("404").is_some());
    }
}
