use crate::analysis::{RuleContext, Sink};
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for the text `archlens-test-panic` in an OpenAPI document, a file it references
    /// or a Rust file, and panics when it finds it. It exists only in builds with the
    /// `test-rules` feature, so that tests can see a rule fail inside a real check.
    ///
    /// ## Why is this bad?
    /// It is not: the marker is how a test asks for a panic. A panicking rule must lose only
    /// its own findings, be logged once, and leave the server serving.
    ///
    /// ## Example
    /// ```yaml
    /// # archlens-test-panic
    /// openapi: 3.1.0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// openapi: 3.1.0
    /// ```
    pub struct PanicsForTests {
        code: "PRC999",
        name: "panics-for-tests",
        area: Prc,
        severity: Error,
        input: Service,
    }
}

/// What makes the rule panic.
pub const MARKER: &str = "archlens-test-panic";

impl Check for PanicsForTests {
    fn check(&self, context: &RuleContext<'_>, _sink: &mut Sink) {
        if context.project.files.iter().any(|file| file.text.contains(MARKER)) {
            panic!("{MARKER} found in an OpenAPI document");
        }
    }

    fn check_rust(&self, file: &crate::rust::RustFile<'_>, _sink: &mut Sink) {
        if file.text.contains(MARKER) {
            panic!("{MARKER} found in a Rust file");
        }
    }
}
