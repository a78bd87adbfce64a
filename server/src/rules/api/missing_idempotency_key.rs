use serde_json::json;

use crate::analysis::{Fix, Population, RuleContext, Sink};
use crate::rules::{Check, declare_rule};

use super::create_without_201::creates;

declare_rule! {
    /// ## What it does
    /// Checks for POST operations that create in a collection (`POST /orders` answering
    /// `201`, a `Location` or the new object, as in API016)
    /// and accept no `Idempotency-Key` header (or `X-Idempotency-Key`), on the operation or
    /// its path item.
    ///
    /// When a quarter or more of the creates fail, that is one choice the API made: one finding
    /// on `paths`, naming how many, with each in related information and every fix at once; when fewer fail,
    /// each is reported.
    ///
    /// ## Why is this bad?
    /// A client whose connection drops after a POST cannot know whether the order was
    /// created. Without an idempotency key a retry creates a second order or charges a card
    /// twice; with one, the server answers the retry with the first result.
    ///
    /// ## Example
    /// ```yaml
    /// post:
    ///   operationId: createPayment
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// post:
    ///   operationId: createPayment
    ///   parameters:
    ///     - name: Idempotency-Key
    ///       in: header
    ///       schema:
    ///         type: string
    ///         maxLength: 255
    /// ```
    ///
    /// ## Fix
    /// Adds an optional `Idempotency-Key` header parameter; the server must honour it.
    pub struct MissingIdempotencyKey {
        code: "API017",
        name: "missing-idempotency-key",
        area: Api,
        severity: Info,
    }
}

impl Check for MissingIdempotencyKey {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let mut judged = 0;
        for path in &model.paths {
            for operation in path.operations.iter().filter(|operation| creates(context, operation)) {
                judged += 1;
                let accepts_key = path.parameters.iter().chain(&operation.parameters).any(|parameter| {
                    parameter.location == "header"
                        && (parameter.name.eq_ignore_ascii_case("idempotency-key")
                            || parameter.name.eq_ignore_ascii_case("x-idempotency-key"))
                });
                if accepts_key {
                    continue;
                }
                let parameter = json!({"name": "Idempotency-Key", "in": "header", "required": false, "description": "Makes a retried request safe: the same key returns the first result.", "schema": {"type": "string", "maxLength": 255}});
                let edit = match operation.at.child("parameters") {
                    Some(list) if list.node.as_seq().is_some() => context.append_item(&list, &parameter),
                    Some(_) => continue,
                    None => context.insert_member(&operation.at, "parameters", &json!([parameter])),
                };
                sink.at(&operation.at, format!("{} creates a resource but accepts no Idempotency-Key header", operation.label()))
                    .of("creates")
                    .fix(Fix::new("Accept an Idempotency-Key header", vec![edit]));
            }
        }
        sink.population(
            "creates",
            Population::new(
                judged,
                "creating operations",
                "accept no Idempotency-Key header",
                "define one shared `Idempotency-Key` header parameter in `components.parameters` and reference it from every create",
            )
            .at_paths(model),
        );
    }
}
