use std::collections::HashSet;

use serde_json::json;

use crate::analysis::{Fix, RuleContext, Sink};
use crate::openapi::model::{OperationView, literal_segments};
use crate::openapi::syntax::Node;
use crate::rules::{Check, declare_rule};

use super::{segment_words, verb_in_path};

declare_rule! {
    /// ## What it does
    /// Checks for operations without an `operationId`.
    ///
    /// ## Why is this bad?
    /// Code generators name client methods and server handlers after `operationId`; without
    /// one they invent names from the path that change whenever the path does. Documentation
    /// links, tracing and metrics also key on it.
    ///
    /// ## Example
    /// ```yaml
    /// /users/{id}:
    ///   get:
    ///     responses: ...
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// /users/{id}:
    ///   get:
    ///     operationId: getUser
    ///     responses: ...
    /// ```
    ///
    /// ## Fix
    /// Adds an id derived from the method and path (`GET /users` → `listUsers`,
    /// `GET /users/{id}` → `getUser`, `POST /users` → `createUser`), unique in the document,
    /// also when every fix is applied at once.
    pub struct MissingOperationId {
        code: "API012",
        name: "missing-operation-id",
        area: Api,
        severity: Warning,
    }
}

impl Check for MissingOperationId {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let mut taken: HashSet<String> = model
            .operations()
            .filter_map(|operation| {
                operation
                    .at
                    .node
                    .get("operationId")
                    .and_then(Node::scalar_text)
                    .map(str::to_owned)
            })
            .collect();
        for operation in model.operations() {
            if operation.at.node.get("operationId").is_some() {
                continue;
            }
            let base = derive_operation_id(operation);
            let mut candidate = base.clone();
            let mut counter = 2;
            while taken.contains(&candidate) {
                candidate = format!("{base}{counter}");
                counter += 1;
            }
            taken.insert(candidate.clone());
            let edit = context.insert_member(&operation.at, "operationId", &json!(candidate));
            sink.at(
                &operation.at,
                format!("{} has no operationId", operation.label()),
            )
            .fix(Fix::new(format!("Add operationId `{candidate}`"), vec![edit]).preferred());
        }
    }
}

/// `GET /v1/users/{id}/orders` → `listUserOrders`; `DELETE /users/{id}` → `deleteUser`.
pub fn derive_operation_id(operation: &OperationView<'_>) -> String {
    let path = operation.path.trim_end_matches('/');
    let item = path.ends_with('}');
    let verb = match (operation.method, item) {
        ("get", false) => "list",
        ("get", true) => "get",
        ("post", _) => "create",
        ("put", _) => "replace",
        ("patch", _) => "update",
        (other, _) => other,
    };
    let segments: Vec<&str> = literal_segments(path)
        .into_iter()
        .map(|(segment, _)| segment)
        .filter(|segment| !is_version_segment(segment) && *segment != "api")
        .collect();
    let singular_last = item || operation.method == "post";
    let mut name = verb.to_owned();
    for (index, segment) in segments.iter().enumerate() {
        let last = index + 1 == segments.len();
        let mut words = segment_words(segment);
        // `/getCustomers` gives `listCustomers`, not `listGetCustomers`.
        if words.len() > 1 && verb_in_path::is_crud_verb(&words[0]) {
            words.remove(0);
        }
        for (word_index, word) in words.iter().enumerate() {
            let final_word = word_index + 1 == words.len();
            let word = if final_word && (!last || singular_last) {
                singular(word)
            } else {
                word.clone()
            };
            name.push_str(&capitalize(&word));
        }
    }
    if segments.is_empty() {
        name.push_str("Root");
    }
    name
}

fn is_version_segment(segment: &str) -> bool {
    segment.strip_prefix('v').is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|character| character.is_ascii_digit() || character == '.')
    })
}

fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("sses") || word.ends_with("xes") {
        word[..word.len() - 2].to_owned()
    } else if word.ends_with('s') && !word.ends_with("ss") && word.len() > 3 {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

fn capitalize(word: &str) -> String {
    let mut characters = word.chars();
    characters
        .next()
        .map(|first| first.to_uppercase().chain(characters).collect())
        .unwrap_or_default()
}
