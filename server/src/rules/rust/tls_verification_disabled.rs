use crate::analysis::{Severity, Sink};
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for HTTP clients built with certificate or host name verification turned off:
    /// `danger_accept_invalid_certs(true)` and `danger_accept_invalid_hostnames(true)` on a
    /// reqwest or native-tls builder. When the argument is decided at run time (a setting,
    /// a command-line flag), the finding is information: the switch exists, and whoever
    /// sets it should know what it does. Tests are left alone.
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
            match file.text_of(argument) {
                "false" => {}
                "true" => {
                    file.report_from(sink, method, call, format!("TLS {what} verification is turned off"));
                }
                value => {
                    file.report_from(sink, method, call, format!("TLS {what} verification can be turned off at run time (by `{value}`)"))
                        .severity(Severity::Info);
                }
            }
        }
    }
}
