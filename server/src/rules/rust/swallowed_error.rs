use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for errors thrown away in a handler: `let _ = ….await`, `….ok();` as a
    /// statement, and an `Err(_)` match arm that does nothing. Left alone: `let _ =` on
    /// anything that is not awaited (`write!` into a `String`, a plain value); an error
    /// logged on its way out (`.inspect_err(|e| warn!(…)).ok()`, `.map_err(|e| error!(…))`);
    /// a send to a channel (`let _ = tx.send(…).await`, which fails only when the receiver
    /// is gone); a discard a comment explains (best effort, ignored on purpose); and code
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
            if logged_or_explained(file, call) {
                continue;
            }
            file.report(sink, call, message);
        }
    }
}

/// Whether the thrown-away result is logged on its way out, is a channel send, or a comment
/// on the statement or just above it (or at the top of its block) says why it is ignored.
fn logged_or_explained(file: &RustFile<'_>, call: tree_sitter::Node<'_>) -> bool {
    let text = file.text_of(call);
    let logs = ["warn!", "error!", "info!", "debug!", "trace!", "log::", "tracing::"];
    let logged = ["inspect_err(", "map_err(", "or_else(", "unwrap_or_else("]
        .iter()
        .any(|adapter| text.find(adapter).is_some_and(|at| logs.iter().any(|log| text[at..].contains(log))));
    let compact: String = text.split_whitespace().collect();
    let sends = [".send(", ".send_async(", ".try_send(", ".send_replace("]
        .iter()
        .any(|send| compact.find(send).is_some_and(|at| compact[..at].rsplit(['.', ' ', '=']).next().is_some_and(is_channel)));
    if logged || sends {
        return true;
    }
    let line_start = file.text[..call.start_byte()].rfind('\n').map_or(0, |at| at + 1);
    let above_start = (0..3).fold(line_start, |start, _| file.text[..start.saturating_sub(1)].rfind('\n').map_or(0, |at| at + 1));
    let line_end = file.text[call.end_byte()..].find('\n').map_or(file.text.len(), |at| call.end_byte() + at);
    let block_start =
        call.parent().filter(|parent| parent.kind() == "block").map_or(above_start, |block| block.start_byte().min(above_start));
    let explained = |comment: &str| {
        let lower = comment.to_ascii_lowercase();
        [
            "ignore",
            "best effort",
            "best-effort",
            "swallow",
            "on purpose",
            "deliberately",
            "intentionally",
            "don't care",
            "do not care",
            "not fatal",
            "doesn't matter",
            "does not matter",
            "for security",
        ]
        .iter()
        .any(|word| lower.contains(word))
    };
    file.text[above_start..line_end]
        .lines()
        .chain(file.text[block_start..(block_start + 200).min(line_start).max(block_start)].lines().take(3))
        .any(|line| line.split_once("//").is_some_and(|(_, comment)| explained(comment)))
}

/// Whether a name is a channel sender's: `tx`, `events_tx`, `sender`.
fn is_channel(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "tx" || lower.starts_with("tx_") || lower.ends_with("_tx") || lower.contains("sender") || lower.ends_with("tx")
}
