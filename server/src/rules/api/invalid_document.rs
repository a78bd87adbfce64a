use crate::analysis::{RuleContext, Sink};
use crate::openapi::model::{HTTP_METHODS, SpecVersion};
use crate::openapi::pointer::{JsonPointer, locate};
use crate::openapi::project::{FileId, Project};
use crate::openapi::syntax::{Node, Value};
use crate::openapi::validate::validate;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for documents that are not valid OpenAPI: YAML or JSON syntax (in the document and in
    /// every file it references), an `openapi` version of 3.0.x or 3.1.x, and the structure
    /// the specification requires (required fields, types), validated against the typed
    /// models of OpenAPI 3.0 and 3.1. Swagger 2.0 documents get one diagnostic saying they
    /// are not supported.
    ///
    /// A syntax error is reported where it is and the rest of the document is still
    /// checked; findings about the node that holds the error wait until it parses.
    ///
    /// ## Why is this bad?
    /// Tools stop at an invalid document: code generators fail, gateways refuse to load it,
    /// and documentation renders half of it. Every other finding is less reliable until the
    /// document is valid.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.3
    /// info:
    ///   title: Shop
    /// paths:
    ///   /orders:
    ///     get:
    ///       responses: OK
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// openapi: 3.0.3
    /// info:
    ///   title: Shop
    ///   version: "1.0"
    /// paths:
    ///   /orders:
    ///     get:
    ///       responses:
    ///         "200":
    ///           description: OK
    /// ```
    ///
    /// ## Fix
    /// None: the message says what the specification expects at that place.
    pub struct InvalidDocument {
        code: "API024",
        name: "invalid-document",
        area: Api,
        severity: Error,
    }
}

impl Check for InvalidDocument {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let project = context.project;
        for (file_id, file) in project.files.iter().enumerate() {
            for error in &file.parsed.errors {
                sink.span(file_id, error.span.clone(), JsonPointer::root(), error.message.clone());
            }
        }
        let root_file = project.file(project.root);
        let Some(root) = root_file.root() else {
            sink.span(project.root, 0..0, JsonPointer::root(), "the document is empty");
            return;
        };
        if root.as_map().is_none() {
            sink.span(project.root, root.span.clone(), JsonPointer::root(), "an OpenAPI document must be a mapping");
            return;
        }
        if let Some(swagger) = root.entry("swagger") {
            sink.span(
                project.root,
                swagger.key_span.clone(),
                JsonPointer::root().child("swagger"),
                "Swagger 2.0 documents are not supported yet; convert the document to OpenAPI 3",
            );
            return;
        }
        let Some(version_entry) = root.entry("openapi") else {
            sink.span(project.root, first_key_span(root), JsonPointer::root(), "the document has no `openapi` version field");
            return;
        };
        let version_text = version_entry.value.scalar_text().unwrap_or_default();
        let version = if version_text.starts_with("3.0.") || version_text == "3.0" {
            SpecVersion::V30
        } else if version_text.starts_with("3.1.") || version_text == "3.1" {
            SpecVersion::V31
        } else {
            sink.span(
                project.root,
                version_entry.value.span.clone(),
                JsonPointer::root().child("openapi"),
                format!("unsupported OpenAPI version `{version_text}`; archlens reads 3.0.x and 3.1.x"),
            );
            return;
        };
        // A partial tree from a half-typed document would only produce echoes of its syntax error.
        if !root_file.parsed.errors.is_empty() {
            return;
        }
        if let Some(problem) = validate(&document_json(project, project.root, root, &JsonPointer::root(), &mut Vec::new(), 0), version) {
            let mut pointer = problem.pointer.clone();
            let span = loop {
                if let Some(located) = locate(root, &pointer) {
                    break if pointer.as_str().is_empty() { first_key_span(root) } else { located.key_or_value_span() };
                }
                pointer = pointer.parent().unwrap_or_default();
            };
            let label = match version {
                SpecVersion::V30 => "3.0",
                SpecVersion::V31 => "3.1",
            };
            sink.span(
                project.root,
                span,
                pointer,
                format!("not a valid OpenAPI {label} document at `{}`: {}", problem.pointer, problem.message),
            );
        }
    }
}

/// Keys whose value is a map of named things: a `$ref` standing for the whole map is not a
/// reference object, but a JSON Reference that tools resolve.
const MAP_POSITIONS: [&str; 9] =
    ["properties", "patternProperties", "responses", "content", "headers", "links", "callbacks", "variables", "encoding"];

/// How many non-standard references one chain may inline.
const MAX_INLINE_DEPTH: usize = 16;

/// The document as JSON for validation, with the references tools resolve although the
/// specification allows none there inlined: operations (split documents `$ref` whole
/// operations), whole maps of named things (`properties: {$ref: …}`), lists, and plain
/// values (a `description` kept in another file). `logical` is the
/// path in the assembled document; `physical` is where the node really is.
fn document_json(
    project: &Project,
    file: FileId,
    node: &Node,
    physical: &JsonPointer,
    logical: &mut Vec<String>,
    depth: usize,
) -> serde_json::Value {
    if node.reference().is_some() && depth < MAX_INLINE_DEPTH {
        let is_operation = logical.len() == 3 && logical[0] == "paths" && HTTP_METHODS.contains(&logical[2].as_str());
        if let Ok(resolved) = project.resolve(file, node, physical) {
            let is_plain_value = matches!(resolved.node.value, Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Seq(_));
            let replaces_a_map = logical.last().is_some_and(|key| MAP_POSITIONS.contains(&key.as_str()));
            if is_operation || is_plain_value || replaces_a_map {
                let (target_file, target_pointer) = project.resolved_pointer(file, node, physical);
                return document_json(project, target_file, resolved.node, &target_pointer, logical, depth + 1);
            }
        }
    }
    match &node.value {
        Value::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|entry| {
                    logical.push(entry.key.clone());
                    let value = document_json(project, file, &entry.value, &physical.child(&entry.key), logical, depth);
                    logical.pop();
                    (entry.key.clone(), value)
                })
                .collect(),
        ),
        Value::Seq(items) => serde_json::Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    logical.push(index.to_string());
                    let value = document_json(project, file, item, &physical.index(index), logical, depth);
                    logical.pop();
                    value
                })
                .collect(),
        ),
        _ => node.to_json(),
    }
}

fn first_key_span(root: &Node) -> std::ops::Range<usize> {
    root.as_map().and_then(|entries| entries.first()).map_or(root.span.start..root.span.start, |entry| entry.key_span.clone())
}
