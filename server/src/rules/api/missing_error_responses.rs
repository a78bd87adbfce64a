use serde_json::json;

use crate::analysis::{Fix, Population, RuleContext, Sink};
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for operations that document no client error (`4xx`, `4XX`) response, or no
    /// server error (`5xx`, `5XX`) response. A `default` response answers every status the
    /// operation does not list, errors of both kinds included. When most operations of the
    /// document lack one kind, that is the API's choice, reported once on `paths` with every
    /// operation in related information; otherwise each operation that deviates is reported.
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
    /// Adds a `400` or `500` response with a description; point them at your shared error
    /// schema afterwards. The grouped finding offers them all at once.
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
        let mut judged = 0;
        for operation in model.operations() {
            let Some(responses) = operation.responses_map() else {
                continue;
            };
            judged += 1;
            let codes = operation.response_codes();
            // `default` answers every status the operation does not list, errors included.
            let has_default = codes.iter().any(|code| code == "default");
            if !has_default && !codes.iter().any(|code| code.starts_with('4')) {
                let edit = context.insert_member(responses, "400", &json!({"description": "Bad request"}));
                sink.at(&operation.at, format!("{} documents no 4xx error response", operation.label()))
                    .of("client")
                    .fix(Fix::new("Add a 400 response", vec![edit]).preferred());
            }
            if !has_default && !codes.iter().any(|code| code.starts_with('5')) {
                let edit = context.insert_member(responses, "500", &json!({"description": "Internal server error"}));
                sink.at(&operation.at, format!("{} documents no 5xx or default error response", operation.label()))
                    .of("server")
                    .fix(Fix::new("Add a 500 response", vec![edit]).preferred());
            }
        }
        for (key, predicate, advice) in [
            (
                "client",
                "document no 4xx error response",
                "describe the API's client errors once (a shared `4XX` or `default` error response in `components.responses`) and reference it",
            ),
            (
                "server",
                "document no 5xx or default error response",
                "describe the API's server errors once (a shared `5XX` or `default` error response in `components.responses`) and reference it",
            ),
        ] {
            sink.population(key, Population::new(judged, "operations", predicate, advice).at_paths(model));
        }
    }
}
