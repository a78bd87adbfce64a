use crate::analysis::{RuleContext, Sink};
use crate::openapi::model::SpecVersion;
use crate::openapi::pointer::JsonPointer;
use crate::openapi::structure::validate;
use crate::openapi::syntax::Node;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for documents that are not valid OpenAPI: YAML or JSON syntax (in the document and in
    /// every file it references), an `openapi` version of 3.0.x or 3.1.x, and the structure
    /// the specification requires: required fields (also those that depend on another
    /// field, such as `name` and `in` of an `apiKey` security scheme), the type of every
    /// field it defines, allowed values (`in`, status codes, schema types of each version),
    /// and fields it does not define (with the likely meant one when it is a typo; custom
    /// fields start with `x-`). Schemas are open: only the type of the keywords OpenAPI lists
    /// is checked. Every problem is reported where it is (a guard stops at 10,000 per document, for
    /// generated garbage). Swagger 2.0
    /// documents get one diagnostic saying they are not supported.
    ///
    /// References are followed the way tools follow them: the target of a reference object
    /// is checked where it lives, in the document or, once, in the file it points to; a
    /// `$ref` that stands for an operation, a whole map or a plain value is checked as that.
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
            // A document that could not be read at all already says why.
            if root_file.parsed.errors.is_empty() {
                sink.span(project.root, 0..0, JsonPointer::root(), "the document is empty");
            }
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
        let label = match version {
            SpecVersion::V30 => "3.0",
            SpecVersion::V31 => "3.1",
        };
        for problem in validate(project, version) {
            sink.span(problem.file, problem.span, problem.pointer, format!("not valid OpenAPI {label}: {}", problem.message));
        }
    }
}

fn first_key_span(root: &Node) -> std::ops::Range<usize> {
    root.as_map().and_then(|entries| entries.first()).map_or(root.span.start..root.span.start, |entry| entry.key_span.clone())
}
