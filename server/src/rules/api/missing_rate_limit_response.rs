use serde_json::json;

use crate::analysis::{Fix, RuleContext, Sink};
use crate::openapi::model::resolve_at;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for operations without a `429 Too Many Requests` response, and for `429`
    /// responses without a `Retry-After` header. References to `components.responses` and
    /// `components.headers` are followed; header names compare case-insensitively.
    ///
    /// ## Why is this bad?
    /// Every public API is rate limited sooner or later. When the contract does not say how
    /// the limit is signalled, clients retry at once and in lockstep, turning a short overload
    /// into an outage. `Retry-After` tells them when to come back.
    ///
    /// ## Example
    /// ```yaml
    /// responses:
    ///   "200":
    ///     description: OK
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// responses:
    ///   "200":
    ///     description: OK
    ///   "429":
    ///     description: Too many requests
    ///     headers:
    ///       Retry-After:
    ///         description: Seconds to wait before retrying.
    ///         schema:
    ///           type: integer
    /// ```
    ///
    /// ## Fix
    /// Adds the `429` response with a `Retry-After` header, or the header to an inline `429`
    /// response that lacks it.
    pub struct MissingRateLimitResponse {
        code: "API010",
        name: "missing-rate-limit-response",
        area: Api,
        severity: Warning,
    }
}

fn retry_after_header() -> serde_json::Value {
    json!({"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}})
}

impl Check for MissingRateLimitResponse {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        for operation in model.operations() {
            let Some(responses) = operation.responses_map() else {
                continue;
            };
            let Some(too_many) = responses.child("429") else {
                let response = json!({"description": "Too many requests", "headers": {"Retry-After": retry_after_header()}});
                let edit = context.insert_member(responses, "429", &response);
                sink.at(&operation.at, format!("{} documents no 429 response for rate limiting", operation.label()))
                    .fix(Fix::new("Add a 429 response with Retry-After", vec![edit]).preferred());
                continue;
            };
            let resolved = resolve_at(context.project, &too_many);
            if resolved.node.reference().is_some() || resolved.node.as_map().is_none() {
                continue;
            }
            let headers = resolved.child("headers");
            let has_retry_after = headers
                .as_ref()
                .and_then(|headers| headers.node.as_map())
                .is_some_and(|entries| entries.iter().any(|entry| entry.key.eq_ignore_ascii_case("retry-after")));
            if has_retry_after {
                continue;
            }
            let finding = sink.at(&too_many, format!("the 429 response of {} has no `Retry-After` header", operation.label()));
            // Only an inline response can be fixed here; a shared one is fixed where it lives.
            if resolved.file == too_many.file
                && resolved.pointer == too_many.pointer
                && let Some(edits) = context.add_response_headers(&resolved, json!({ "Retry-After": retry_after_header() }))
            {
                finding.fix(Fix::new("Add a Retry-After header", edits).preferred());
            }
        }
    }
}
