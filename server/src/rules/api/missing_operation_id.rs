use std::collections::HashSet;

use serde_json::json;

use crate::analysis::{Fix, RuleContext, Sink};
use crate::openapi::syntax::Node;
use crate::rules::{Check, declare_rule};

use super::operation_names::derive_operation_id;

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
            .filter_map(|operation| operation.at.node.get("operationId").and_then(Node::scalar_text).map(str::to_owned))
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
            sink.at(&operation.at, format!("{} has no operationId", operation.label()))
                .fix(Fix::new(format!("Add operationId `{candidate}`"), vec![edit]).preferred());
        }
    }
}
