use crate::analysis::{RuleContext, Sink};
use crate::openapi::model::resolve_at;
use crate::openapi::syntax::Node;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for weak authentication schemes: HTTP `basic` and `negotiate` schemes, and the
    /// OAuth 2.0 `implicit` and `password` (resource owner password credentials) flows.
    ///
    /// ## Why is this bad?
    /// Basic authentication sends a reusable password with every request and cannot be
    /// scoped or revoked per client; negotiate ties the API to a Windows domain. OAuth 2.0
    /// Security Best Current Practice (RFC 9700) forbids the implicit flow (tokens in URLs)
    /// and the password flow (clients handle user passwords).
    ///
    /// ## Example
    /// ```yaml
    /// securitySchemes:
    ///   basicAuth:
    ///     type: http
    ///     scheme: basic
    /// ```
    ///
    /// Use instead: bearer tokens from an OAuth 2.0 authorization code flow with PKCE, or
    /// client credentials for machine-to-machine calls.
    ///
    /// ## Fix
    /// None: changing the authentication scheme changes every client.
    pub struct WeakAuthScheme {
        code: "SEC003",
        name: "weak-auth-scheme",
        area: Sec,
        severity: Warning,
    }
}

impl Check for WeakAuthScheme {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let Some(schemes) = &model.security_schemes else {
            return;
        };
        for scheme in schemes.entries() {
            let scheme = resolve_at(context.project, &scheme);
            let name = scheme.name();
            match scheme.node.get("type").and_then(Node::as_str) {
                Some("http") => {
                    let Some(kind) = scheme.child("scheme") else {
                        continue;
                    };
                    let value = kind.node.as_str().unwrap_or_default().to_ascii_lowercase();
                    if value == "basic" || value == "negotiate" {
                        sink.span(
                            kind.file,
                            kind.node.span.clone(),
                            kind.pointer.clone(),
                            format!("security scheme `{name}` uses HTTP {value} authentication"),
                        );
                    }
                }
                Some("oauth2") => {
                    let Some(flows) = scheme.child("flows") else {
                        continue;
                    };
                    for flow in flows.entries() {
                        let flow_name = flow.name();
                        if flow_name == "implicit" || flow_name == "password" {
                            sink.at(
                                &flow,
                                format!(
                                    "OAuth 2.0 scheme `{name}` offers the {flow_name} flow, which current OAuth security practice forbids"
                                ),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
}
