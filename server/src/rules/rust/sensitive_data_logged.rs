use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for passwords, tokens, secrets, keys and card numbers passed to `tracing` and
    /// `log` macros: as an argument, a field value (`token = %token`) or a name captured in
    /// the format string (`"{password}"`, also in a nested `format!`). What a value is comes
    /// from the last name of its path: `token.id`, `token.user`, `num_tokens`,
    /// `api_token.expires_at` and `secrets_file.display()` are an id, a user name, a count, a
    /// time and a path, not secrets. The words of the message itself ("token refreshed",
    /// raw strings included) are not data, and masked values (`mask(…)`, `redact(…)`, a
    /// hash, a length, `is_some()`) are left alone, as are tests. Personal data in logs
    /// (email addresses, phone numbers) is SEC017's.
    ///
    /// ## Why is this bad?
    /// Logs are copied to collectors, dashboards, support tickets and backups, read by
    /// many more people than the database, and kept for months. A token in a log line is a
    /// session anyone with log access can use, and a password there is an account anyone
    /// with log access can take over.
    ///
    /// ## Example
    /// ```rust
    /// tracing::info!(user = %form.username, password = %form.password, "login attempt");
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// tracing::info!(user = %form.username, "login attempt");
    /// ```
    pub struct SensitiveDataLogged {
        code: "SEC014",
        name: "sensitive-data-logged",
        area: Sec,
        severity: Warning,
        input: Rust,
    }
}

/// What a logged name means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meaning {
    Secret,
    PersonalData,
}

impl Check for SensitiveDataLogged {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        report_logged(file, sink, self.meta().code, Meaning::Secret);
    }
}

/// Reports each log macro of the rule `code` that writes a value of this meaning.
pub(crate) fn report_logged(file: &RustFile<'_>, sink: &mut Sink, code: &str, meaning: Meaning) {
    for found in file.matches(code) {
        let (Some(call), Some(arguments)) = (found.get("call"), found.get("arguments")) else { continue };
        if file.is_test(call) {
            continue;
        }
        let text = file.text_of(arguments);
        let inner = text.get(1..text.len().saturating_sub(1)).unwrap_or_default();
        if let Some(name) = logged_value(inner, meaning) {
            file.report(sink, call, format!("`{name}` is written to the logs"));
        }
    }
}

