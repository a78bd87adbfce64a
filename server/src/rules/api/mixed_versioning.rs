use crate::analysis::{RuleContext, Sink};
use crate::config::VersioningPolicy;
use crate::rules::{Check, declare_rule};

use super::unversioned_api::{path_starts_with_version, servers_carry_version, version_headers, versioned_by_path};

declare_rule! {
    /// ## What it does
    /// Checks for versioning that is applied unevenly or twice:
    /// - under the `path` policy, when the server URLs carry no version, some paths carry a
    ///   version segment before their first parameter (`/v1/users`, `/api/v1/users`) and
    ///   others do not (`/orders`): the paths in the
    ///   minority are reported (on a tie, the unversioned ones);
    /// - under any policy, a version both in the URL (servers or paths) and in a version
    ///   header parameter: each such header is reported.
    ///
    /// ## Why is this bad?
    /// Clients cannot tell which version an unversioned path belongs to, and the next
    /// breaking change has no place to go. Two schemes at once leave it open which one wins
    /// when they disagree (`/v1/users` with `API-Version: 2`).
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /v1/users: ...
    ///   /orders: ...
    /// ```
    ///
    /// Use instead: every path under `/v1`, or the version in the server URL.
    ///
    /// ## Fix
    /// None: moving paths between versions changes the contract.
    pub struct MixedVersioning {
        code: "API006",
        name: "mixed-versioning",
        area: Api,
        severity: Warning,
    }
}

impl Check for MixedVersioning {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        if context.config.versioning == VersioningPolicy::Path && !servers_carry_version(model) {
            let (versioned, unversioned): (Vec<_>, Vec<_>) = model.paths.iter().partition(|path| path_starts_with_version(&path.path));
            if !versioned.is_empty() && !unversioned.is_empty() {
                let (minority, majority_label) =
                    if versioned.len() < unversioned.len() { (versioned, "unversioned") } else { (unversioned, "versioned") };
                for path in minority {
                    sink.at(&path.entry, format!("path `{}` is not versioned like most paths, which are {majority_label}", path.path));
                }
            }
        }
        if versioned_by_path(model) {
            for header in version_headers(context, model) {
                let name = header.node.get("name").and_then(|name| name.as_str()).unwrap_or_default().to_owned();
                sink.at_member_value(
                    &header,
                    "name",
                    format!("header `{name}` versions the API a second time: the URL already carries a version"),
                );
            }
        }
    }
}
