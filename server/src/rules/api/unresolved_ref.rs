use crate::analysis::{RuleContext, Severity, Sink};
use crate::openapi::project::RefTarget;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for `$ref`s that point nowhere: a missing pointer in this or another file, a
    /// file that does not exist or may not be read, and chains of references that loop back
    /// on themselves (`A: {$ref: B}`, `B: {$ref: A}`). Recursive schemas, whose properties
    /// refer back to the schema, are fine and not reported.
    ///
    /// References are followed only to files under the workspace root, never to absolute
    /// paths outside it, and never over the network: an `http(s)://` reference is reported
    /// as information, saying it was not followed.
    ///
    /// ## Why is this bad?
    /// Every tool that loads the document fails on a broken reference, usually with a less
    /// helpful message and no position. Anything behind the reference goes unchecked.
    ///
    /// ## Example
    /// ```yaml
    /// schema:
    ///   $ref: "#/components/schemas/Usr"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// schema:
    ///   $ref: "#/components/schemas/User"
    /// ```
    ///
    /// ## Fix
    /// None: the intended target cannot be guessed safely.
    pub struct UnresolvedRef {
        code: "API025",
        name: "unresolved-ref",
        area: Api,
        severity: Error,
    }
}

impl Check for UnresolvedRef {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let project = context.project;
        for site in &project.refs {
            match &site.target {
                RefTarget::Broken(reason) => {
                    sink.span(
                        site.file,
                        site.span.clone(),
                        site.pointer.clone(),
                        format!("`$ref: {}` cannot be resolved: {reason}", site.reference),
                    );
                }
                RefTarget::Remote => {
                    sink.span(
                        site.file,
                        site.span.clone(),
                        site.pointer.clone(),
                        format!("`$ref: {}` is remote and is not followed (archlens reads no network)", site.reference),
                    )
                    .severity(Severity::Info);
                }
                RefTarget::Resolved { .. } => {
                    // Only the members of a cycle are reported; references into one are fine
                    // once the cycle is fixed.
                    if project.is_in_ref_cycle(site.file, &site.pointer) {
                        sink.span(
                            site.file,
                            site.span.clone(),
                            site.pointer.clone(),
                            format!("`$ref: {}` is part of a reference cycle that never reaches a value", site.reference),
                        );
                    }
                }
            }
        }
    }
}
