//! Structural validation against the typed OpenAPI models: `openapiv3` for 3.0 and `oas3`
//! for 3.1. The first problem is reported with the pointer of the value that caused it.

use serde_path_to_error::Segment;

use super::model::SpecVersion;
use super::pointer::JsonPointer;

#[derive(Debug, Clone, PartialEq)]
pub struct ValidationProblem {
    pub pointer: JsonPointer,
    pub message: String,
}

/// Validates a whole document given as JSON (with any references the caller chose to
/// inline already replaced); `None` when it is valid.
pub fn validate(document: &serde_json::Value, version: SpecVersion) -> Option<ValidationProblem> {
    let problem = match version {
        SpecVersion::V30 => first_error::<openapiv3::OpenAPI>(document, &JsonPointer::root())?,
        SpecVersion::V31 => first_error::<oas3::Spec>(document, &JsonPointer::root())?,
    };
    Some(refine(document, version, problem))
}

/// Deserializes a value as `T`; the first problem, with its pointer under `base`.
fn first_error<T: serde::de::DeserializeOwned>(value: &serde_json::Value, base: &JsonPointer) -> Option<ValidationProblem> {
    let error = serde_path_to_error::deserialize::<_, T>(value.clone()).err()?;
    let mut pointer = base.clone();
    for segment in error.path().iter() {
        match segment {
            Segment::Map { key } => pointer = pointer.child(key),
            Segment::Seq { index } => pointer = pointer.index(*index),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    Some(ValidationProblem { pointer, message: humanize(&error.inner().to_string()) })
}

/// `$ref`-or-object fields are untagged enums, and serde loses the path below them. The
/// children of the container that failed are validated on their own to find the exact place.
fn refine(document: &serde_json::Value, version: SpecVersion, problem: ValidationProblem) -> ValidationProblem {
    use serde_json::Value;
    let mut best = problem;
    for _ in 0..4 {
        let Some(container) = document.pointer(best.pointer.as_str()) else {
            break;
        };
        let tokens: Vec<String> = best.pointer.tokens().collect();
        let in_components = tokens.first().is_some_and(|first| first == "components");
        let kind = match tokens.as_slice() {
            [paths] if paths == "paths" => "pathItem",
            [.., parameters] if parameters == "parameters" => "parameter",
            [.., responses] if responses == "responses" => "response",
            [components, kind] if components == "components" => match kind.as_str() {
                "schemas" => "schema",
                "parameters" => "parameter",
                "responses" => "response",
                "requestBodies" => "requestBody",
                "headers" => "header",
                "securitySchemes" => "securityScheme",
                _ => break,
            },
            _ => break,
        };
        // A list of parameters, or a mapping of everything else; the wrong shape is the error.
        let children: Vec<(JsonPointer, &Value)> = match container {
            Value::Object(entries) if kind != "parameter" || in_components => {
                entries.iter().filter(|(key, _)| !key.starts_with("x-")).map(|(key, value)| (best.pointer.child(key), value)).collect()
            }
            Value::Array(items) if kind == "parameter" && !in_components => {
                items.iter().enumerate().map(|(index, item)| (best.pointer.index(index), item)).collect()
            }
            _ => break,
        };
        let found = children.into_iter().filter(|(_, child)| child.get("$ref").is_none()).find_map(|(pointer, child)| match version {
            SpecVersion::V30 => match kind {
                "pathItem" => first_error::<openapiv3::PathItem>(child, &pointer),
                "parameter" => first_error::<openapiv3::Parameter>(child, &pointer),
                "response" => first_error::<openapiv3::Response>(child, &pointer),
                "schema" => first_error::<openapiv3::Schema>(child, &pointer),
                "requestBody" => first_error::<openapiv3::RequestBody>(child, &pointer),
                "header" => first_error::<openapiv3::Header>(child, &pointer),
                _ => first_error::<openapiv3::SecurityScheme>(child, &pointer),
            },
            SpecVersion::V31 => match kind {
                "pathItem" => first_error::<oas3::spec::PathItem>(child, &pointer),
                "parameter" => first_error::<oas3::spec::Parameter>(child, &pointer),
                "response" => first_error::<oas3::spec::Response>(child, &pointer),
                "schema" => first_error::<oas3::spec::ObjectSchema>(child, &pointer),
                "requestBody" => first_error::<oas3::spec::RequestBody>(child, &pointer),
                "header" => first_error::<oas3::spec::Header>(child, &pointer),
                _ => first_error::<oas3::spec::SecurityScheme>(child, &pointer),
            },
        });
        match found {
            Some(deeper) if deeper.pointer != best.pointer => best = deeper,
            _ => break,
        }
    }
    best
}

/// serde's messages name Rust types; say what a document author understands.
fn humanize(message: &str) -> String {
    message
        .replace("data did not match any variant of untagged enum ReferenceOr", "expected a `$ref` or a valid object here")
        .replace("data did not match any variant of untagged enum", "unexpected value for")
        .replace(", expected a map", ", expected a mapping")
        .replace("sequence", "list")
        .replace("expected internally tagged enum ", "expected a valid ")
        .replace("expected struct ", "expected a valid ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi::syntax::{Format, parse};

    fn check(text: &str, version: SpecVersion) -> Option<ValidationProblem> {
        validate(&parse(text, Format::Yaml).root.unwrap().to_json(), version)
    }

    #[test]
    fn accepts_valid_documents_of_both_versions() {
        let v30 =
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n";
        assert_eq!(check(v30, SpecVersion::V30), None);
        let v31 = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  ping:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: [string, 'null']}\n      responses:\n        '200': {description: ok}\n";
        assert_eq!(check(v31, SpecVersion::V31), None);
    }

    #[test]
    fn points_at_the_wrong_value() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: nope\n";
        let problem = check(text, SpecVersion::V30).unwrap();
        assert_eq!(problem.pointer.as_str(), "/paths/~1a/get/responses");
    }
}
