use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for HTTP clients built with certificate or host name verification turned off:
    /// `danger_accept_invalid_certs(true)` and `danger_accept_invalid_hostnames(true)` on a
    /// reqwest or native-tls builder, with `true` written in the code. When the operator
    /// decides (the argument is a setting or a command-line flag, or the call sits under an
    /// `if` on one), turning verification off is a documented choice of whoever runs the
    /// service, and nothing is reported. Tests are left alone.
    ///
    /// ## Why is this bad?
    /// Without verification, TLS still encrypts but no longer proves who is on the other
    /// end: anyone on the network path can present any certificate and read or change the
    /// traffic, credentials included. Such switches added "for a test environment" tend to
    /// reach production.
    ///
    /// ## Example
    /// ```rust
    /// let client = reqwest::Client::builder()
    ///     .danger_accept_invalid_certs(true)
    ///     .build()?;
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// let client = reqwest::Client::builder()
    ///     .add_root_certificate(internal_ca)
    ///     .build()?;
    /// ```
    pub struct TlsVerificationDisabled {
        code: "SEC010",
        name: "tls-verification-disabled",
        area: Sec,
        severity: Error,
        input: Rust,
    }
}

impl Check for TlsVerificationDisabled {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let (Some(call), Some(method), Some(argument)) = (found.get("call"), found.get("method"), found.get("argument")) else {
                continue;
            };
            if file.is_test(call) {
                continue;
            }
            let what = if file.text_of(method).ends_with("certs") { "certificate" } else { "host name" };
            // `true` written in the code, not under a condition decided at run time: a flag, a
            // setting or an environment variable the operator sets is a documented choice.
            if file.text_of(argument) == "true" && !under_run_time_condition(file, call) {
                file.report_from(sink, method, call, format!("TLS {what} verification is turned off"));
            }
        }
    }
}

/// Whether an `if` or `match` arm decided at run time (by a variable, a field, a call)
/// holds `node` within its function.
fn under_run_time_condition(file: &RustFile<'_>, node: tree_sitter::Node<'_>) -> bool {
    crate::rust::ancestors(node).take_while(|ancestor| ancestor.kind() != "function_item").any(|ancestor| match ancestor.kind() {
        "if_expression" => ancestor.child_by_field_name("condition").is_some_and(|condition| {
            let text = file.text_of(condition);
            !matches!(text.trim(), "true" | "false") && !text.contains("cfg!(test)")
        }),
        "match_arm" => true,
        _ => false,
    })
}
