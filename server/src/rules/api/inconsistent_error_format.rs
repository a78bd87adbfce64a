use std::collections::HashMap;

use serde_json::json;

use crate::analysis::{Fix, Population, RuleContext, Sink};
use crate::openapi::edit::TextEdit;
use crate::openapi::model::{NodeAt, resolve_at};
use crate::openapi::syntax::Format;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for error responses (4xx, 5xx, `4XX`, `5XX`, `default`; inline or `$ref`) with a
    /// JSON body that do not share one format:
    /// - when a `$ref`'d schema is used by at least two error bodies (the shared error
    ///   schema, the most used one), every error body with another schema is reported, once
    ///   per distinct schema: an inline schema repeated in many responses is one finding,
    ///   with the others in related information and a fix that replaces them all;
    /// - every error body whose media type is `application/json` (or another JSON type)
    ///   instead of `application/problem+json` (RFC 9457) is reported.
    ///
    /// When a quarter or more of the JSON error bodies that are not problem details fail, that is one choice the API made: one finding
    /// on `components.responses`, naming how many, with each in related information; when fewer fail,
    /// each is reported.
    ///
    /// ## Why is this bad?
    /// Clients handle errors in one place. When each endpoint invents its own error shape,
    /// that place becomes a switch over endpoints, and errors that do not match are shown
    /// to users as "something went wrong". Problem Details is the standard shape that
    /// libraries and gateways already understand.
    ///
    /// ## Example
    /// ```yaml
    /// "404":
    ///   content:
    ///     application/json:
    ///       schema:
    ///         type: object
    ///         properties:
    ///           msg:
    ///             type: string
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// "404":
    ///   content:
    ///     application/problem+json:
    ///       schema:
    ///         $ref: "#/components/schemas/Problem"
    /// ```
    ///
    /// ## Fix
    /// Points a diverging error body at the shared error schema (when they are in the same
    /// file). The media type is only reported: clients parse on it.
    pub struct InconsistentErrorFormat {
        code: "API009",
        name: "inconsistent-error-format",
        area: Api,
        severity: Info,
    }
}

fn is_error_code(code: &str) -> bool {
    code.starts_with('4') || code.starts_with('5') || code == "default"
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

impl Check for InconsistentErrorFormat {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        // Every error body: its media type entry and its schema, once per place it is written.
        let mut bodies: Vec<(String, NodeAt<'_>, Option<NodeAt<'_>>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for operation in model.operations() {
            for response in operation.responses_map().map(|responses| responses.entries()).unwrap_or_default() {
                let code = response.name();
                if !is_error_code(&code) {
                    continue;
                }
                let label = format!("the {code} response of {}", operation.label());
                let response = resolve_at(context.project, &response);
                for media in response.child("content").map(|content| content.entries()).unwrap_or_default() {
                    if is_json(&media.name()) && seen.insert((media.file, media.pointer.clone())) {
                        let schema = media.child("schema");
                        bodies.push((label.clone(), media, schema));
                    }
                }
            }
        }
        let mut uses: HashMap<String, usize> = HashMap::new();
        for (_, _, schema) in &bodies {
            if let Some(reference) = schema.as_ref().and_then(|schema| schema.node.reference()) {
                *uses.entry(reference.to_owned()).or_default() += 1;
            }
        }
        let shared = uses
            .iter()
            .filter(|(_, count)| **count >= 2)
            .max_by_key(|(reference, count)| (**count, std::cmp::Reverse((*reference).clone())))
            .map(|(reference, _)| reference.clone());
        // Error bodies that do not use the shared schema, grouped by what they use instead:
        // one inline schema copied into many responses is one problem, reported once.
        let mut deviations: Vec<(String, Vec<(&String, &NodeAt<'_>)>)> = Vec::new();
        for (label, _, schema) in &bodies {
            if let (Some(shared), Some(schema)) = (&shared, schema)
                && schema.node.reference() != Some(shared.as_str())
            {
                let text = &context.project.file(schema.file).text;
                let written: String = text.get(schema.node.span.clone()).unwrap_or_default().split_whitespace().collect();
                match deviations.iter_mut().find(|(known, _)| *known == written) {
                    Some((_, places)) => places.push((label, schema)),
                    None => deviations.push((written, vec![(label, schema)])),
                }
            }
        }
        if let Some(shared) = &shared {
            for (_, places) in &deviations {
                let (label, schema) = places[0];
                let message = match places.len() {
                    1 => format!("{label} does not use the shared error schema `{shared}`"),
                    2 => format!("{label} does not use the shared error schema `{shared}`; 1 more error body repeats the same schema"),
                    count => format!(
                        "{label} does not use the shared error schema `{shared}`; {} more error bodies repeat the same schema",
                        count - 1
                    ),
                };
                let finding = sink.at(schema, message);
                for (other, at) in places.iter().skip(1) {
                    finding.related(at.file, at.span(), format!("{other} repeats it"));
                }
                // A `#/…` reference only resolves in the document's own file.
                if shared.starts_with('#') && places.iter().all(|(_, at)| at.file == context.project.root) {
                    let replacement = match context.project.file(schema.file).parsed.format {
                        Format::Json => json!({ "$ref": shared }).to_string(),
                        Format::Yaml => format!("{{$ref: {}}}", json!(shared)),
                    };
                    let edits = places.iter().map(|(_, at)| TextEdit::replace(at.node.span.clone(), replacement.clone())).collect();
                    finding.fix(Fix::new(format!("Use `{shared}`"), edits));
                }
            }
        }
        for (label, media, _) in &bodies {
            let media_type = media.name();
            if !media_type.to_ascii_lowercase().starts_with("application/problem+json") {
                sink.at(media, format!("{label} is `{media_type}`, not `application/problem+json` (RFC 9457)")).of("media");
            }
        }
        let population = Population::new(
            bodies.len(),
            "JSON error bodies",
            "are not `application/problem+json`",
            "the API has an error format of its own; adopting RFC 9457 problem details is one decision, made in the shared error responses",
        );
        sink.population("media", population.at_components(model, "responses"));
    }
}
