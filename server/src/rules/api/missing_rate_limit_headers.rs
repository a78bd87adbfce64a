use serde_json::json;

use crate::analysis::{Fix, RuleContext, Sink};
use crate::openapi::model::response_header_names;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for operations whose success responses declare no rate-limit headers: none of
    /// the IETF `RateLimit`, `RateLimit-Policy`, `RateLimit-Limit`, `RateLimit-Remaining`,
    /// `RateLimit-Reset`, and no `X-RateLimit-*` or `X-Rate-Limit-*` header on any 2xx
    /// response (names compare case-insensitively; responses and headers may be `$ref`s).
    /// Reported once per operation, at its first 2xx response.
    ///
    /// ## Why is this bad?
    /// A client that can see its remaining quota slows down before it is throttled; one that
    /// cannot only learns from a 429, after the damage. Documented headers also let generated
    /// clients and gateways read them.
    ///
    /// ## Example
    /// ```yaml
    /// "200":
    ///   description: The orders
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// "200":
    ///   description: The orders
    ///   headers:
    ///     RateLimit:
    ///       schema:
    ///         type: string
    ///     RateLimit-Policy:
    ///       schema:
    ///         type: string
    /// ```
    ///
    /// ## Fix
    /// Adds `RateLimit` and `RateLimit-Policy` headers to the first inline 2xx response.
    pub struct MissingRateLimitHeaders {
        code: "API011",
        name: "missing-rate-limit-headers",
        area: Api,
        severity: Info,
    }
}

const IETF_HEADERS: [&str; 5] = ["ratelimit", "ratelimit-policy", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"];

pub fn is_rate_limit_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    IETF_HEADERS.contains(&name.as_str()) || name.starts_with("x-ratelimit-") || name.starts_with("x-rate-limit-")
}

impl Check for MissingRateLimitHeaders {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        for operation in model.operations() {
            let Some(responses) = operation.responses_map() else { continue };
            let successes: Vec<_> = responses.entries().into_iter().filter(|response| response.name().starts_with('2')).collect();
            let Some(first) = successes.first() else { continue };
            if successes
                .iter()
                .any(|response| response_header_names(context.project, response).iter().any(|name| is_rate_limit_header(name)))
            {
                continue;
            }
            let finding = sink.at(first, format!("the success responses of {} declare no rate-limit headers", operation.label()));
            let Some(inline) = successes.iter().find(|response| response.node.reference().is_none() && response.node.as_map().is_some())
            else {
                continue;
            };
            let headers = json!({
                "RateLimit": {"description": "The remaining quota and when it resets.", "schema": {"type": "string"}},
                "RateLimit-Policy": {"description": "The quota policy.", "schema": {"type": "string"}},
            });
            if let Some(edits) = context.add_response_headers(inline, headers) {
                finding.fix(Fix::new("Add RateLimit and RateLimit-Policy headers", edits));
            }
        }
    }
}
