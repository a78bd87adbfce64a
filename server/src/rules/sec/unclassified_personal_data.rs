use std::collections::{HashMap, HashSet};

use serde_json::json;

use crate::analysis::{Fix, Population, RuleContext, Sink};
use crate::openapi::model::{NodeAt, resolve_at};
use crate::openapi::syntax::Node;
use crate::rules::{Check, declare_rule};

use super::personal_data::personal_data_kind;
use crate::rules::api::request_schemas::schema_types;

declare_rule! {
    /// ## What it does
    /// Checks for schema properties that hold personal data (the names SEC006 recognises:
    /// email, phone, date of birth, postal and IP addresses, people's names, national and tax
    /// numbers, bank and card numbers; booleans and numbers such as `email_verified` are
    /// flags, not data) without a data-classification marker: neither the
    /// property's schema nor the schema that holds it has an `x-data-classification` key (any
    /// value). Schemas under `components/schemas` and the inline schemas of request and
    /// response bodies are read, with nested properties, array items and `allOf`/`oneOf`/
    /// `anyOf` members; a schema reached through `$ref` is checked where it is defined.
    ///
    /// When a quarter or more of the personal-data properties fail, that is one choice the API made: one finding
    /// on `components.schemas`, naming how many, with each in related information and every fix at once; when fewer fail,
    /// each is reported.
    ///
    /// ## Why is this bad?
    /// GDPR asks for a record of which personal data a system processes (Art. 30), and data
    /// protection reviews, retention jobs, log scrubbers and access policies all need to know
    /// which fields are personal. A marker in the contract is where every tool can read it.
    ///
    /// ## Example
    /// ```yaml
    /// Customer:
    ///   properties:
    ///     email:
    ///       type: string
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Customer:
    ///   properties:
    ///     email:
    ///       type: string
    ///       x-data-classification: personal
    /// ```
    ///
    /// ## Fix
    /// Adds `x-data-classification: personal` to the property's schema.
    pub struct UnclassifiedPersonalData {
        code: "SEC007",
        name: "unclassified-personal-data",
        area: Sec,
        severity: Info,
    }
}

const CLASSIFICATION: &str = "x-data-classification";

/// Schema roots: the components, and the inline schemas of request and response bodies.
/// The keywords under which a schema holds other schemas.
const NESTING_KEYS: [&str; 6] = ["properties", "items", "allOf", "oneOf", "anyOf", "additionalProperties"];

fn schema_roots<'p>(context: &RuleContext<'p>) -> Vec<NodeAt<'p>> {
    let Some(model) = context.model else { return Vec::new() };
    let mut roots: Vec<NodeAt<'p>> = model
        .document
        .child("components")
        .and_then(|components| components.child("schemas"))
        .map(|schemas| schemas.entries())
        .unwrap_or_default();
    for operation in model.operations() {
        let bodies = operation
            .at
            .child("requestBody")
            .into_iter()
            .chain(operation.responses_map().map(|responses| responses.entries()).unwrap_or_default());
        for body in bodies {
            let body = resolve_at(context.project, &body);
            for media in body.child("content").map(|content| content.entries()).unwrap_or_default() {
                roots.extend(media.child("schema"));
            }
        }
    }
    roots
}

impl Check for UnclassifiedPersonalData {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        // Nodes by address: the project does not move while rules run.
        let mut visited: HashSet<(*const Node, bool)> = HashSet::new();
        // Property names repeat across schemas; each is classified once.
        let mut kinds: HashMap<&str, Option<&'static str>> = HashMap::new();
        let mut stack: Vec<(NodeAt<'_>, bool)> = schema_roots(context).into_iter().map(|root| (root, false)).collect();
        let mut judged = 0;
        while let Some((schema, classified)) = stack.pop() {
            let schema = resolve_at(context.project, &schema);
            if schema.node.as_map().is_none() || !visited.insert((std::ptr::from_ref(schema.node), classified)) {
                continue;
            }
            let classified = classified || schema.node.get(CLASSIFICATION).is_some();
            let properties = schema.child("properties");
            for entry in properties.as_ref().and_then(|properties| properties.node.as_map()).unwrap_or_default() {
                let name = entry.key.as_str();
                let kind = *kinds.entry(name).or_insert_with(|| personal_data_kind(name));
                let is_reference = entry.value.reference().is_some();
                let nests = NESTING_KEYS.iter().any(|key| entry.value.get(key).is_some());
                // Most properties are plain leaves with ordinary names: nothing to report or visit.
                if kind.is_none() && !is_reference && !nests {
                    continue;
                }
                let Some(properties) = &properties else { break };
                let property = NodeAt {
                    file: properties.file,
                    pointer: properties.pointer.child(name),
                    node: &entry.value,
                    key_span: Some(entry.key_span.clone()),
                };
                let resolved = resolve_at(context.project, &property);
                let marked = property.node.get(CLASSIFICATION).is_some() || resolved.node.get(CLASSIFICATION).is_some();
                let types = schema_types(resolved.node);
                let is_switch = !types.is_empty() && types.iter().all(|kind| matches!(*kind, "boolean" | "integer" | "number"));
                if kind.is_some() && !is_switch && !is_reference {
                    judged += 1;
                }
                if let Some(kind) = kind
                    && !classified
                    && !marked
                    && !is_switch
                    && !is_reference
                {
                    let finding =
                        sink.at(&property, format!("property `{name}` holds {kind} but has no `{CLASSIFICATION}` marker")).of("properties");
                    if property.node.as_map().is_some() {
                        finding.fix(
                            Fix::new(
                                "Classify as personal data",
                                vec![context.insert_member(&property, CLASSIFICATION, &json!("personal"))],
                            )
                            .preferred(),
                        );
                    }
                }
                // Leaf schemas have nothing below them to visit.
                if NESTING_KEYS.iter().any(|key| resolved.node.get(key).is_some()) {
                    stack.push((property, classified));
                }
            }
            stack.extend(schema.child("items").map(|items| (items, classified)));
            for combinator in ["allOf", "oneOf", "anyOf"] {
                stack.extend(
                    schema
                        .child(combinator)
                        .map(|members| members.items())
                        .unwrap_or_default()
                        .into_iter()
                        .map(|member| (member, classified)),
                );
            }
            if let Some(additional) = schema.child("additionalProperties").filter(|additional| additional.node.as_map().is_some()) {
                stack.push((additional, classified));
            }
        }
        let population = Population::new(
            judged,
            "properties that hold personal data",
            format!("have no `{CLASSIFICATION}` marker"),
            format!("if the API's users need a classification (GDPR records, log redaction), mark personal data with `{CLASSIFICATION}`"),
        );
        let population =
            match context.model.and_then(|model| model.document.child("components")).and_then(|components| components.child("schemas")) {
                Some(schemas) => population.at(&schemas),
                None => population,
            };
        sink.population("properties", population);
    }
}