/// The first value of this meaning among a macro's arguments.
fn logged_value(arguments: &str, meaning: Meaning) -> Option<String> {
    split_arguments(arguments).into_iter().find_map(|argument| value_in(argument, meaning))
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

/// The value of this meaning one argument logs, if any.
fn value_in(argument: &str, meaning: Meaning) -> Option<String> {
    let argument = argument.trim().trim_start_matches('&');
    // A format string, plain or raw: only the names it captures are data.
    let raw = argument.strip_prefix('r').map(|rest| rest.trim_start_matches('#'));
    if let Some(template) = argument.strip_prefix('"').or(raw.and_then(|rest| rest.strip_prefix('"'))) {
        return template
            .split('{')
            .skip(1)
            .filter(|part| !part.starts_with('{'))
            .filter_map(|part| part.split(['}', ':']).next())
            .map(str::trim)
            .find(|name| !name.is_empty() && means(name_of(name), meaning))
            .map(str::to_owned);
    }
    // `format!("…", x)` inside the macro: its own arguments.
    if let Some(inner) = argument.strip_prefix("format!(").and_then(|rest| rest.strip_suffix(')')) {
        return logged_value(inner, meaning);
    }
    // `field = value`, `field = %value`, `?value`: the value is what is logged.
    let value = argument.split_once('=').filter(|(_, value)| !value.starts_with('=')).map_or(argument, |(_, value)| value).trim();
    let value = value.trim_start_matches(['%', '?', '&', '*']).trim();
    let lower = value.to_ascii_lowercase();
    if MASKS.iter().any(|mask| lower.contains(mask)) || value.starts_with('"') {
        return None;
    }
    means(name_of(value), meaning).then(|| value.to_owned())
}

/// What makes a value safe to log.
const MASKS: [&str; 9] = ["mask", "redact", "hash", ".len()", ".is_some()", ".is_none()", ".is_empty()", "\"***\"", ".count()"];

/// Calls that keep what a value is: `password.to_string()` is still the password.
const NEUTRAL_CALLS: [&str; 14] = [
    "to_string",
    "as_str",
    "as_ref",
    "clone",
    "unwrap",
    "expect",
    "display",
    "expose_secret",
    "to_owned",
    "as_deref",
    "borrow",
    "deref",
    "get",
    "into",
];

/// The name a value's path ends with, calls that keep the value stripped:
/// `form.password.expose_secret()` is `password`, `token.id` is `id`, `secrets.keys()` is
/// `keys`.
fn name_of(value: &str) -> &str {
    let mut segments: Vec<&str> = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (index, character) in value.char_indices() {
        match character {
            '(' | '[' | '<' => depth += 1,
            ')' | ']' | '>' => depth -= 1,
            '.' if depth == 0 => {
                segments.push(&value[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    segments.push(&value[start..]);
    let mut kept = segments.iter().map(|segment| plain_segment(segment)).collect::<Vec<_>>();
    while kept.len() > 1 && kept.last().is_some_and(|last| NEUTRAL_CALLS.contains(last)) {
        kept.pop();
    }
    kept.last().copied().unwrap_or(value)
}

/// A path segment without its call, index or generic arguments, and its path.
fn plain_segment(segment: &str) -> &str {
    let segment = segment.split(['(', '[', '<']).next().unwrap_or(segment).trim();
    segment.rsplit("::").next().unwrap_or(segment)
}

/// Whether a name, by its words, holds a value of this meaning: a word that names a secret
/// (or personal data), and no word that says it is about one (`token_id`, `num_tokens`,
/// `password_hash`, `email_sent_at`).
pub(crate) fn means(name: &str, meaning: Meaning) -> bool {
    let words = words(name);
    let Some(first) = words.first() else { return false };
    let last = words.last().map(String::as_str).unwrap_or_default();
    if ABOUT_FIRST.contains(&first.as_str()) || ABOUT_LAST.contains(&last) || words.iter().any(|word| word == "hash" || word == "hashed") {
        return false;
    }
    let pair = |one: &str, two: &str| words.windows(2).any(|window| window[0] == one && window[1] == two);
    match meaning {
        Meaning::Secret => {
            words.iter().any(|word| SECRET_WORDS.contains(&word.as_str()))
                || pair("api", "key")
                || pair("private", "key")
                || pair("secret", "key")
                || pair("card", "number")
                || pair("access", "key")
        }
        Meaning::PersonalData => {
            words.iter().any(|word| PERSONAL_WORDS.contains(&word.as_str())) || pair("date", "of") || pair("birth", "date")
        }
    }
}

/// The words of a name in lower case: `apiToken` and `api_token` are `api`, `token`.
fn words(name: &str) -> Vec<String> {
    crate::rules::split_words(name, |character| !character.is_alphanumeric())
}

/// Words that name a secret.
const SECRET_WORDS: [&str; 13] = [
    "password",
    "passwd",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "tokens",
    "apikey",
    "credential",
    "credentials",
    "authorization",
    "cvv",
    "privatekey",
];

/// Words that name personal data.
const PERSONAL_WORDS: [&str; 7] = ["email", "emails", "mail", "phone", "ssn", "birthdate", "iban"];

/// First words of names about a value rather than the value: `num_tokens`, `has_password`.
const ABOUT_FIRST: [&str; 8] = ["num", "has", "is", "max", "min", "n", "count", "total"];

/// Last words of names about a value rather than the value: `token_id`, `secrets_file`,
/// `password_reset_at`.
const ABOUT_LAST: [&str; 34] = [
    "id",
    "ids",
    "count",
    "len",
    "length",
    "size",
    "kb",
    "at",
    "in",
    "until",
    "path",
    "file",
    "dir",
    "name",
    "names",
    "url",
    "uri",
    "type",
    "kind",
    "expiry",
    "expires",
    "expiration",
    "ttl",
    "nonce",
    "prefix",
    "hint",
    "policy",
    "enabled",
    "required",
    "field",
    "label",
    "scope",
    "scopes",
    "keys",
];
