use serde_json::json;

use crate::analysis::{Fix, Population, RuleContext, Sink};
use crate::openapi::edit::TextEdit;
use crate::openapi::syntax::Node;
use crate::rules::{Check, ProseEdit, declare_rule};

use super::operation_names::derive_summary;

declare_rule! {
    /// ## What it does
    /// Checks for operations with neither a `summary` nor a `description` (empty strings count
    /// as missing).
    ///
    /// When a quarter or more of the operations fail, that is one choice the API made: one finding
    /// on `paths`, naming how many, with each in related information and every fix at once; when fewer fail,
    /// each is reported.
    ///
    /// ## Why is this bad?
    /// Generated documentation shows a bare method and path, generated clients get methods
    /// without doc comments, and reviewers cannot tell what the operation is for. A one-line
    /// summary is the cheapest documentation there is.
    ///
    /// ## Example
    /// ```yaml
    /// /orders/{orderId}:
    ///   delete:
    ///     operationId: deleteOrder
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// /orders/{orderId}:
    ///   delete:
    ///     operationId: deleteOrder
    ///     summary: Cancel and delete an order that has not shipped
    /// ```
    ///
    /// ## Fix
    /// Adds a summary derived from the method and path ("Delete order"); make it say more.
    pub struct UndocumentedOperation {
        code: "API014",
        name: "undocumented-operation",
        area: Api,
        severity: Info,
    }
}

fn has_text(operation: &Node, key: &str) -> bool {
    operation.get(key).and_then(Node::as_str).is_some_and(|text| !text.trim().is_empty())
}

impl Check for UndocumentedOperation {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let mut judged = 0;
        for operation in model.operations() {
            judged += 1;
            if has_text(operation.at.node, "summary") || has_text(operation.at.node, "description") {
                continue;
            }
            let summary = derive_summary(operation);
            let finding = sink.at(&operation.at, format!("{} has neither a summary nor a description", operation.label())).of("operations");
            // An empty `summary:` is filled in, not duplicated.
            let edit = match operation.at.child("summary") {
                Some(empty) if empty.node.span.is_empty() => TextEdit::insert(empty.node.span.start, format!(" {}", json!(summary))),
                Some(empty) => TextEdit::replace(empty.node.span.clone(), json!(summary).to_string()),
                None => context.insert_member(&operation.at, "summary", &json!(summary)),
            };
            finding.fix(Fix::new(format!("Add summary \"{summary}\""), vec![edit]).preferred());
        }
        sink.population(
            "operations",
            Population::new(
                judged,
                "operations",
                "have neither a summary nor a description",
                "add summaries (the fix derives them from method and path)",
            )
            .at_paths(model),
        );
    }

    /// Only whether an operation's summary or description is blank matters.
    fn reads_prose(&self, edit: &ProseEdit<'_>) -> bool {
        matches!(edit.key, "summary" | "description")
            && edit.parent_key.is_some_and(|key| crate::openapi::model::HTTP_METHODS.contains(&key))
            && edit.old.trim().is_empty() != edit.new.trim().is_empty()
    }
}
