use crate::analysis::{Fix, Sink};
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for calls that block the thread on the async executor: `std::thread::sleep`,
    /// the file functions of `std::fs` and `std::fs::File`, `reqwest::blocking` and
    /// `std::net::TcpStream::connect`, matched through the file's imports (`use std::fs;`
    /// then `fs::read`, `use std::thread::sleep;` then `sleep`; `tokio::fs` is not
    /// blocking). They are reported in async code (an `async fn` or `async` block,
    /// closures inside them included), and in a sync function that async code calls,
    /// directly or through other sync functions (the project model follows the calls),
    /// with the async caller in related information. A closure passed to
    /// `spawn_blocking` or `block_in_place` is where blocking belongs. Tests, build
    /// scripts, start-up code (`main` and what only it calls) and command-line tools, which
    /// serve nobody concurrently, are left alone.
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
            let path = file.canonical_path(file.text_of(function), call).join("::");
            if !is_blocking(&path) {
                continue;
            }
            let Some(context) = super::on_executor(file, call) else { continue };
            let last = path.rsplit("::").next().unwrap_or(&path);
            match context {
                super::OnExecutor::Through { caller, call: site } => {
                    let finding = file.report(sink, call, format!("`{path}` blocks the executor thread: async code calls this function"));
                    super::add_async_caller(file, finding, caller, site);
                }
                super::OnExecutor::Direct => {
                    let finding = file.report(sink, call, format!("`{path}` blocks the executor thread inside async code"));
                    let arguments = call.child_by_field_name("arguments").map(|arguments| file.text_of(arguments)).unwrap_or("()");
                    let replacement = if !file.can_await(call) {
                        None
                    } else if path == "std::thread::sleep" {
                        Some(format!("tokio::time::sleep{arguments}.await"))
                    } else if path.starts_with("std::fs::") && path.matches("::").count() == 2 && TOKIO_FS.contains(&last) {
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
    }
}

/// Whether a call's path, as the imports make it, blocks its thread.
fn is_blocking(path: &str) -> bool {
    path == "std::thread::sleep"
        || path == "thread::sleep"
        || (path.starts_with("std::fs::") && !path.ends_with("::new"))
        || path.starts_with("reqwest::blocking::")
        || path == "std::net::TcpStream::connect"
}
