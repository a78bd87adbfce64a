use crate::analysis::{Fix, Sink};
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for calls that block the thread inside async code: `std::thread::sleep`, the
    /// file functions of `std::fs` (`std::fs::read_to_string`, or `fs::…` for the common
    /// ones), `reqwest::blocking` and `std::net::TcpStream::connect`. Async code is an
    /// `async fn` or an `async` block, closures inside them included; a closure passed to
    /// `spawn_blocking` or `block_in_place` is where blocking belongs, and tests are left
    /// alone.
    ///
    /// ## Why is this bad?
    /// An async runtime runs many tasks on a few threads. A task that blocks its thread
    /// stops every other task scheduled there: one slow disk read or a one-second sleep in a
    /// handler stalls unrelated requests, and under load the whole service stops answering.
    ///
    /// ## Example
    /// ```rust
    /// async fn retry_later() {
    ///     std::thread::sleep(Duration::from_millis(200));
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// async fn retry_later() {
    ///     tokio::time::sleep(Duration::from_millis(200)).await;
    /// }
    /// ```
    ///
    /// ## Fix
    /// `std::thread::sleep(d)` becomes `tokio::time::sleep(d).await`, and a `std::fs` call
    /// that `tokio::fs` has under the same name becomes that call, awaited; not inside a
    /// closure, where `.await` cannot be written.
    pub struct BlockingCallInAsync {
        code: "SCL002",
        name: "blocking-call-in-async",
        area: Scl,
        severity: Warning,
        input: Rust,
    }
}

/// The `std::fs` functions that `tokio::fs` offers with the same arguments and result.
const TOKIO_FS: [&str; 9] =
    ["read", "read_to_string", "write", "copy", "remove_file", "remove_dir_all", "create_dir_all", "metadata", "rename"];

impl Check for BlockingCallInAsync {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let (Some(call), Some(function)) = (found.get("call"), found.get("function")) else { continue };
            if !file.is_async(call) || file.is_test(call) {
                continue;
            }
            let path = file.text_of(function).trim_start_matches("::");
            let last = path.rsplit("::").next().unwrap_or(path);
            let finding = file.report(sink, call, format!("`{path}` blocks the executor thread inside async code"));
            let arguments = call.child_by_field_name("arguments").map(|arguments| file.text_of(arguments)).unwrap_or("()");
            let replacement = if !file.can_await(call) {
                None
            } else if last == "sleep" {
                Some(format!("tokio::time::sleep{arguments}.await"))
            } else if path.contains("fs::") && TOKIO_FS.contains(&last) {
                Some(format!("tokio::fs::{last}{arguments}.await"))
            } else {
                None
            };
            if let Some(replacement) = replacement {
                let title = format!("Use `{}`", replacement.split('(').next().unwrap_or_default());
                finding.fix(Fix::new(title, vec![TextEdit::replace(call.byte_range(), replacement)]).preferred());
            }
        }
    }
}
