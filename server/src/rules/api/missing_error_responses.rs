use serde_json::json;

use crate::analysis::{Fix, RuleContext, Sink};
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for operations that document no client error (`4xx`, `4XX`) response, or no
    /// server error (`5xx`, `5XX` or `default`) response.
    ///
    /// ## Why is this bad?
    /// Every HTTP operation can fail. When the contract only lists the happy path, client
    /// authors guess what an error looks like, generated clients throw untyped exceptions,
    /// and the error format drifts between endpoints.
    ///
    /// ## Example
    /// ```yaml
    /// get:
    ///   responses:
    ///     "200":
    ///       description: The user
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// get:
    ///   responses:
    ///     "200":
    ///       description: The user
    ///     "400":
    ///       description: Bad request
    ///     "500":
    ///       description: Internal server error
    /// ```
    ///
    /// ## Fix
    /// Adds a `400` and/or `500` response with a description; point them at your shared error
    /// schema afterwards.
    pub struct MissingErrorResponses {
        code: "API008",
        name: "missing-error-responses",
        area: Api,
        severity: Warning,
    }
}

impl Check for MissingErrorResponses {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        for operation in model.operations() {
            let Some(responses) = operation.responses_map() else {
                continue;
            };
            let codes = operation.response_codes();
            let has_client_error = codes.iter().any(|code| code.starts_with('4'));
            let has_server_error = codes.iter().any(|code| code.starts_with('5') || code == "default");
            let mut missing = Vec::new();
            let mut additions = serde_json::Map::new();
            if !has_client_error {
                missing.push("4xx");
                additions.insert("400".into(), json!({"description": "Bad request"}));
            }
            if !has_server_error {
                missing.push("5xx or default");
                additions.insert("500".into(), json!({"description": "Internal server error"}));
            }
            if missing.is_empty() {
                continue;
            }
            let edits = additions.iter().map(|(code, response)| context.insert_member(responses, code, response)).collect();
            let noun = if missing.len() == 2 { "responses" } else { "response" };
            sink.at(&operation.at, format!("{} documents no {} error {noun}", operation.label(), missing.join(" and no ")))
                .fix(Fix::new("Add missing error responses", edits).preferred());
        }
    }
}
