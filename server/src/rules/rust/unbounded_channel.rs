use crate::analysis::{Fix, Sink};
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for channels without a bound: `tokio::sync::mpsc::unbounded_channel()`,
    /// `std::sync::mpsc::channel()` (tokio's `mpsc::channel(capacity)` is bounded), and
    /// `unbounded()` of crossbeam, flume and async-channel. Tests are left alone.
    ///
    /// ## Why is this bad?
    /// A bounded channel makes a fast producer wait for a slow consumer (backpressure). An
    /// unbounded one lets the queue grow with the backlog: under load, or when the consumer
    /// stalls, memory grows until the process is killed, and the latency of every queued
    /// message grows with it, with nothing to show for it until then.
    ///
    /// ## Example
    /// ```rust
    /// let (events, receiver) = tokio::sync::mpsc::unbounded_channel();
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// // Senders wait (`send().await`) or shed load (`try_send`) when 1024 events are queued.
    /// let (events, receiver) = tokio::sync::mpsc::channel(1024);
    /// ```
    ///
    /// ## Fix
    /// For crossbeam, flume and async-channel, replaces `unbounded()` with `bounded(1024)`:
    /// their senders and receivers have the same types either way, so the code still
    /// compiles, and a full channel then makes senders wait. Pick the bound from the
    /// backlog you can afford. tokio's and std's unbounded channels have no automatic fix:
    /// the bounded kinds are other types (`Sender` and `send().await`, `SyncSender`).
    pub struct UnboundedChannel {
        code: "SCL004",
        name: "unbounded-channel",
        area: Scl,
        severity: Info,
        input: Rust,
    }
}

/// Whether the channel cannot grow without bound: its receiver is dropped at once
/// (`let (tx, _) = …`, sends fail), or received from once, outside any loop (a reply
/// channel).
fn cannot_grow(file: &RustFile<'_>, call: tree_sitter::Node<'_>) -> bool {
    let Some(declaration) = call.parent().filter(|parent| parent.kind() == "let_declaration") else { return false };
    let Some(pattern) = declaration.child_by_field_name("pattern").filter(|pattern| pattern.kind() == "tuple_pattern") else {
        return false;
    };
    let Some(receiver) = pattern.named_child(1) else { return false };
    let receiver = file.text_of(receiver).trim_start_matches("mut ").to_owned();
    if receiver == "_" {
        return true;
    }
    let Some(function) = file.enclosing_fn(call) else { return false };
    let after = &file.text[declaration.end_byte()..function.end_byte()];
    let uses = after.match_indices(receiver.as_str()).filter(|(at, _)| {
        let before = after[..*at].chars().next_back();
        let next = after[at + receiver.len()..].chars().next();
        !before.is_some_and(|character| character.is_alphanumeric() || character == '_')
            && !next.is_some_and(|character| character.is_alphanumeric() || character == '_')
    });
    let uses: Vec<usize> = uses.map(|(at, _)| at).collect();
    uses.len() == 1 && {
        let rest = &after[uses[0]..];
        (rest.starts_with(&format!("{receiver}.recv")) || rest.starts_with(&format!("{receiver}.await")))
            && !after[..uses[0]].contains("loop")
            && !after[..uses[0]].contains("while ")
    }
}

impl Check for UnboundedChannel {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let (Some(call), Some(function)) = (found.get("call"), found.get("function")) else { continue };
            if file.is_test(call) || !file.in_service(call) || cannot_grow(file, call) {
                continue;
            }
            // `unbounded()` alone is a channel only where a channel crate is in use.
            let path = file.text_of(function);
            if path == "unbounded" && !["crossbeam", "flume", "async_channel"].iter().any(|name| file.mentions(name)) {
                continue;
            }
            // tokio's `mpsc::channel(capacity)` is bounded; std's `mpsc::channel()` is not.
            let arguments = call.child_by_field_name("arguments").map_or(0, |arguments| arguments.named_child_count());
            if path.ends_with("channel") && !path.ends_with("unbounded_channel") && arguments > 0 {
                continue;
            }
            let finding = file.report(sink, call, format!("`{path}()` makes a channel without a bound: nothing slows a producer down"));
            // crossbeam, flume and async-channel give bounded and unbounded channels the same
            // types, so the bound is a local change; tokio's and std's are other types.
            let same_types = ["crossbeam", "flume", "async_channel"].iter().any(|name| path.contains(name)) || path == "unbounded";
            if same_types && path.ends_with("unbounded") {
                // `unbounded::<T>()` keeps its type: only the name and the arguments change.
                let segment = function.end_byte() - "unbounded".len();
                let arguments = call.child_by_field_name("arguments").map_or(call.end_byte(), |arguments| arguments.start_byte());
                finding.fix(Fix::new(
                    "Bound the channel: `bounded(1024)`",
                    vec![
                        TextEdit::replace(segment..function.end_byte(), "bounded"),
                        TextEdit::replace(arguments..call.end_byte(), "(1024)"),
                    ],
                ));
            }
        }
    }
}
