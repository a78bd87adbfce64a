use serde_json::json;

use crate::analysis::{Fix, Population, RuleContext, Severity, Sink};
use crate::openapi::model::NodeAt;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for operations with no security requirement: neither the operation nor the
    /// document root declares `security`, or the root's requirement allows anonymous access
    /// (`{}`). Write operations (POST, PUT, PATCH, DELETE) are errors; reads are reported
    /// as information.
    ///
    /// An operation that declares `security: []` (or `[{}]`) itself is an explicit, reviewed
    /// decision that the endpoint is public (a login or a health check) and is not reported.
    ///
    /// A document that models no authentication at all (no security scheme, no `security`
    /// at the root or on any operation) has one defect, not one per operation: it gets a
    /// single error on `paths` that counts the operations and lists each in related
    /// information.
    ///
    /// When a quarter or more of the operations fail, that is one choice the API made: one finding
    /// on the top of the document, naming how many, with each in related information and a fix that requires the first scheme at the root; when fewer fail,
    /// each is reported.
    ///
    /// ## Why is this bad?
    /// Broken authentication is the second item of the OWASP API Security Top 10. An
    /// operation without a requirement is either really public, which should be said
    /// explicitly, or an endpoint whose gateway and generated clients will not send or check
    /// credentials.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     post:
    ///       operationId: createOrder
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     post:
    ///       operationId: createOrder
    ///       security:
    ///         - bearerAuth: []
    /// ```
    ///
    /// ## Fix
    /// Adds a `security` requirement on the operation with the first scheme of
    /// `components.securitySchemes`; offered only when the document defines a scheme.
    pub struct UnsecuredOperation {
        code: "SEC001",
        name: "unsecured-operation",
        area: Sec,
        severity: Error,
    }
}

/// True when a requirement list lets an anonymous caller through (empty, or holding `{}`).
fn allows_anonymous(requirements: &NodeAt<'_>) -> bool {
    match requirements.node.as_seq() {
        Some(list) => list.is_empty() || list.iter().any(|requirement| requirement.as_map().is_some_and(<[_]>::is_empty)),
        None => true,
    }
}

impl Check for UnsecuredOperation {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let globally_secured = model.security.as_ref().is_some_and(|security| !allows_anonymous(security));
        let schemes = model.scheme_names();
        let modelled = globally_secured || model.security.is_some() || !schemes.is_empty();
        if !modelled && model.operations().all(|operation| operation.security.is_none()) {
            report_document(context, sink);
            return;
        }
        let mut judged = 0;
        for operation in model.operations() {
            judged += 1;
            if operation.security.is_some() || globally_secured {
                // Operation-level security, secured or explicitly public, is a decision.
                continue;
            }
            let kind = if operation.is_write() { "write operation" } else { "operation" };
            let finding = sink.at(&operation.at, format!("{kind} {} has no security requirement", operation.label())).of("operations");
            if !operation.is_write() {
                finding.severity(Severity::Info);
            }
            if let Some(scheme) = schemes.first() {
                let edit = context.insert_member(&operation.at, "security", &json!([{ scheme.clone(): [] }]));
                finding.fix(Fix::new(format!("Require `{scheme}` security"), vec![edit]).preferred());
            }
        }
        // Most operations unsecured: the document lacks a root `security`, one fix at its top.
        let mut population = Population::new(
            judged,
            "operations",
            "have no security requirement",
            "require security at the root and mark the public operations with `security: []`",
        );
        if let (Some(scheme), None) = (schemes.first(), &model.security) {
            let edit = context.insert_member(&model.document, "security", &json!([{ scheme.clone(): [] }]));
            population = population.fix(Fix::new(format!("Require `{scheme}` security for the whole API"), vec![edit]).preferred());
        }
        sink.population("operations", population);
    }
}

/// How many operations the document-level finding lists.
const LIST_LIMIT: usize = 500;

fn report_document(context: &RuleContext<'_>, sink: &mut Sink) {
    let Some(model) = context.model else { return };
    let operations: Vec<_> = model.operations().collect();
    let Some(paths) = model.document.child("paths").filter(|_| !operations.is_empty()) else { return };
    let writes = operations.iter().filter(|operation| operation.is_write()).count();
    let message = format!(
        "the document describes no authentication: no security scheme, and no security requirement on any of its {} operations ({writes} of them writes)",
        operations.len()
    );
    let finding = sink.at(&paths, message);
    if writes == 0 {
        finding.severity(Severity::Info);
    }
    for operation in operations.iter().take(LIST_LIMIT) {
        let span = operation.at.key_span.clone().unwrap_or_else(|| operation.at.node.span.clone());
        finding.related(operation.at.file, span, format!("{} has no security requirement", operation.label()));
    }
}
