use crate::analysis::{Fix, RuleContext, Sink};
use crate::openapi::model::{NodeAt, resolve_at};
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for a `requestBody` on GET, HEAD and DELETE operations. An optional body whose
    /// schemas accept only an empty object (no properties, `additionalProperties: false`:
    /// how generators write "no input") is no body, and is left alone.
    ///
    /// ## Why is this bad?
    /// HTTP gives a body on these methods no defined meaning: proxies, caches, CDNs and
    /// client libraries may drop it, and some servers reject the request. Query parameters
    /// carry the input of a read; a delete names its target in the path.
    ///
    /// ## Example
    /// ```yaml
    /// get:
    ///   operationId: searchOrders
    ///   requestBody:
    ///     content:
    ///       application/json: ...
    /// ```
    ///
    /// Use instead: query parameters, or `POST /orders/search` when the criteria do not fit
    /// in a URL.
    ///
    /// ## Fix
    /// Removes the `requestBody`; move what it carried into parameters first.
    pub struct BodyOnSafeMethod {
        code: "API015",
        name: "body-on-safe-method",
        area: Api,
        severity: Warning,
    }
}

impl Check for BodyOnSafeMethod {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        for operation in model.operations().filter(|operation| matches!(operation.method, "get" | "head" | "delete")) {
            let Some(body) = operation.at.child("requestBody") else {
                continue;
            };
            if accepts_nothing(context, &body) {
                continue;
            }
            let finding = sink.at(
                &body,
                format!(
                    "{} has a request body, which {} requests should not carry",
                    operation.label(),
                    operation.method.to_ascii_uppercase()
                ),
            );
            if let Some(edit) = context.remove_member(&operation.at, "requestBody") {
                finding.fix(Fix::new("Remove the request body", vec![edit]));
            }
        }
    }
}

/// An optional body whose every schema accepts only `{}` (an object with no properties and
/// no others allowed, as generators write for "no parameters"): no body at all.
fn accepts_nothing(context: &RuleContext<'_>, body: &NodeAt<'_>) -> bool {
    let body = resolve_at(context.project, body);
    if body.node.get("required").and_then(|required| required.as_bool()) == Some(true) {
        return false;
    }
    let media = body.child("content").map(|content| content.entries()).unwrap_or_default();
    !media.is_empty()
        && media.iter().all(|media| {
            let Some(schema) = media.child("schema").map(|schema| resolve_at(context.project, &schema)) else { return false };
            let closed = schema.node.get("additionalProperties").and_then(|additional| additional.as_bool()) == Some(false);
            let no_properties = schema.node.get("properties").is_none_or(|properties| properties.as_map().is_some_and(<[_]>::is_empty));
            closed && no_properties
        })
}
