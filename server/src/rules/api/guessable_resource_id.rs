use crate::analysis::{Population, RuleContext, Sink};
use crate::openapi::model::ParameterView;
use crate::openapi::syntax::{Node, Value};
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for path parameters named like identifiers (`id`, `userId`, `order_id`, `ID`)
    /// whose schema is an `integer` (also `type: [integer, "null"]` in 3.1).
    ///
    /// When a quarter or more of the id path parameters fail, that is one choice the API made: one finding
    /// on `paths`, naming how many, with each in related information; when fewer fail,
    /// each is reported.
    ///
    /// ## Why is this bad?
    /// Sequential ids can be enumerated: `/invoices/1001`, `/invoices/1002`, … Broken
    /// object-level authorisation is the first item of the OWASP API Security Top 10, and
    /// guessable ids turn one missing ownership check into a data breach. They also leak how
    /// many records exist and how fast they grow.
    ///
    /// ## Example
    /// ```yaml
    /// - name: invoiceId
    ///   in: path
    ///   schema:
    ///     type: integer
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// - name: invoiceId
    ///   in: path
    ///   schema:
    ///     type: string
    ///     format: uuid
    /// ```
    ///
    /// ## Fix
    /// None: changing the type of an id changes the API and its storage.
    pub struct GuessableResourceId {
        code: "API023",
        name: "guessable-resource-id",
        area: Api,
        severity: Info,
    }
}

fn is_id_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("id")
        || name.ends_with("Id")
        || name.ends_with("ID")
        || name.ends_with("_id")
        || name.ends_with("-id")
        || name.ends_with("id") && name.len() > 2 && !name[..name.len() - 2].ends_with(char::is_alphabetic)
}

fn is_integer(parameter: &ParameterView<'_>) -> bool {
    let Some(kind) = parameter.resolved.node.get("schema").and_then(|schema| schema.get("type")) else {
        return false;
    };
    match &kind.value {
        Value::String(single) => single == "integer",
        Value::Seq(kinds) => kinds.iter().filter_map(Node::as_str).any(|kind| kind == "integer"),
        _ => false,
    }
}

impl Check for GuessableResourceId {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let mut judged = 0;
        for parameter in model.unique_parameters() {
            if parameter.location != "path" || !is_id_name(&parameter.name) {
                continue;
            }
            judged += 1;
            if !is_integer(parameter) {
                continue;
            }
            let at =
                parameter.resolved.child("schema").and_then(|schema| schema.child("type")).unwrap_or_else(|| parameter.resolved.clone());
            sink.span(
                at.file,
                at.node.span.clone(),
                parameter.resolved.pointer.clone(),
                format!("path parameter `{}` is a sequential integer id that can be guessed", parameter.name),
            )
            .of("ids");
        }
        sink.population(
            "ids",
            Population::new(
                judged,
                "id path parameters",
                "are sequential integers that can be guessed",
                "integer ids are a design choice: every object lookup must check authorisation, and random or opaque ids for new resources make enumeration harder",
            )
            .at_paths(model),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn id_names() {
        for name in ["id", "ID", "userId", "user_id", "orderID", "item-id"] {
            assert!(super::is_id_name(name), "{name}");
        }
        for name in ["year", "page", "version", "paid", "valid"] {
            assert!(!super::is_id_name(name), "{name}");
        }
    }
}
