//! The schemas a client sends: parameter schemas and the JSON request bodies of POST, PUT
//! and PATCH, with `$ref`s followed. Shared by the input-validation rules (API021, API022).

use crate::analysis::RuleContext;
use crate::openapi::model::{ApiModel, NodeAt, resolve_at};
use crate::openapi::syntax::{Node, Value};

/// The JSON request body schemas of writes (`application/json` and `*+json`), each with the
/// operation that sends it (`POST /users`).
pub fn json_body_schemas<'p>(context: &RuleContext<'p>, model: &ApiModel<'p>) -> Vec<(String, NodeAt<'p>)> {
    let mut schemas = Vec::new();
    for operation in model.operations().filter(|operation| matches!(operation.method, "post" | "put" | "patch")) {
        let Some(body) = operation.at.child("requestBody") else { continue };
        let body = resolve_at(context.project, &body);
        let Some(content) = body.child("content") else { continue };
        for media in content.entries() {
            let media_type = media.name().to_ascii_lowercase();
            let media_type = media_type.split(';').next().unwrap_or_default().trim().to_owned();
            if media_type != "application/json" && !media_type.ends_with("+json") {
                continue;
            }
            if let Some(schema) = media.child("schema") {
                schemas.push((operation.label(), resolve_at(context.project, &schema)));
            }
        }
    }
    schemas
}

/// The schema's types, without `null` (`type: string` or, in 3.1, `type: [string, "null"]`).
pub fn schema_types(schema: &Node) -> Vec<&str> {
    match schema.get("type").map(|kind| &kind.value) {
        Some(Value::String(single)) => vec![single.as_str()],
        Some(Value::Seq(many)) => many.iter().filter_map(Node::as_str).filter(|kind| *kind != "null").collect(),
        _ => Vec::new(),
    }
}

/// True for `type: object` or a schema with `properties`.
pub fn is_object_schema(schema: &Node) -> bool {
    schema_types(schema).contains(&"object") || schema.get("properties").is_some()
}
