use crate::analysis::{RuleContext, Sink};
use crate::openapi::model::NodeAt;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for credentials carried in the URL: `apiKey` security schemes with
    /// `in: query`, and query parameters named like credentials (`access_token`, `api_key`,
    /// `apiKey`, `password`, `client_secret`, `token`, …). Pagination cursors such as
    /// `page_token` or `nextPageToken` are not credentials, nor are boolean or numeric
    /// switches such as `hide_secret`; those are not reported.
    ///
    /// ## Why is this bad?
    /// URLs are written to access logs, proxy logs, browser history and `Referer` headers.
    /// A credential in the query string leaks to all of them and cannot be rotated out of
    /// old logs (OWASP API2, CWE-598).
    ///
    /// ## Example
    /// ```yaml
    /// securitySchemes:
    ///   apiKey:
    ///     type: apiKey
    ///     in: query
    ///     name: api_key
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// securitySchemes:
    ///   apiKey:
    ///     type: apiKey
    ///     in: header
    ///     name: X-API-Key
    /// ```
    ///
    /// ## Fix
    /// None: moving a credential to a header changes every client.
    pub struct CredentialsInUrl {
        code: "SEC004",
        name: "credentials-in-url",
        area: Sec,
        severity: Error,
    }
}

/// Normalised names (lower case, no `-`/`_`) that are credentials in themselves.
const CREDENTIAL_NAMES: [&str; 12] = [
    "token",
    "accesstoken",
    "apikey",
    "apitoken",
    "authtoken",
    "authorization",
    "password",
    "passwd",
    "secret",
    "clientsecret",
    "sessiontoken",
    "refreshtoken",
];
/// Endings that make a name a credential (`user_password`, `github_access_token`).
const CREDENTIAL_SUFFIXES: [&str; 6] = ["password", "secret", "apikey", "accesstoken", "authtoken", "privatekey"];

pub fn is_credential_name(name: &str) -> bool {
    let normalized: String = name.chars().filter(|character| character.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    CREDENTIAL_NAMES.contains(&normalized.as_str()) || CREDENTIAL_SUFFIXES.iter().any(|suffix| normalized.ends_with(suffix))
}

impl Check for CredentialsInUrl {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        if let Some(schemes) = &model.security_schemes {
            for scheme in schemes.entries() {
                let scheme = crate::openapi::model::resolve_at(context.project, &scheme);
                let is_api_key = scheme.node.get("type").and_then(|kind| kind.as_str()) == Some("apiKey");
                if let Some(location) = scheme.child("in")
                    && is_api_key
                    && location.node.as_str() == Some("query")
                {
                    sink.span(
                        location.file,
                        location.node.span.clone(),
                        location.pointer.clone(),
                        format!("API key scheme `{}` is sent in the query string", scheme.name()),
                    );
                }
            }
        }
        for parameter in model.unique_parameters() {
            if parameter.location != "query" || !is_credential_name(&parameter.name) || is_flag_or_number(&parameter.resolved) {
                continue;
            }
            report_parameter(sink, &parameter.resolved, &parameter.name);
        }
    }
}

/// `hide_secret: boolean` is a switch, not a credential: credentials are strings.
pub fn is_flag_or_number(parameter: &NodeAt<'_>) -> bool {
    let kind = parameter.node.get("schema").and_then(|schema| schema.get("type"));
    let kinds: Vec<&str> = match kind.map(|kind| &kind.value) {
        Some(crate::openapi::syntax::Value::String(single)) => vec![single.as_str()],
        Some(crate::openapi::syntax::Value::Seq(many)) => many.iter().filter_map(|item| item.as_str()).collect(),
        _ => Vec::new(),
    };
    !kinds.is_empty() && kinds.iter().all(|kind| matches!(*kind, "boolean" | "integer" | "number" | "null"))
}

fn report_parameter(sink: &mut Sink, parameter: &NodeAt<'_>, name: &str) {
    let at = parameter.child("name").unwrap_or_else(|| parameter.clone());
    sink.span(
        at.file,
        at.node.span.clone(),
        at.pointer.clone(),
        format!("query parameter `{name}` carries a credential in the URL; send it in a header"),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn credential_names() {
        for name in ["access_token", "api_key", "apiKey", "password", "client_secret", "token", "X-Api-Key", "userPassword"] {
            assert!(super::is_credential_name(name), "{name}");
        }
        for name in ["page_token", "pageToken", "next_page_token", "sort", "tokenizer", "keyword", "secretary"] {
            assert!(!super::is_credential_name(name), "{name}");
        }
    }
}
