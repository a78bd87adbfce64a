use std::collections::{BTreeSet, HashMap};

use crate::analysis::{RuleContext, Sink};
use crate::openapi::model::{ApiModel, NodeAt, OperationView, resolve_at};
use crate::openapi::syntax::Node;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for OAuth 2.0 and OpenID Connect security requirements that ask for no scope
    /// (`- oauth: []`), at the document root or on an operation, and for admin operations
    /// (a path segment `admin` or starting with `admin`) whose scopes are all granted to some
    /// non-admin operation of the same scheme as well. HTTP bearer and API key requirements
    /// take no scopes and are not reported.
    ///
    /// ## Why is this bad?
    /// Without scopes, any token the authorisation server issues for the API opens every
    /// operation: a token meant for reading a profile can delete accounts (OWASP API5,
    /// broken function-level authorisation). Admin operations that share the scopes of
    /// ordinary ones are open to every ordinary client.
    ///
    /// ## Example
    /// ```yaml
    /// /admin/users:
    ///   delete:
    ///     security:
    ///       - oauth: [users:read]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// /admin/users:
    ///   delete:
    ///     security:
    ///       - oauth: [admin:users]
    /// ```
    ///
    /// ## Fix
    /// None: the scopes come from the authorisation server's design.
    pub struct MissingOauthScopes {
        code: "SEC008",
        name: "missing-oauth-scopes",
        area: Sec,
        severity: Warning,
    }
}

fn is_admin_path(path: &str) -> bool {
    path.split('/').any(|segment| segment.to_ascii_lowercase().starts_with("admin"))
}

fn scopes(requirement: &NodeAt<'_>) -> BTreeSet<String> {
    requirement.node.as_seq().unwrap_or_default().iter().filter_map(Node::scalar_text).map(str::to_owned).collect()
}

/// The scheme entries of the requirements that apply to an operation: its own, or the
/// document's.
fn effective<'p>(model: &ApiModel<'p>, operation: &OperationView<'p>) -> Vec<NodeAt<'p>> {
    let list = operation.security.clone().or_else(|| model.security.clone());
    list.map(|list| list.items().into_iter().flat_map(|requirement| requirement.entries()).collect()).unwrap_or_default()
}

impl Check for MissingOauthScopes {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let scoped: HashMap<String, bool> = model
            .security_schemes
            .as_ref()
            .map(|schemes| schemes.entries())
            .unwrap_or_default()
            .iter()
            .map(|scheme| {
                let scheme_type =
                    resolve_at(context.project, scheme).node.get("type").and_then(Node::as_str).unwrap_or_default().to_owned();
                (scheme.name(), scheme_type == "oauth2" || scheme_type == "openIdConnect")
            })
            .collect();
        let is_scoped = |name: &str| scoped.get(name).copied().unwrap_or(false);
        let lists = model.security.iter().chain(model.operations().filter_map(|operation| operation.security.as_ref()));
        for list in lists {
            for requirement in list.items() {
                for scheme in requirement.entries() {
                    if is_scoped(&scheme.name()) && scopes(&scheme).is_empty() {
                        sink.at(&scheme, format!("the `{}` requirement asks for no scope, so any token opens it", scheme.name()));
                    }
                }
            }
        }
        // Scopes of non-admin operations, per scheme.
        let mut public: Vec<(String, BTreeSet<String>, String)> = Vec::new();
        for operation in model.operations().filter(|operation| !is_admin_path(&operation.path)) {
            for scheme in effective(model, operation) {
                if is_scoped(&scheme.name()) {
                    public.push((scheme.name(), scopes(&scheme), operation.label()));
                }
            }
        }
        for operation in model.operations().filter(|operation| is_admin_path(&operation.path)) {
            for scheme in effective(model, operation) {
                let needed = scopes(&scheme);
                if !is_scoped(&scheme.name()) || needed.is_empty() {
                    continue;
                }
                if let Some((_, _, other)) = public.iter().find(|(name, granted, _)| *name == scheme.name() && needed.is_subset(granted)) {
                    sink.at(&operation.at, format!("admin operation {} needs no scope that {other} lacks", operation.label()));
                    break;
                }
            }
        }
    }
}
