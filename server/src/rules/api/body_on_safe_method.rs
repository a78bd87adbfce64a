use crate::analysis::{Fix, RuleContext, Sink};
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for a `requestBody` on GET, HEAD and DELETE operations.
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
