use crate::analysis::{Fix, Sink};
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for `println!`, `eprintln!`, `print!`, `eprint!` and `dbg!` in server code. Tests
    /// (`#[test]` functions, `#[cfg(test)]` modules, `tests/`, `benches/`, `examples/`),
    /// build scripts and the `main` function, where start-up messages belong, are left
    /// alone.
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
            if file.is_test(call) || file.is_start_up(call) {
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
