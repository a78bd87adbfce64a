use serde_json::json;

use crate::analysis::{Fix, Population, RuleContext, Sink};
use crate::openapi::edit::TextEdit;
use crate::openapi::model::{NodeAt, SpecVersion};
use crate::openapi::pointer::JsonPointer;
use crate::openapi::syntax::{Format, Value};
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for `nullable` in the schemas of OpenAPI 3.1 documents, in every file of the
    /// project (examples, defaults, enums, `const` values and `x-` extensions are data and
    /// are left alone). When a quarter or more of the schemas that allow null do it with
    /// `nullable`, the document was written for 3.0: one finding at its top, with each in
    /// related information and every fix at once; otherwise each `nullable` is reported.
    ///
    /// ## Why is this bad?
    /// OpenAPI 3.1 schemas are JSON Schema 2020-12, which has no `nullable`: the keyword is
    /// allowed (unknown keywords are), so the document stays valid, but it means nothing.
    /// Validators and generators that follow 3.1 reject `null` where the author meant to
    /// allow it, and clients generated from the document get non-optional fields.
    ///
    /// ## Example
    /// ```yaml
    /// middleName:
    ///   type: string
    ///   nullable: true
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// middleName:
    ///   type: [string, "null"]
    /// ```
    ///
    /// ## Fix
    /// For `nullable: true` next to a `type`, adds `"null"` to the type and removes
    /// `nullable`; `nullable: false` (the default) is removed.
    pub struct NullableInOpenApi31 {
        code: "API027",
        name: "nullable-in-openapi-3-1",
        area: Api,
        severity: Warning,
    }
}

/// Keys whose values are data, not schemas.
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Maps whose keys are names (a property may be called `default` or `nullable`).
fn is_name_map(key: &str) -> bool {
    matches!(key, "properties" | "patternProperties" | "$defs" | "definitions" | "schemas" | "dependentSchemas")
}

impl Check for NullableInOpenApi31 {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        if model.version != SpecVersion::V31 {
            return;
        }
        // Schemas that say whether null is allowed, the 3.0 way or the 3.1 way.
        let mut judged = 0;
        for (file, source) in context.project.files.iter().enumerate() {
            let Some(root) = source.root() else { continue };
            // (node, whether its keys are names)
            let mut stack = vec![(NodeAt { file, pointer: JsonPointer::root(), node: root, key_span: None }, false)];
            while let Some((at, names)) = stack.pop() {
                if !names
                    && let Some(nullable) = at.child("nullable")
                    && let Some(value) = nullable.node.as_bool()
                {
                    judged += 1;
                    report(context, sink, &at, &nullable, value);
                } else if !names
                    && at
                        .node
                        .get("type")
                        .and_then(|kind| kind.as_seq())
                        .is_some_and(|kinds| kinds.iter().any(|kind| kind.as_str() == Some("null")))
                {
                    judged += 1;
                }
                match &at.node.value {
                    Value::Map(_) => {
                        for entry in at.entries() {
                            let key = entry.name();
                            if names || !is_data_key(&key) {
                                let child_names = !names && is_name_map(&key);
                                stack.push((entry, child_names));
                            }
                        }
                    }
                    Value::Seq(_) => stack.extend(at.items().into_iter().map(|item| (item, false))),
                    _ => {}
                }
            }
        }
        sink.population(
            "schemas",
            Population::new(
                judged,
                "schemas that allow null",
                "say so with `nullable`, which OpenAPI 3.1 ignores",
                "the document still writes nulls the OpenAPI 3.0 way; add \"null\" to each `type` instead (the fix does them all)",
            )
            .at(&model.document),
        );
    }
}

fn report(context: &RuleContext<'_>, sink: &mut Sink, schema: &NodeAt<'_>, nullable: &NodeAt<'_>, value: bool) {
    let message = if value {
        "`nullable` has no effect in OpenAPI 3.1: `null` is allowed by adding \"null\" to `type`"
    } else {
        "`nullable: false` has no effect in OpenAPI 3.1 (and is the default anyway)"
    };
    let finding = sink.at(nullable, message).of("schemas");
    let Some(remove) = context.remove_member(schema, "nullable") else { return };
    if !value {
        finding.fix(Fix::new("Remove `nullable: false`", vec![remove]).preferred());
        return;
    }
    let Some(kind) = schema.node.get("type") else { return };
    let types: Vec<String> = match &kind.value {
        Value::String(one) => vec![one.clone()],
        Value::Seq(many) => many.iter().filter_map(|item| item.as_str().map(str::to_owned)).collect(),
        _ => return,
    };
    if types.iter().any(|kind| kind == "null") {
        finding.fix(Fix::new("Remove `nullable` (the type already allows null)", vec![remove]).preferred());
        return;
    }
    let mut with_null = types;
    with_null.push("null".to_owned());
    let text = match context.project.file(schema.file).parsed.format {
        Format::Json => json!(with_null).to_string(),
        Format::Yaml => format!("[{}]", with_null.iter().map(|kind| json!(kind).to_string()).collect::<Vec<_>>().join(", ")),
    };
    let edits = vec![TextEdit::replace(kind.span.clone(), text), remove];
    finding.fix(Fix::new("Allow null in `type`", edits).preferred());
}
