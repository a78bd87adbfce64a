use serde_json::json;

use crate::analysis::{Fix, RuleContext, Sink};
use crate::config::VersioningPolicy;
use crate::openapi::edit::TextEdit;
use crate::openapi::model::{ApiModel, NodeAt};
use crate::openapi::pointer::JsonPointer;
use crate::openapi::syntax::sub_span;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for APIs that carry no version where the configured policy expects one
    /// (`[openapi] versioning` in `archlens.toml`):
    /// - `path` (the default): a version segment (`/v1`, `/v2.1`, `/2.0`, a date such as
    ///   `/2024-01-15`) in a server URL's path, or among the literal segments of a path
    ///   before its first parameter (`/v1/users`, `/api/v1/users`, `/ingest/api/v1/events`;
    ///   paths that lack it while others have it are API006's concern);
    /// - `header`: a header parameter named like a version (`API-Version`, `X-API-Version`,
    ///   `Accept-Version`, `Version`, any `…-Version`);
    /// - `media-type`: a versioned media type (`application/vnd.acme.v2+json`,
    ///   `application/json; version=2`);
    /// - `none`: nothing is expected.
    ///
    /// ## Why is this bad?
    /// The first breaking change of an unversioned API breaks every client at once, or
    /// forces a version scheme bolted on later next to unversioned paths. A version from day
    /// one costs nothing.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   - url: https://api.example.com
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// servers:
    ///   - url: https://api.example.com/v1
    /// ```
    ///
    /// ## Fix
    /// Under the `path` policy, appends `/v1` to the server URLs (or adds a `/v1` server).
    /// The other policies have no fix: the header or media type is a design decision.
    pub struct UnversionedApi {
        code: "API005",
        name: "unversioned-api",
        area: Api,
        severity: Warning,
    }
}

/// `v1`, `v2.1`, `V3`, a dotted number `2.0`, or a date `2024-01-15`.
pub fn is_version_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    let numbered = lower.strip_prefix('v').is_some_and(|rest| {
        !rest.is_empty()
            && rest.starts_with(|character: char| character.is_ascii_digit())
            && rest.chars().all(|character| character.is_ascii_digit() || character == '.')
    });
    let bytes = segment.as_bytes();
    let dated = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(index, byte)| index == 4 || index == 7 || byte.is_ascii_digit());
    let dotted = segment.split('.').count() >= 2
        && segment.split('.').all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit()));
    numbered || dated || dotted
}

/// The path part of a server URL (`https://host/api/v1` → `/api/v1`).
fn url_path(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |slash| &rest[slash..]),
        None => url,
    }
}

pub fn server_has_version(url: &str) -> bool {
    url_path(url).split('/').any(is_version_segment)
}

/// True when the servers or any path carry a version segment.
pub fn versioned_by_path(model: &ApiModel<'_>) -> bool {
    servers_carry_version(model) || model.paths.iter().any(|path| path_starts_with_version(&path.path))
}

/// True when a root server URL has a version segment in its path.
pub fn servers_carry_version(model: &ApiModel<'_>) -> bool {
    let servers = model.document.child("servers").map(|servers| servers.items()).unwrap_or_default();
    servers.iter().any(|server| server.node.get("url").and_then(|url| url.as_str()).is_some_and(server_has_version))
}

/// `/v1/users`, `/api/v1/users`, `/ingest/api/v1/events`: a version among the literal
/// segments before the first parameter.
pub fn path_starts_with_version(path: &str) -> bool {
    path.split('/').filter(|segment| !segment.is_empty()).take_while(|segment| !segment.contains('{')).any(is_version_segment)
}

pub fn is_version_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(lower.as_str(), "api-version" | "x-api-version" | "accept-version" | "version")
        || lower.ends_with("-version")
        || lower.ends_with("_version")
}

/// Every header parameter named like a version, anywhere in the document.
pub fn version_headers<'p>(context: &RuleContext<'p>, model: &ApiModel<'p>) -> Vec<NodeAt<'p>> {
    let mut found = Vec::new();
    for parameter in model.unique_parameters() {
        if parameter.location == "header" && is_version_header(&parameter.name) {
            found.push(parameter.resolved.clone());
        }
    }
    let components = model
        .document
        .child("components")
        .and_then(|components| components.child("parameters"))
        .map(|parameters| parameters.entries())
        .unwrap_or_default();
    for parameter in components {
        let parameter = crate::openapi::model::resolve_at(context.project, &parameter);
        let is_header = parameter.node.get("in").and_then(|location| location.as_str()) == Some("header");
        let name = parameter.node.get("name").and_then(|name| name.as_str()).unwrap_or_default();
        if is_header
            && is_version_header(name)
            && !found.iter().any(|seen| seen.pointer == parameter.pointer && seen.file == parameter.file)
        {
            found.push(parameter);
        }
    }
    found
}

