use std::collections::HashMap;

use crate::analysis::{RuleContext, Sink};
use crate::openapi::model::NodeAt;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for an `operationId` used by more than one operation. Every later use is
    /// reported, with the first one as related information.
    ///
    /// ## Why is this bad?
    /// The OpenAPI specification requires operation ids to be unique. Code generators emit
    /// two methods with the same name (a compile error) or silently drop one, and links that
    /// name the operation become ambiguous.
    ///
    /// ## Example
    /// ```yaml
    /// /users:
    ///   get:
    ///     operationId: getUsers
    /// /admins:
    ///   get:
    ///     operationId: getUsers
    /// ```
    ///
    /// Use instead: give each operation its own id (`listUsers`, `listAdmins`).
    ///
    /// ## Fix
    /// None: which operation keeps the id is the author's call.
    pub struct DuplicateOperationId {
        code: "API013",
        name: "duplicate-operation-id",
        area: Api,
        severity: Error,
    }
}

impl Check for DuplicateOperationId {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let mut first_use: HashMap<String, (NodeAt<'_>, String)> = HashMap::new();
        for operation in model.operations() {
            let Some(id_at) = operation.at.child("operationId") else {
                continue;
            };
            let Some(id) = id_at.node.scalar_text().map(str::to_owned) else {
                continue;
            };
            match first_use.get(&id) {
                Some((first, first_label)) => {
                    sink.span(
                        id_at.file,
                        id_at.node.span.clone(),
                        id_at.pointer.clone(),
                        format!("operationId `{id}` of {} is already used by {first_label}", operation.label()),
                    )
                    .related(first.file, first.node.span.clone(), format!("first used by {first_label}"));
                }
                None => {
                    first_use.insert(id, (id_at, operation.label()));
                }
            }
        }
    }
}
