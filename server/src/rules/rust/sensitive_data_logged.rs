use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for passwords, tokens, secrets, keys, card numbers and personal data (email,
    /// phone, social security number) passed to `tracing` and `log` macros: as an argument,
    /// a field value (`token = %token`) or a name captured in the format string
    /// (`"{password}"`). The words in the message itself ("token refreshed") are not data,
    /// and masked values (`mask(…)`, `redact(…)`, a hash, a length, `is_some()`) are left
    /// alone, as are tests.
    ///
    /// ## Why is this bad?
    /// Logs are copied to collectors, dashboards, support tickets and backups, read by
    /// many more people than the database, and kept for months. A token in a log line is a
    /// session anyone with log access can use; personal data in logs is processing that GDPR
    /// asks to record, minimise and delete on request.
    ///
    /// ## Example
    /// ```rust
    /// tracing::info!(email = %form.email, password = %form.password, "login attempt");
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// tracing::info!(user_id = %user.id, "login attempt");
    /// ```
    pub struct SensitiveDataLogged {
        code: "SEC014",
        name: "sensitive-data-logged",
        area: Sec,
        severity: Warning,
        input: Rust,
    }
}

/// Parts of names that hold secrets or personal data.
const SENSITIVE: [&str; 13] = [
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "authorization",
    "card_number",
    "cvv",
    "ssn",
    "email",
    "phone",
    "private_key",
];

/// What makes a value safe to log.
const MASKS: [&str; 8] = ["mask", "redact", "hash", ".len()", ".is_some()", ".is_none()", ".is_empty()", "\"***\""];

impl Check for SensitiveDataLogged {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let (Some(call), Some(arguments)) = (found.get("call"), found.get("arguments")) else { continue };
            if file.is_test(call) {
                continue;
            }
            let text = file.text_of(arguments);
            let inner = text.get(1..text.len().saturating_sub(1)).unwrap_or_default();
            if let Some(name) = split_arguments(inner).into_iter().find_map(sensitive_in) {
                file.report(sink, call, format!("`{name}` is written to the logs"));
            }
        }
    }
}

/// Splits macro arguments at the commas outside strings and brackets.
fn split_arguments(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut start) = (0i32, false, false, 0);
    for (index, character) in text.char_indices() {
        match character {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '(' | '[' | '{' if !in_string => depth += 1,
            ')' | ']' | '}' if !in_string => depth -= 1,
            ',' if !in_string && depth == 0 => {
                parts.push(text[start..index].trim());
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts
}

/// The sensitive name one argument logs, if any.
fn sensitive_in(argument: &str) -> Option<String> {
    if let Some(template) = argument.strip_prefix('"') {
        // Only the names captured by the format string are data.
        return template
            .split('{')
            .skip(1)
            .filter_map(|part| part.split(['}', ':']).next())
            .find(|name| is_sensitive(name))
            .map(str::to_owned);
    }
    // `field = value`, `field = %value`, `?value`: the value is what is logged.
    let value = argument.split_once('=').filter(|(_, value)| !value.starts_with('=')).map_or(argument, |(_, value)| value).trim();
    if MASKS.iter().any(|mask| value.contains(mask)) {
        return None;
    }
    value
        .split(|character: char| !(character.is_alphanumeric() || character == '_'))
        .find(|word| is_sensitive(word))
        .map(|_| value.trim_start_matches(['%', '?']).to_owned())
}

fn is_sensitive(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !lower.is_empty() && SENSITIVE.iter().any(|word| lower.contains(word)) && !lower.ends_with("_id") && !lower.starts_with("has_")
}
