use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for the text of an internal error sent to the client in a 500 response: a
    /// `(StatusCode::INTERNAL_SERVER_ERROR, body)` tuple or actix's
    /// `HttpResponse::InternalServerError().body(…)`/`.json(…)` whose body is an error's
    /// `to_string()`, a `format!` of an error, or an error's `Display`/`Debug` output
    /// (`error`, `err`, `e` and names ending in `_error`/`_err`). Tests, code that serves
    /// no requests (command-line tools), and handlers only administrators reach (a
    /// parameter of an `Admin…` type: they operate the service and need the text) are left
    /// alone.
    ///
    /// ## Why is this bad?
    /// Internal errors describe the inside of the service: SQL statements and table names,
    /// file paths, host names of dependencies, library versions. Sent to clients, they map
    /// the system for an attacker (OWASP API8, security misconfiguration), and they are not
    /// useful to legitimate clients, who need a stable error code and a request id.
    ///
    /// ## Example
    /// ```rust
    /// Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// Err(error) => {
    ///     tracing::error!(%error, "loading the order failed");
    ///     (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
    /// }
    /// ```
    pub struct InternalErrorLeaked {
        code: "PRC004",
        name: "internal-error-leaked",
        area: Prc,
        severity: Warning,
        input: Rust,
    }
}

impl Check for InternalErrorLeaked {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let (Some(call), Some(body)) = (found.get("call"), found.get("body")) else { continue };
            if file.is_test(call) || !file.in_service(call) || admin_only(file, call) {
                continue;
            }
            let text = file.text_of(body);
            if let Some(error) = error_text(text) {
                file.report(
                    sink,
                    body,
                    format!("the text of `{error}` goes to the client in a 500 response: log it and send a generic message"),
                );
            }
        }
    }
}

/// Whether the enclosing handler serves administrators only (a parameter of an `Admin…`
/// type, the project's guard): they are the operators, who need the error's text.
fn admin_only(file: &RustFile<'_>, node: tree_sitter::Node<'_>) -> bool {
    let Some(function) = file.enclosing_fn(node) else { return false };
    let Some(parameters) = function.child_by_field_name("parameters") else { return false };
    let mut cursor = parameters.walk();
    parameters
        .named_children(&mut cursor)
        .filter_map(|parameter| parameter.child_by_field_name("type"))
        .any(|kind| file.text_of(kind).split(|character: char| !character.is_alphanumeric()).any(|word| word.starts_with("Admin")))
}

/// The error whose text `body` carries: `e.to_string()`, `format!("… {e}")`,
/// `format!("{}", err)`, `json!({"error": error.to_string()})`.
fn error_text(body: &str) -> Option<&str> {
    body.split(|character: char| !(character.is_alphanumeric() || character == '_')).filter(|word| is_error_name(word)).find(|word| {
        body.contains(&format!("{word}.to_string()"))
            || body.contains(&format!("{{{word}}}"))
            || body.contains(&format!("{{{word}:?}}"))
            || (body.contains("format!") && body.contains(&format!(", {word}")))
    })
}

fn is_error_name(word: &str) -> bool {
    matches!(word, "e" | "err" | "error") || word.ends_with("_error") || word.ends_with("_err")
}
