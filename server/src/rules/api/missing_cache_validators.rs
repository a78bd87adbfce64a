use serde_json::json;

use crate::analysis::{Fix, Population, RuleContext, Sink};
use crate::openapi::model::response_header_names;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for GET operations whose `200` response declares none of `ETag`,
    /// `Last-Modified` and `Cache-Control` (case-insensitive; the response and its headers may
    /// be `$ref`s).
    ///
    /// When a quarter or more of the GETs that answer `200` fail, that is one choice the API made: one finding
    /// on `paths`, naming how many, with each in related information; when fewer fail,
    /// each is reported.
    ///
    /// ## Why is this bad?
    /// Without a validator, every poll downloads the whole representation again; with `ETag`
    /// or `Last-Modified` a client revalidates and gets `304 Not Modified`, and
    /// `Cache-Control` tells caches and CDNs how long an answer stays fresh. Validators also
    /// enable optimistic concurrency (`If-Match`) for later updates.
    ///
    /// ## Example
    /// ```yaml
    /// get:
    ///   responses:
    ///     "200":
    ///       description: The order
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// get:
    ///   responses:
    ///     "200":
    ///       description: The order
    ///       headers:
    ///         ETag:
    ///           schema:
    ///             type: string
    /// ```
    ///
    /// ## Fix
    /// Adds an `ETag` header to an inline `200` response.
    pub struct MissingCacheValidators {
        code: "API018",
        name: "missing-cache-validators",
        area: Api,
        severity: Info,
    }
}

impl Check for MissingCacheValidators {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let mut judged = 0;
        for operation in model.operations().filter(|operation| operation.method == "get") {
            let Some(ok) = operation.responses_map().and_then(|responses| responses.child("200")) else { continue };
            judged += 1;
            let validated = response_header_names(context.project, &ok)
                .iter()
                .any(|name| ["etag", "last-modified", "cache-control"].contains(&name.to_ascii_lowercase().as_str()));
            if validated {
                continue;
            }
            let finding = sink
                .at(&ok, format!("the 200 response of {} declares no ETag, Last-Modified or Cache-Control header", operation.label()))
                .of("get");
            if ok.node.reference().is_some() || ok.node.as_map().is_none() {
                continue;
            }
            let etag = json!({"description": "The version of the representation, for conditional requests.", "schema": {"type": "string"}});
            if let Some(edits) = context.add_response_headers(&ok, json!({ "ETag": etag })) {
                finding.fix(Fix::new("Add an ETag header", edits));
            }
        }
        sink.population(
            "get",
            Population::new(
                judged,
                "GET operations that answer 200",
                "declare no ETag, Last-Modified or Cache-Control header",
                "if the API supports conditional requests or caching, describe the headers once (a shared header component) and reference them",
            )
            .at_paths(model),
        );
    }
}
