use serde_json::json;

use crate::analysis::{Fix, RuleContext, Sink};
use crate::openapi::model::{NodeAt, OperationView, resolve_at, response_header_names};
use crate::rules::{Check, declare_rule};

use super::request_schemas::schema_types;

declare_rule! {
    /// ## What it does
    /// Checks for GET operations that return a list with no way to page through it. A list is
    /// a JSON `200` body whose schema is an array, or an object whose `data`, `items`,
    /// `results`, `records`, `entries` or `values` property is an array. Pagination is any of:
    /// a query parameter in the cursor, page/size or offset/limit styles (`limit`, `per_page`,
    /// `page_size`, `page`, `offset`, `cursor`, `after`, `before`, `starting_after`,
    /// `page_token`, `next_token`, `max_results`, `top`, `skip`, …); a `Link` header on the
    /// `200`; a next-page field in the envelope (`next`, `next_cursor`, `nextPageToken`,
    /// `has_more`, `cursor`) or a `links`/`_links`/`pagination`/`meta` object.
    ///
    /// ## Why is this bad?
    /// An unpaginated list grows with the data: the response that takes 20 ms today takes 20 s
    /// and a gigabyte of memory next year, on the server and on every client. Adding
    /// pagination later is a breaking change.
    ///
    /// ## Example
    /// ```yaml
    /// /orders:
    ///   get:
    ///     responses:
    ///       "200":
    ///         content:
    ///           application/json:
    ///             schema:
    ///               type: array
    /// ```
    ///
    /// Use instead: `limit` and `cursor` query parameters, and a `next_cursor` in an envelope.
    ///
    /// ## Fix
    /// Adds `limit` (1–100) and `cursor` query parameters; the server must honour them and
    /// return the next cursor.
    pub struct UnpaginatedCollection {
        code: "API007",
        name: "unpaginated-collection",
        area: Api,
        severity: Warning,
    }
}

const LIST_PROPERTIES: [&str; 6] = ["data", "items", "results", "records", "entries", "values"];
const PAGE_PARAMETERS: [&str; 21] = [
    "limit",
    "perpage",
    "pagesize",
    "size",
    "page",
    "pagenumber",
    "offset",
    "cursor",
    "after",
    "before",
    "startingafter",
    "endingbefore",
    "pagetoken",
    "nexttoken",
    "continuationtoken",
    "maxresults",
    "top",
    "skip",
    "first",
    "last",
    "count",
];
const NEXT_FIELDS: [&str; 6] = ["next", "nextcursor", "nextpagetoken", "nextpage", "hasmore", "cursor"];
const ENVELOPE_OBJECTS: [&str; 4] = ["links", "_links", "pagination", "meta"];

fn normalized(name: &str) -> String {
    name.chars().filter(|character| *character != '_' && *character != '-').collect::<String>().to_ascii_lowercase()
}

/// The JSON body schema of a response, after `$ref`s.
fn json_schema<'p>(context: &RuleContext<'p>, response: &NodeAt<'p>) -> Option<NodeAt<'p>> {
    let response = resolve_at(context.project, response);
    let content = response.child("content")?;
    content.entries().into_iter().find_map(|media| {
        let media_type = media.name().to_ascii_lowercase();
        let media_type = media_type.split(';').next().unwrap_or_default().trim().to_owned();
        (media_type == "application/json" || media_type.ends_with("+json")).then(|| media.child("schema")).flatten()
    })
}

/// True when the body is a list that the envelope does not page.
fn is_unpaged_list(context: &RuleContext<'_>, schema: &NodeAt<'_>) -> bool {
    let schema = resolve_at(context.project, schema);
    if schema_types(schema.node).contains(&"array") {
        return true;
    }
    let Some(properties) = schema.child("properties") else { return false };
    let names: Vec<String> = properties.entries().iter().map(NodeAt::name).collect();
    let has_list = properties.entries().iter().any(|property| {
        LIST_PROPERTIES.contains(&property.name().as_str()) && schema_types(resolve_at(context.project, property).node).contains(&"array")
    });
    let pages = names
        .iter()
        .any(|name| NEXT_FIELDS.contains(&normalized(name).as_str()) || ENVELOPE_OBJECTS.contains(&name.to_ascii_lowercase().as_str()));
    has_list && !pages
}

fn has_page_parameter(operation: &OperationView<'_>, path_parameters: &[crate::openapi::model::ParameterView<'_>]) -> bool {
    path_parameters
        .iter()
        .chain(&operation.parameters)
        .any(|parameter| parameter.location == "query" && PAGE_PARAMETERS.contains(&normalized(&parameter.name).as_str()))
}

impl Check for UnpaginatedCollection {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        for path in &model.paths {
            for operation in path.operations.iter().filter(|operation| operation.method == "get") {
                let Some(ok) = operation.responses_map().and_then(|responses| responses.child("200")) else { continue };
                let Some(schema) = json_schema(context, &ok) else { continue };
                if !is_unpaged_list(context, &schema) || has_page_parameter(operation, &path.parameters) {
                    continue;
                }
                if response_header_names(context.project, &ok).iter().any(|name| name.eq_ignore_ascii_case("link")) {
                    continue;
                }
                let limit = json!({"name": "limit", "in": "query", "description": "How many items to return.", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}});
                let cursor = json!({"name": "cursor", "in": "query", "description": "Where the previous page ended.", "schema": {"type": "string", "maxLength": 255}});
                let edits = match operation.at.child("parameters") {
                    Some(list) if list.node.as_seq().is_some_and(|items| !items.is_empty()) => {
                        vec![context.append_item(&list, &limit), context.append_item(&list, &cursor)]
                    }
                    Some(_) => Vec::new(),
                    None => vec![context.insert_member(&operation.at, "parameters", &json!([limit, cursor]))],
                };
                let finding = sink.at(&operation.at, format!("{} returns a list without pagination", operation.label()));
                // Two items appended at the same place would come out in one order or the other;
                // one edit keeps them in order.
                if edits.len() == 2 {
                    let mut combined = edits[0].clone();
                    combined.new_text.push_str(&edits[1].new_text);
                    finding.fix(Fix::new("Add limit and cursor parameters", vec![combined]));
                } else if !edits.is_empty() {
                    finding.fix(Fix::new("Add limit and cursor parameters", edits));
                }
            }
        }
    }
}
