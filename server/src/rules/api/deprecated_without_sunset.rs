use serde_json::json;

use crate::analysis::{Fix, RuleContext, Sink};
use crate::openapi::model::{OperationView, response_header_names};
use crate::openapi::syntax::Node;
use crate::rules::{Check, ProseEdit, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for operations marked `deprecated: true` that tell clients neither when they go
    /// away nor what replaces them: no response carries a `Sunset` (RFC 8594) or
    /// `Deprecation` header, and the description names no replacement ("use …", "replaced
    /// by", "instead", "superseded", "migrate to").
    ///
    /// ## Why is this bad?
    /// A deprecation without a date or a successor is a promise nobody can plan for: clients
    /// keep calling the operation until the day it disappears.
    ///
    /// ## Example
    /// ```yaml
    /// get:
    ///   deprecated: true
    ///   responses:
    ///     "200":
    ///       description: The users
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// get:
    ///   deprecated: true
    ///   description: Use GET /v2/users instead.
    ///   responses:
    ///     "200":
    ///       description: The users
    ///       headers:
    ///         Sunset:
    ///           schema:
    ///             type: string
    /// ```
    ///
    /// ## Fix
    /// Adds a `Sunset` header to the first inline 2xx response; set its date in the server.
    pub struct DeprecatedWithoutSunset {
        code: "API020",
        name: "deprecated-without-sunset",
        area: Api,
        severity: Info,
    }
}

/// "use …", "replaced by", "instead", "superseded", "migrate to": whole words, so that
/// "because" is not "use".
fn names_replacement(description: &str) -> bool {
    let words: Vec<&str> = description.split(|character: char| !character.is_alphanumeric()).filter(|word| !word.is_empty()).collect();
    words.iter().any(|word| matches!(*word, "use" | "instead" | "superseded"))
        || words.windows(2).any(|pair| matches!(pair, ["replaced", "by"] | ["migrate", "to"]))
}

fn announces_sunset(context: &RuleContext<'_>, operation: &OperationView<'_>) -> bool {
    let Some(responses) = operation.responses_map() else {
        return false;
    };
    responses.entries().iter().any(|response| {
        response_header_names(context.project, response)
            .iter()
            .any(|name| name.eq_ignore_ascii_case("sunset") || name.eq_ignore_ascii_case("deprecation"))
    })
}

impl Check for DeprecatedWithoutSunset {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        for operation in model.operations() {
            let Some(flag) = operation.at.child("deprecated") else {
                continue;
            };
            if flag.node.as_bool() != Some(true) || announces_sunset(context, operation) {
                continue;
            }
            let description = operation.at.node.get("description").and_then(Node::as_str).unwrap_or_default().to_ascii_lowercase();
            if names_replacement(&description) {
                continue;
            }
            let finding = sink.at(&flag, format!("{} is deprecated without a Sunset header or a named replacement", operation.label()));
            let Some(responses) = operation.responses_map() else {
                continue;
            };
            let success = responses.entries().into_iter().find(|response| {
                response.name().starts_with('2') && response.node.reference().is_none() && response.node.as_map().is_some()
            });
            let Some(success) = success else { continue };
            let sunset = json!({"description": "When this operation stops working (RFC 8594).", "schema": {"type": "string"}});
            if let Some(edits) = context.add_response_headers(&success, json!({ "Sunset": sunset })) {
                finding.fix(Fix::new("Add a Sunset header", edits));
            }
        }
    }

    /// The description of a deprecated operation may name its replacement.
    fn reads_prose(&self, edit: &ProseEdit<'_>) -> bool {
        edit.key == "description"
            && edit.parent_key.is_some_and(|key| crate::openapi::model::HTTP_METHODS.contains(&key))
            && edit.parent.get("deprecated").is_some()
    }
}
