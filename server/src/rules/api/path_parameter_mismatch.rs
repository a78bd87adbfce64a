use std::collections::HashSet;

use serde_json::json;

use crate::analysis::{Fix, RuleContext, Sink};
use crate::openapi::model::{ParameterView, template_parameters};
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for `{name}` placeholders in a path template that are not declared as
    /// `in: path` parameters (on the path item or the operation, directly or through `$ref`),
    /// and for declared path parameters that do not appear in the template.
    ///
    /// ## Why is this bad?
    /// The specification requires both. An undeclared template variable has no type, so
    /// clients and servers generated from the document disagree on it or fail to build; a
    /// declared parameter that is not in the path can never be sent.
    ///
    /// ## Example
    /// ```yaml
    /// /users/{userId}:
    ///   get:
    ///     parameters:
    ///       - name: id
    ///         in: path
    ///         required: true
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// /users/{userId}:
    ///   get:
    ///     parameters:
    ///       - name: userId
    ///         in: path
    ///         required: true
    ///         schema:
    ///           type: string
    /// ```
    ///
    /// ## Fix
    /// Declares a missing template parameter on the operation (`required: true`,
    /// `type: string`; adjust the type). A declared parameter that is not in the template is
    /// only reported: either the path or the parameter is wrong.
    pub struct PathParameterMismatch {
        code: "API019",
        name: "path-parameter-mismatch",
        area: Api,
        severity: Error,
    }
}

fn path_names(parameters: &[ParameterView<'_>]) -> HashSet<String> {
    parameters.iter().filter(|parameter| parameter.location == "path").map(|parameter| parameter.name.clone()).collect()
}

/// Reports the declared path parameters whose names are not in the template.
fn report_not_in_template(sink: &mut Sink, parameters: &[ParameterView<'_>], template: &[String], place: &str) {
    for parameter in parameters.iter().filter(|parameter| parameter.location == "path" && !template.contains(&parameter.name)) {
        report_undeclared_name(sink, parameter, format!("path parameter `{}` is not in {place}", parameter.name));
    }
}

/// Underlines the parameter's name where it is written inline, or its `$ref`.
fn report_undeclared_name(sink: &mut Sink, parameter: &ParameterView<'_>, message: String) {
    match parameter.use_site.child("name") {
        Some(name) => {
            sink.span(name.file, name.node.span.clone(), parameter.use_site.pointer.clone(), message);
        }
        None => {
            let at = parameter.use_site.child("$ref").unwrap_or_else(|| parameter.use_site.clone());
            sink.span(at.file, at.node.span.clone(), parameter.use_site.pointer.clone(), message);
        }
    }
}

impl Check for PathParameterMismatch {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        for path in &model.paths {
            let template: Vec<String> = template_parameters(&path.path).into_iter().map(|(name, _)| name).collect();
            let shared = path_names(&path.parameters);
            report_not_in_template(sink, &path.parameters, &template, &format!("the path `{}`", path.path));
            for operation in &path.operations {
                let own = path_names(&operation.parameters);
                report_not_in_template(sink, &operation.parameters, &template, &format!("the path of {}", operation.label()));
                for name in template.iter().filter(|name| !shared.contains(*name) && !own.contains(*name)) {
                    let declaration = json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}});
                    let edit = match operation.at.child("parameters") {
                        Some(list) if list.node.as_seq().is_some() => context.append_item(&list, &declaration),
                        Some(_) => continue,
                        None => context.insert_member(&operation.at, "parameters", &json!([declaration])),
                    };
                    sink.at(
                        &operation.at,
                        format!("`{{{name}}}` in the path of {} is not declared as a path parameter", operation.label()),
                    )
                    .fix(Fix::new(format!("Declare path parameter `{name}`"), vec![edit]).preferred());
                }
            }
        }
    }
}
