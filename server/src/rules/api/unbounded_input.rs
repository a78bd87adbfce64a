use std::collections::HashSet;

use serde_json::json;

use crate::analysis::{Fix, RuleContext, Sink};
use crate::openapi::model::{NodeAt, resolve_at};
use crate::openapi::pointer::JsonPointer;
use crate::openapi::project::FileId;
use crate::openapi::syntax::Node;
use crate::rules::{Check, declare_rule};

use super::request_schemas::{json_body_schemas, schema_types};

declare_rule! {
    /// ## What it does
    /// Checks for request inputs without an upper bound: parameters (query, path, header,
    /// cookie) and the top-level properties of JSON request bodies whose schema is a string
    /// with none of `maxLength`, `enum`, `const`, `pattern` or a bounded `format` (uuid, date,
    /// date-time, time, email, ipv4, ipv6), an array without `maxItems`, or a number without
    /// `maximum`/`exclusiveMaximum`/`enum`. Booleans are bounded by nature.
    ///
    /// ## Why is this bad?
    /// Unrestricted resource consumption is item four of the OWASP API Security Top 10: a
    /// 50 MB "name" or a million-element array reaches the database, the logs and every
    /// service behind the gateway. A bound in the contract lets gateways and generated
    /// validators reject it at the edge.
    ///
    /// ## Example
    /// ```yaml
    /// - name: q
    ///   in: query
    ///   schema:
    ///     type: string
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// - name: q
    ///   in: query
    ///   schema:
    ///     type: string
    ///     maxLength: 200
    /// ```
    ///
    /// ## Fix
    /// Adds `maxLength: 255` to a string and `maxItems: 100` to an array; adjust the number.
    /// Numbers get no fix: only the author knows their range.
    pub struct UnboundedInput {
        code: "API021",
        name: "unbounded-input",
        area: Api,
        severity: Info,
    }
}

const BOUNDED_FORMATS: [&str; 7] = ["uuid", "date", "date-time", "time", "email", "ipv4", "ipv6"];

/// What is unbounded about a schema, and the member that would bound it.
fn missing_bound(schema: &Node) -> Option<(&'static str, Option<(&'static str, u32)>)> {
    if schema.get("enum").is_some() || schema.get("const").is_some() || schema.reference().is_some() {
        return None;
    }
    let types = schema_types(schema);
    match types.first().copied()? {
        "string" => {
            let format = schema.get("format").and_then(Node::as_str).unwrap_or_default();
            let bounded = schema.get("maxLength").is_some() || schema.get("pattern").is_some() || BOUNDED_FORMATS.contains(&format);
            (!bounded).then_some(("a string without maxLength", Some(("maxLength", 255))))
        }
        "array" => schema.get("maxItems").is_none().then_some(("an array without maxItems", Some(("maxItems", 100)))),
        "integer" | "number" => {
            let bounded = schema.get("maximum").is_some() || schema.get("exclusiveMaximum").is_some();
            (!bounded).then_some(("a number without maximum", None))
        }
        _ => None,
    }
}

impl Check for UnboundedInput {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let mut seen: HashSet<(FileId, JsonPointer)> = HashSet::new();
        for parameter in model.unique_parameters() {
            let Some(schema) = parameter.resolved.child("schema") else { continue };
            let schema = resolve_at(context.project, &schema);
            let label = format!("{} parameter `{}`", parameter.location, parameter.name);
            report(context, sink, &mut seen, &schema, &label);
        }
        for (_, body) in json_body_schemas(context, model) {
            let Some(properties) = body.child("properties") else { continue };
            for property in properties.entries() {
                let schema = resolve_at(context.project, &property);
                let label = format!("request property `{}`", property.name());
                report(context, sink, &mut seen, &schema, &label);
            }
        }
    }
}

fn report(context: &RuleContext<'_>, sink: &mut Sink, seen: &mut HashSet<(FileId, JsonPointer)>, schema: &NodeAt<'_>, label: &str) {
    let Some((what, bound)) = missing_bound(schema.node) else { return };
    if !seen.insert((schema.file, schema.pointer.clone())) {
        return;
    }
    let finding = sink.at(schema, format!("{label} is {what}"));
    if let Some((member, limit)) = bound
        && schema.node.as_map().is_some()
    {
        finding.fix(Fix::new(format!("Add `{member}: {limit}`"), vec![context.insert_member(schema, member, &json!(limit))]));
    }
}
