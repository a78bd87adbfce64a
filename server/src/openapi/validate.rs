//! Structural validation against the typed OpenAPI models: `openapiv3` for 3.0 and `oas3`
//! for 3.1. The first problem is reported with the pointer of the value that caused it.

use serde_path_to_error::Segment;

use super::model::SpecVersion;
use super::pointer::JsonPointer;
use super::syntax::Node;

#[derive(Debug, Clone, PartialEq)]
pub struct ValidationProblem {
    pub pointer: JsonPointer,
    pub message: String,
}

/// Validates a whole document; `None` when it is valid.
pub fn validate(root: &Node, version: SpecVersion) -> Option<ValidationProblem> {
    let json = root.to_json();
    let (path, message) = match version {
        SpecVersion::V30 => match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(json) {
            Ok(_) => return None,
            Err(error) => (error.path().clone(), error.inner().to_string()),
        },
        SpecVersion::V31 => match serde_path_to_error::deserialize::<_, oas3::Spec>(json) {
            Ok(_) => return None,
            Err(error) => (error.path().clone(), error.inner().to_string()),
        },
    };
    let mut pointer = JsonPointer::root();
    for segment in path.iter() {
        match segment {
            Segment::Map { key } => pointer = pointer.child(key),
            Segment::Seq { index } => pointer = pointer.index(*index),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    Some(ValidationProblem { pointer, message: humanize(&message) })
}

/// serde's messages name Rust types; say what a document author understands.
fn humanize(message: &str) -> String {
    message
        .replace("data did not match any variant of untagged enum ReferenceOr", "expected a `$ref` or a valid object here")
        .replace("data did not match any variant of untagged enum", "unexpected value for")
        .replace(", expected a map", ", expected a mapping")
        .replace("sequence", "list")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi::syntax::{Format, parse};

    fn check(text: &str, version: SpecVersion) -> Option<ValidationProblem> {
        validate(parse(text, Format::Yaml).root.as_ref().unwrap(), version)
    }

    #[test]
    fn accepts_valid_documents_of_both_versions() {
        let v30 = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n";
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
