use serde_json::json;

use crate::analysis::{Fix, Population, RuleContext, Sink};
use crate::openapi::edit::TextEdit;
use crate::openapi::model::{OperationView, literal_segments, resolve_at, response_header_names};
use crate::openapi::syntax::sub_span;
use crate::rules::{Check, declare_rule};

use super::operation_names::is_version_segment;
use super::{segment_words, verb_in_path};

declare_rule! {
    /// ## What it does
    /// Checks for POST operations on a collection (the path ends with a literal plural segment,
    /// as in `/orders`) that answer `200` with no `201 Created` and no `202 Accepted`. Action
    /// paths whose last segment is a verb (`/orders/{id}/cancel`, `/search`, `/login`,
    /// `/tokens/refresh`, `/members/add`, …), singular resources (`/token`) and POSTs
    /// answering only `204` are not reported, nor are POSTs that create nothing: a create
    /// answers `201`, or its `200` carries a `Location` header or returns one object (the
    /// new resource); a POST that answers a list or no body runs a query or an action.
    ///
    /// When a quarter or more of the creates fail, that is one choice the API made: one finding
    /// on `paths`, naming how many, with each in related information and every fix at once; when fewer fail,
    /// each is reported.
    ///
    /// ## Why is this bad?
    /// `201 Created` with a `Location` header tells the client that a resource now exists and
    /// where; `200` leaves it guessing whether anything was created, and clients that retry
    /// cannot tell a duplicate from a first attempt.
    ///
    /// ## Example
    /// ```yaml
    /// /orders:
    ///   post:
    ///     responses:
    ///       "200":
    ///         description: The order
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// /orders:
    ///   post:
    ///     responses:
    ///       "201":
    ///         description: The order
    ///         headers:
    ///           Location:
    ///             schema:
    ///               type: string
    /// ```
    ///
    /// ## Fix
    /// Renames `200` to `201` and adds a `Location` header to it (when the response is written
    /// inline). The server must follow.
    pub struct CreateWithout201 {
        code: "API016",
        name: "create-without-201",
        area: Api,
        severity: Info,
    }
}

const ACTION_VERBS: [&str; 16] = [
    "cancel",
    "activate",
    "deactivate",
    "search",
    "login",
    "logout",
    "refresh",
    "verify",
    "send",
    "approve",
    "reject",
    "archive",
    "restore",
    "query",
    "batch",
    "validate",
];

/// A POST whose path ends with a literal plural segment that is not a verb: `POST /orders`,
/// not `POST /orders/{id}/cancel`, `POST /search` or `POST /token`.
pub fn creates_in_collection(operation: &OperationView<'_>) -> bool {
    let path = operation.path.trim_end_matches('/');
    let Some((last, _)) = literal_segments(path).into_iter().last() else { return false };
    let ends_with_literal = path.rsplit('/').next() == Some(last);
    let words = segment_words(last);
    let is_action = words.iter().any(|word| ACTION_VERBS.contains(&word.as_str()) || verb_in_path::is_crud_verb(word));
    let is_plural = words.last().is_some_and(|word| word.ends_with('s'));
    operation.method == "post" && ends_with_literal && !is_action && is_plural && !is_version_segment(last)
}

/// A POST to a collection that creates: it answers `201`, or its success response carries
/// a `Location` header or returns one object (the new resource). A POST to a collection that
/// answers a list, or nothing, runs a query or an action and creates nothing.
pub fn creates(context: &RuleContext<'_>, operation: &OperationView<'_>) -> bool {
    if !creates_in_collection(operation) {
        return false;
    }
    let Some(responses) = operation.responses_map() else { return false };
    if responses.child("201").is_some() {
        return true;
    }
    let Some(ok) = responses.child("200").map(|ok| resolve_at(context.project, &ok)) else { return false };
    let has_location = response_header_names(context.project, &ok).iter().any(|name| name.eq_ignore_ascii_case("location"));
    let returns_one_object = ok.child("content").map(|content| content.entries()).unwrap_or_default().iter().any(|media| {
        media.child("schema").is_some_and(|schema| {
            let schema = resolve_at(context.project, &schema);
            let types = super::request_schemas::schema_types(schema.node);
            !types.contains(&"array")
                && (types.contains(&"object") || schema.node.get("properties").is_some() || schema.node.get("allOf").is_some())
        })
    });
    has_location || returns_one_object
}

impl Check for CreateWithout201 {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let mut judged = 0;
        for operation in model.operations().filter(|operation| creates(context, operation)) {
            let Some(responses) = operation.responses_map() else {
                continue;
            };
            judged += 1;
            let codes = operation.response_codes();
            if !codes.iter().any(|code| code == "200") || codes.iter().any(|code| code == "201" || code == "202") {
                continue;
            }
            let Some(ok) = responses.child("200") else {
                continue;
            };
            let finding =
                sink.at(&ok, format!("{} creates in a collection but answers 200, not 201 Created", operation.label())).of("creates");
            let text = &context.project.file(ok.file).text;
            let Some(key_span) = ok.key_span.clone() else {
                continue;
            };
            let digits = sub_span(text, &key_span, "200", 0..3);
            if digits == key_span && !matches!(text.get(key_span.clone()), Some("200")) {
                continue;
            }
            let mut edits = vec![TextEdit::replace(digits, "201")];
            let resolved = resolve_at(context.project, &ok);
            if resolved.file == ok.file && resolved.pointer == ok.pointer && resolved.node.as_map().is_some() {
                let location =
                    json!({"description": "Where the created resource is.", "schema": {"type": "string", "format": "uri-reference"}});
                edits.extend(context.add_response_headers(&resolved, json!({ "Location": location })).unwrap_or_default());
            }
            finding.fix(Fix::new("Answer 201 Created with a Location header", edits));
        }
        sink.population(
            "creates",
            Population::new(
                judged,
                "creating operations",
                "answer 200, not 201 Created",
                "answer creates with 201 and `Location`, or, if 200 is the API's convention, say so in `info.description`",
            )
            .at_paths(model),
        );
    }
}
