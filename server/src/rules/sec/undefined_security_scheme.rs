use crate::analysis::{RuleContext, Sink};
use crate::openapi::model::NodeAt;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for security requirements (at the document root or on an operation) that name
    /// a scheme not defined under `components.securitySchemes`.
    ///
    /// ## Why is this bad?
    /// The requirement refers to nothing, so gateways and generated clients do not know how
    /// to authenticate, and some tools treat the operation as unsecured. It is usually a typo
    /// or a scheme that was renamed.
    ///
    /// ## Example
    /// ```yaml
    /// security:
    ///   - bearer: []
    /// components:
    ///   securitySchemes:
    ///     bearerAuth:
    ///       type: http
    ///       scheme: bearer
    /// ```
    ///
    /// Use instead: name the scheme as defined (`bearerAuth: []`).
    ///
    /// ## Fix
    /// None: which scheme was meant is the author's call.
    pub struct UndefinedSecurityScheme {
        code: "SEC002",
        name: "undefined-security-scheme",
        area: Sec,
        severity: Error,
    }
}

impl Check for UndefinedSecurityScheme {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let defined = model.scheme_names();
        let requirement_lists = model.security.iter().chain(model.operations().filter_map(|operation| operation.security.as_ref()));
        for list in requirement_lists {
            for requirement in list.items() {
                for scheme in requirement.entries() {
                    let name = scheme.name();
                    if !defined.contains(&name) {
                        report(sink, &scheme, &name, &defined);
                    }
                }
            }
        }
    }
}

fn report(sink: &mut Sink, scheme: &NodeAt<'_>, name: &str, defined: &[String]) {
    let known = if defined.is_empty() { "no schemes are defined".to_owned() } else { format!("defined: {}", defined.join(", ")) };
    sink.at(scheme, format!("security scheme `{name}` is not defined in components.securitySchemes ({known})"));
}
