use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for errors thrown away in a handler: `let _ = ….await`, `….ok();` as a
    /// statement, and an `Err(_)` match arm that does nothing. `let _ =` on anything that is
    /// not awaited (`write!` into a `String`, a plain value) is left alone, as is code
    /// outside handlers.
    ///
    /// ## Why is this bad?
    /// The request then succeeds while part of its work failed: the payment was not
    /// released, the email not sent, the audit record not written. Nobody finds out, because
    /// nothing was logged; the next time it is noticed is by a customer. An error that may
    /// be ignored still deserves a log line and a metric.
    ///
    /// ## Example
    /// ```rust
    /// let _ = payments.release(order.id).await;
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// if let Err(error) = payments.release(order.id).await {
    ///     tracing::warn!(%error, order_id = %order.id, "the authorisation was not released");
    /// }
    /// ```
    pub struct SwallowedError {
        code: "PRC003",
        name: "swallowed-error",
        area: Prc,
        severity: Warning,
        input: Rust,
    }
}

impl Check for SwallowedError {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let Some(call) = found.get("call") else { continue };
            let Some(handler) = file.enclosing_fn(call) else { continue };
            if !file.is_handler(handler) {
                continue;
            }
            let message = if let (Some(pattern), Some(value)) = (found.get("pattern"), found.get("value")) {
                // An awaited call: an I/O result; `let _ = s.len()` discards no error.
                if file.text_of(pattern) != "_" || value.kind() != "await_expression" {
                    continue;
                }
                "`let _ =` throws this result away: log the error at least"
            } else if let Some(arguments) = found.get("arguments") {
                if arguments.named_child_count() > 0 {
                    continue;
                }
                "`.ok();` throws this error away: log it at least"
            } else if let Some(arm) = found.get("arm") {
                let empty = matches!(arm.kind(), "unit_expression") || (arm.kind() == "block" && arm.named_child_count() == 0);
                if !empty {
                    continue;
                }
                "this `Err` arm does nothing: the error is lost"
            } else {
                continue;
            };
            file.report(sink, call, message);
        }
    }
}