fn versioned_media_type(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let (essence, parameters) = lower.split_once(';').unwrap_or((&lower, ""));
    let vendor_version = essence.split(['.', '+', '/']).any(is_version_segment);
    let parameter_version =
        parameters.split(';').any(|parameter| matches!(parameter.trim().split_once('=').map(|(key, _)| key.trim()), Some("version" | "v")));
    vendor_version || parameter_version
}

fn versioned_by_media_type(context: &RuleContext<'_>, model: &ApiModel<'_>) -> bool {
    model.operations().any(|operation| {
        let bodies = operation
            .at
            .child("requestBody")
            .into_iter()
            .chain(operation.responses_map().map(|responses| responses.entries()).unwrap_or_default());
        bodies.into_iter().any(|body| {
            let body = crate::openapi::model::resolve_at(context.project, &body);
            body.child("content")
                .map(|content| content.entries())
                .unwrap_or_default()
                .iter()
                .any(|media| versioned_media_type(&media.name()))
        })
    })
}

impl Check for UnversionedApi {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let document = &model.document;
        let first_key = document.node.as_map().and_then(|entries| entries.first()).map_or(0..0, |entry| entry.key_span.clone());
        match context.config.versioning {
            VersioningPolicy::None => {}
            VersioningPolicy::Header => {
                if version_headers(context, model).is_empty() {
                    sink.span(
                        document.file,
                        first_key,
                        JsonPointer::root(),
                        "the API declares no version header parameter (policy: header)",
                    );
                }
            }
            VersioningPolicy::MediaType => {
                if !versioned_by_media_type(context, model) {
                    sink.span(
                        document.file,
                        first_key,
                        JsonPointer::root(),
                        "no media type of the API carries a version (policy: media-type)",
                    );
                }
            }
            VersioningPolicy::Path => {
                if versioned_by_path(model) {
                    return;
                }
                match document.child("servers") {
                    Some(servers) => {
                        let finding = sink.at(&servers, "neither the server URLs nor the paths carry a version such as /v1");
                        let text = &context.project.file(servers.file).text;
                        let edits: Vec<TextEdit> = servers
                            .items()
                            .iter()
                            .filter_map(|server| server.child("url"))
                            .filter_map(|url| {
                                let value = url.node.as_str()?;
                                let trimmed = value.trim_end_matches('/');
                                // Insert before a trailing slash, inside the quotes.
                                let span = sub_span(text, &url.node.span, value, trimmed.len()..value.len());
                                (span != url.node.span || text.get(url.node.span.clone()) == Some(value))
                                    .then(|| TextEdit::replace(span, "/v1"))
                            })
                            .collect();
                        if !edits.is_empty() {
                            finding.fix(Fix::new("Add /v1 to the server URLs", edits));
                        }
                    }
                    None => {
                        let edit = context.insert_member(document, "servers", &json!([{ "url": "/v1" }]));
                        sink.span(
                            document.file,
                            first_key,
                            JsonPointer::root(),
                            "the document has no servers and its paths carry no version such as /v1",
                        )
                        .fix(Fix::new("Add a /v1 server", vec![edit]));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_segments_and_media_types() {
        for segment in ["v1", "V2", "v2.1", "2024-01-15", "2.0"] {
            assert!(super::is_version_segment(segment), "{segment}");
        }
        for segment in ["v", "video", "users", "2024", "2.", "1.x"] {
            assert!(!super::is_version_segment(segment), "{segment}");
        }
        assert!(super::server_has_version("https://api.example.com/api/v3"));
        assert!(super::path_starts_with_version("/ingest/api/v1/events"));
        assert!(!super::path_starts_with_version("/users/{id}/v1"), "after a parameter, a version is data");
        assert!(!super::server_has_version("https://v1.example.com"));
        assert!(super::versioned_media_type("application/vnd.acme.v2+json"));
        assert!(super::versioned_media_type("application/json; version=2"));
        assert!(!super::versioned_media_type("application/json"));
    }
}
