use serde_json::json;

use crate::analysis::{Fix, Population, RuleContext, Sink};
use std::collections::BTreeMap;

use crate::openapi::model::{NodeAt, resolve_at};
use crate::openapi::pointer::JsonPointer;
use crate::openapi::project::FileId;
use crate::openapi::syntax::Span;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for operations without a `429 Too Many Requests` response, and for `429`
    /// responses without a `Retry-After` header. References to `components.responses` and
    /// `components.headers` are followed; header names compare case-insensitively. A shared
    /// `429` response (a `$ref`) without the header is reported once, where it is defined,
    /// with the operations that use it in related information: it is one defect, fixed in
    /// one place. When most operations document no `429`, that is the API's choice, reported
    /// once on `paths` with every operation in related information; otherwise each operation
    /// that deviates is reported.
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

/// Where an operation uses a shared response, and which operation it is.
type Use = (FileId, Span, String);

impl Check for MissingRateLimitResponse {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        // Shared 429 responses without the header, with the operations that use them.
        let mut shared: BTreeMap<(FileId, JsonPointer), (NodeAt<'_>, Vec<Use>)> = BTreeMap::new();
        let mut judged = 0;
        let mut inline_429 = 0;
        for operation in model.operations() {
            let Some(responses) = operation.responses_map() else {
                continue;
            };
            judged += 1;
            let Some(too_many) = responses.child("429") else {
                let response = json!({"description": "Too many requests", "headers": {"Retry-After": retry_after_header()}});
                let edit = context.insert_member(responses, "429", &response);
                sink.at(&operation.at, format!("{} documents no 429 response for rate limiting", operation.label()))
                    .of("missing")
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
            if resolved.file != too_many.file || resolved.pointer != too_many.pointer {
                let users = shared.entry((resolved.file, resolved.pointer.clone())).or_insert_with(|| (resolved.clone(), Vec::new()));
                users.1.push((too_many.file, too_many.span(), format!("{} uses it", operation.label())));
                continue;
            }
            inline_429 += 1;
            let finding = sink.at(&too_many, format!("the 429 response of {} has no `Retry-After` header", operation.label())).of("header");
            if let Some(edits) = context.add_response_headers(&resolved, json!({ "Retry-After": retry_after_header() })) {
                finding.fix(Fix::new("Add a Retry-After header", edits).preferred());
            }
        }
        let missing = Population::new(
            judged,
            "operations",
            "document no 429 response",
            "describe rate limiting once (a shared `429` response with `Retry-After` in `components.responses`) and reference it from every operation",
        );
        let header = Population::new(
            inline_429,
            "inline 429 responses",
            "have no `Retry-After` header",
            "define one shared `429` response with `Retry-After` in `components.responses` and reference it",
        );
        sink.population("missing", missing.at_paths(model));
        sink.population("header", header.at_paths(model));
        for (response, users) in shared.into_values() {
            let name = match response.name() {
                name if !name.is_empty() => name,
                // The response is a whole file of its own.
                _ => context.project.file(response.file).path.file_name().unwrap_or_default().to_string_lossy().into_owned(),
            };
            let plural = if users.len() == 1 { "operation uses" } else { "operations use" };
            let message = format!("the shared 429 response `{name}` has no `Retry-After` header; {} {plural} it", users.len());
            let finding = sink.at(&response, message);
            for (file, span, message) in users {
                finding.related(file, span, message);
            }
            if let Some(edits) = context.add_response_headers(&response, json!({ "Retry-After": retry_after_header() })) {
                finding.fix(Fix::new("Add a Retry-After header", edits).preferred());
            }
        }
    }
}
