use std::collections::HashSet;

use serde_json::json;

use crate::analysis::{Fix, Population, RuleContext, Sink};
use crate::openapi::edit::TextEdit;
use crate::openapi::model::{NodeAt, SpecVersion};
use crate::rules::{Check, declare_rule};

use super::request_schemas::{is_object_schema, json_body_schemas};

declare_rule! {
    /// ## What it does
    /// Checks for JSON request bodies of POST, PUT and PATCH whose object schema accepts
    /// properties it does not declare: no `additionalProperties: false` (nor, in 3.1,
    /// `unevaluatedProperties: false`). A schema given as `additionalProperties` (a typed
    /// map) is a decision and not reported. Each schema is reported once, where it is
    /// defined, however many operations use it.
    ///
    /// When a quarter or more of the request body schemas fail, that is one choice the API made: one finding
    /// on `components.schemas`, naming how many, with each in related information and every fix at once; when fewer fail,
    /// each is reported.
    ///
    /// ## Why is this bad?
    /// Mass assignment (OWASP API3): a client adds `"role": "admin"` or `"price": 0` to a
    /// request, and a server that binds the whole body to its model stores it. A closed
    /// schema lets validators at the edge reject unknown fields.
    ///
    /// ## Example
    /// ```yaml
    /// UserUpdate:
    ///   type: object
    ///   properties:
    ///     name:
    ///       type: string
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// UserUpdate:
    ///   type: object
    ///   additionalProperties: false
    ///   properties:
    ///     name:
    ///       type: string
    /// ```
    ///
    /// ## Fix
    /// Inserts `additionalProperties: false`. Clients that send extra fields start to fail
    /// validation, which is the point; check them first.
    pub struct OpenRequestSchema {
        code: "API022",
        name: "open-request-schema",
        area: Api,
        severity: Info,
    }
}

impl Check for OpenRequestSchema {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let mut seen = HashSet::new();
        let mut judged = HashSet::new();
        for (operation, schema) in json_body_schemas(context, model) {
            if !is_object_schema(schema.node) || schema.node.reference().is_some() {
                continue;
            }
            judged.insert((schema.file, schema.pointer.clone()));
            let closed_by =
                |key: &str| schema.node.get(key).is_some_and(|value| value.as_bool() == Some(false) || value.as_map().is_some());
            if closed_by("additionalProperties") || (model.version == SpecVersion::V31 && closed_by("unevaluatedProperties")) {
                continue;
            }
            if !seen.insert((schema.file, schema.pointer.clone())) {
                continue;
            }
            let tokens: Vec<String> = schema.pointer.tokens().collect();
            let which = match tokens.as_slice() {
                [components, schemas, name] if components == "components" && schemas == "schemas" => format!("schema `{name}`"),
                _ => format!("the request body schema of {operation}"),
            };
            sink.at(&schema, format!("{which} accepts properties it does not declare (mass assignment)"))
                .of("bodies")
                .fix(Fix::new("Add `additionalProperties: false`", vec![close(context, &schema)]));
        }
        let population = Population::new(
            judged.len(),
            "request body schemas",
            "accept properties they do not declare",
            "if the server rejects or ignores unknown properties, close the schemas (`additionalProperties: false`) so that clients and validators know",
        );
        sink.population("bodies", population.at_components(model, "schemas"));
    }
}

/// `additionalProperties: false`: written over an explicit `true`, inserted otherwise.
fn close(context: &RuleContext<'_>, schema: &NodeAt<'_>) -> TextEdit {
    match schema.child("additionalProperties") {
        Some(existing) => TextEdit::replace(existing.node.span.clone(), "false"),
        None => context.insert_member(schema, "additionalProperties", &json!(false)),
    }
}
