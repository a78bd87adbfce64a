use crate::analysis::{Fix, Sink};
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for `println!`, `eprintln!`, `print!`, `eprint!` and `dbg!` in code that runs in a
    /// server or a long-running service: a server binary, a worker, or a library one of them
    /// links (the project model tells which). Command-line tools, whose output is stdout, and
    /// libraries only they link are left alone, as are tests (`#[test]` functions,
    /// `#[cfg(test)]` modules and their files, a crate's `tests/`, `benches/` and
    /// `examples/`, test-support crates), build scripts, `main` and the functions only
    /// start-up code calls, where start-up messages belong. In a server that also parses a
    /// command line, only the code its handlers reach is taken for serving.
    ///
    /// ## Why is this bad?
    /// Printed lines carry no level, no timestamp, no request or trace id and no structured
    /// fields; log collectors cannot filter or correlate them, and a `println!` on a hot
    /// path takes the stdout lock on every call. In a language server or a CLI that speaks a
    /// protocol on stdout, a stray print corrupts the protocol.
    ///
    /// ## Example
    /// ```rust
    /// async fn create_order(Json(order): Json<NewOrder>) -> StatusCode {
    ///     println!("created order {}", order.id);
    ///     StatusCode::CREATED
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// async fn create_order(Json(order): Json<NewOrder>) -> StatusCode {
    ///     tracing::info!(order_id = %order.id, "order created");
    ///     StatusCode::CREATED
    /// }
    /// ```
    ///
    /// ## Fix
    /// Replaces `println!` with `tracing::info!` and `eprintln!` with `tracing::error!` (the
    /// format string and arguments stay). `print!`, `eprint!` and `dbg!` have no automatic
    /// fix: they differ in line breaks or return their argument.
    pub struct PrintInsteadOfTracing {
        code: "PRC002",
        name: "print-instead-of-tracing",
        area: Prc,
        severity: Info,
        input: Rust,
    }
}

impl Check for PrintInsteadOfTracing {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let (Some(call), Some(name)) = (found.get("call"), found.get("macro")) else { continue };
            if file.is_start_up(call) || !file.in_service(call) {
                continue;
            }
            let macro_name = file.text_of(name);
            let finding = file.report(sink, call, format!("`{macro_name}!` in server code; log with `tracing` instead"));
            let replacement = match macro_name {
                "println" => Some("tracing::info"),
                "eprintln" => Some("tracing::error"),
                _ => None,
            };
            if let Some(replacement) = replacement {
                finding.fix(Fix::new(format!("Use `{replacement}!`"), vec![TextEdit::replace(name.byte_range(), replacement)]).preferred());
            }
        }
    }
}
