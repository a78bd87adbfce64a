use std::collections::HashSet;

use crate::analysis::{Fix, Sink};
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for secrets written into the source:
    /// - a string given to a constant, static or variable whose name says secret, password,
    ///   token, API key, private key or credentials (`const JWT_SECRET: &str = "…"`);
    /// - a literal key given to `EncodingKey::from_secret`, `DecodingKey::from_secret` or an
    ///   HMAC's `new_from_slice`;
    /// - any string in a known key format: AWS access key ids, Stripe live keys, GitHub and
    ///   Slack tokens, Google API keys, PEM private keys.
    ///
    /// A named value must look like a secret: at least 12 characters without whitespace,
    /// varied enough to be random, and neither a URL without credentials nor a route. So
    /// values that only name or describe something are left alone: header and field names
    /// (`const CSRF_TOKEN: &str = "csrf_token"`, `"x-api-key"`), environment variable names
    /// (`"JWT_SECRET"`), messages (`TOKEN_FORMAT_ERROR`), URLs (`token_url`), prefixes. So
    /// are documented examples and placeholders (AWS's example key id, values with `EXAMPLE`,
    /// `sk_live_1234567890…`), the patterns and samples of a secret detector, and tests
    /// (test modules outside `cfg(test)` included: `test_keys.rs`, `fixtures/`).
    ///
    /// ## Why is this bad?
    /// A secret in the source is in every clone, every build artifact, every fork and the
    /// repository's history for good; rotating it means a release, and anyone who ever had
    /// read access keeps it. Secrets belong in the environment or a secret manager, read at
    /// start-up.
    ///
    /// ## Example
    /// ```rust
    /// const JWT_SECRET: &str = "c2VjcmV0LWtleS1mb3ItcHJvZA==";
    /// let key = EncodingKey::from_secret(JWT_SECRET.as_bytes());
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// let secret = std::env::var("JWT_SECRET").expect("JWT_SECRET is set");
    /// let key = EncodingKey::from_secret(secret.as_bytes());
    /// ```
    ///
    /// ## Fix
    /// Outside handlers, reads the value from an environment variable instead, failing at
    /// once with a message when it is not set: a key given to a constructor becomes
    /// `std::env::var("JWT_SECRET").expect("JWT_SECRET must be set").as_bytes()`
    /// (`HMAC_KEY` for HMACs), and `let api_key = "…"` becomes
    /// `let api_key = &std::env::var("API_KEY").expect("API_KEY must be set");`. Set the
    /// variable where the service runs, from your secret store. Constants and statics have
    /// no automatic fix: they cannot read the environment; make them a field of the
    /// configuration read at start-up. In handlers there is no fix either: read secrets
    /// once at start-up and pass them in the state.
    pub struct HardcodedSecret {
        code: "SEC012",
        name: "hardcoded-secret",
        area: Sec,
        severity: Error,
        input: Rust,
    }
}

/// Parts of names that say "this is a secret".
const SECRET_WORDS: [&str; 9] = ["secret", "password", "passwd", "token", "apikey", "api_key", "private_key", "credential", "access_key"];

impl Check for HardcodedSecret {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        let mut reported = HashSet::new();
        for found in file.matches(self.meta().code) {
            let Some(item) = found.get("item").or_else(|| found.get("literal")) else { continue };
            if file.is_test(item) || is_test_module(file) {
                continue;
            }
            if let Some(literal) = found.get("literal") {
                let text = unquote(file.text_of(literal));
                if let Some(format) = known_key_format(text)
                    && !is_placeholder(text)
                    && !in_detector_table(file, literal)
                    && reported.insert(literal.byte_range())
                {
                    file.report(sink, literal, format!("{format} in the source"));
                }
                continue;
            }
            let Some(value) = found.get("value") else { continue };
            let mut replacement = None;
            let message = match (found.get("name"), found.get("function")) {
                (Some(name), _) => {
                    let name = file.text_of(name);
                    let lower = name.to_ascii_lowercase();
                    let literal = unquote(file.text_of(value));
                    if !SECRET_WORDS.iter().any(|word| lower.contains(word))
                        || ABOUT_SUFFIXES.iter().any(|suffix| lower.ends_with(suffix))
                        || names_something(literal)
                        || !looks_like_a_secret(literal)
                    {
                        continue;
                    }
                    if item.kind() == "let_declaration" {
                        let variable = name.to_ascii_uppercase();
                        replacement = Some((variable.clone(), format!("&{}", from_env(&variable))));
                    }
                    format!("`{name}` holds a secret written in the source")
                }
                (None, Some(function)) => {
                    // A literal, or a literal turned into bytes (`"…".as_bytes()`, `b"…"`).
                    let text = file.text_of(value).trim_end_matches(".as_bytes()");
                    let is_literal = ["\"", "b\"", "r\"", "r#", "br"].iter().any(|prefix| text.starts_with(prefix));
                    if !is_literal || unquote(text).len() < 8 {
                        continue;
                    }
                    let function = file.text_of(function);
                    let variable =
                        if function.contains("Hmac") || function.ends_with("new_from_slice") { "HMAC_KEY" } else { "JWT_SECRET" };
                    let read = if function.ends_with("from_base64_secret") {
                        format!("&{}", from_env(variable))
                    } else {
                        format!("{}.as_bytes()", from_env(variable))
                    };
                    replacement = Some((variable.to_owned(), read));
                    format!("`{function}` gets a key written in the source")
                }
                (None, None) => continue,
            };
            if reported.insert(value.byte_range()) {
                let finding = file.report(sink, value, message);
                // `expect` belongs in start-up code, not in a handler (PRC001).
                let in_handler = file.enclosing_fn(value).is_some_and(|function| file.is_handler(function));
                if let Some((variable, read)) = replacement.filter(|_| !in_handler) {
                    finding.fix(Fix::new(
                        format!("Read it from the environment variable `{variable}`"),
                        vec![TextEdit::replace(value.byte_range(), read)],
                    ));
                }
            }
        }
    }
}

/// Names that say what a value is about rather than hold the secret: `TOKEN_FORMAT_ERROR`,
/// `token_url`, `TOKEN_PREFIX`, `password_header`.
const ABOUT_SUFFIXES: [&str; 17] = [
    "_err",
    "_error",
    "_msg",
    "_message",
    "_text",
    "_help",
    "_hint",
    "_desc",
    "_url",
    "_uri",
    "_path",
    "_route",
    "_endpoint",
    "_prefix",
    "_suffix",
    "_header",
    "_name",
];

/// Whether a value has the shape of a secret: no whitespace, not a URL without credentials,
/// not a route, at least 12 characters, and varied enough to be random (Shannon entropy of at
/// least 3 bits a character).
fn looks_like_a_secret(value: &str) -> bool {
    if value.chars().any(char::is_whitespace) || value.starts_with('/') || value.len() < 12 {
        return false;
    }
    if let Some((scheme, rest)) = value.split_once("://") {
        let is_url = scheme.chars().all(|character| character.is_ascii_alphanumeric() || matches!(character, '+' | '.' | '-'));
        // `postgres://user:password@host` carries a credential; a plain URL does not.
        let credentials = rest.split('/').next().is_some_and(|authority| authority.contains('@') && authority.contains(':'));
        return !is_url || credentials;
    }
    entropy(value) >= 3.0 && !is_placeholder(value)
}

/// Bits of Shannon entropy per character.
fn entropy(value: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for character in value.chars() {
        *counts.entry(character).or_insert(0usize) += 1;
    }
    let length = value.chars().count() as f64;
    counts.values().map(|count| *count as f64 / length).map(|share| -share * share.log2()).sum()
}

/// A documented example or a made-up value: `AKIAIOSFODNN7EXAMPLE`, `sk_live_1234567890…`,
/// `xxxx`, a run of sequential characters; or a pattern (`xoxb-[0-9]{11}…`).
fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let sequential = bytes.windows(8).any(|window| window.windows(2).all(|pair| pair[1] == pair[0].wrapping_add(1)));
    lower.contains("example")
        || lower.contains("xxxx")
        || lower.contains("0000")
        || lower.contains("changeme")
        || lower.contains("your")
        || sequential
        || value.chars().any(|character| matches!(character, '[' | ']' | '{' | '}' | '\\' | '|' | '^' | '$'))
}

/// Whether a literal sits in a table of secret-detector patterns and samples: an array (or
/// item) that holds a regular expression, or whose item is named like one.
fn in_detector_table(file: &RustFile<'_>, literal: tree_sitter::Node<'_>) -> bool {
    let item = crate::rust::ancestors(literal).find(|node| node.kind().ends_with("_item") || node.kind() == "let_declaration");
    let named = item.and_then(|item| item.child_by_field_name("name")).map(|name| file.text_of(name).to_ascii_lowercase());
    if named.is_some_and(|name| ["pattern", "regex", "rule", "detector", "sample"].iter().any(|word| name.contains(word))) {
        return true;
    }
    let array = crate::rust::ancestors(literal).take(4).find(|node| matches!(node.kind(), "array_expression" | "tuple_expression"));
    array.is_some_and(|array| {
        let text = file.text_of(array);
        text.contains("[0-9]") || text.contains("{") && text.contains("}\\") || text.contains("Regex")
    })
}

/// Whether the file is a test module outside `cfg(test)`: `test_keys.rs`, `testing.rs`,
/// `fixtures/`, `mocks/`.
fn is_test_module(file: &RustFile<'_>) -> bool {
    // Folders inside the package only: a checkout in `~/test-project` is not test code.
    let inside = match file.model.package_of(file.path) {
        Some(package) => file.path.strip_prefix(&package.folder).unwrap_or(file.path),
        None => std::path::Path::new(file.path.file_name().unwrap_or_default()),
    };
    inside.components().any(|component| {
        let part = component.as_os_str().to_string_lossy().to_ascii_lowercase();
        let stem = part.strip_suffix(".rs").unwrap_or(&part);
        stem.split(['_', '-']).any(|word| matches!(word, "test" | "tests" | "testing" | "fixture" | "fixtures" | "mock" | "mocks"))
    })
}

/// Reads an environment variable, failing with a message that names it.
fn from_env(variable: &str) -> String {
    format!("std::env::var(\"{variable}\").expect(\"{variable} must be set\")")
}

fn unquote(text: &str) -> &str {
    let text = text.trim_start_matches('b').trim_start_matches('r').trim_matches('#');
    text.strip_prefix('"').and_then(|text| text.strip_suffix('"')).unwrap_or(text)
}

/// Whether a value names something rather than being a secret: a header or field name, an
/// environment variable name, a short placeholder.
fn names_something(value: &str) -> bool {
    let lower_name = value.chars().all(|character| character.is_ascii_lowercase() || matches!(character, '_' | '-' | '.'));
    let env_name = value.chars().all(|character| character.is_ascii_uppercase() || character.is_ascii_digit() || character == '_');
    value.len() < 8 || lower_name || env_name || value.contains("${") || value.starts_with('<')
}

/// The known key format a literal is in.
fn known_key_format(text: &str) -> Option<&'static str> {
    let tail_alnum = |prefix: &str, length: usize| {
        text.strip_prefix(prefix)
            .is_some_and(|rest| rest.len() >= length && rest.chars().all(|character| character.is_ascii_alphanumeric() || character == '_'))
    };
    if text.len() == 20
        && text.starts_with("AKIA")
        && text[4..].chars().all(|character| character.is_ascii_uppercase() || character.is_ascii_digit())
    {
        Some("an AWS access key id")
    } else if tail_alnum("sk_live_", 16) || tail_alnum("rk_live_", 16) {
        Some("a Stripe live key")
    } else if tail_alnum("ghp_", 36) || tail_alnum("gho_", 36) || tail_alnum("github_pat_", 40) {
        Some("a GitHub token")
    } else if ["xoxb-", "xoxp-", "xoxa-"].iter().any(|prefix| text.starts_with(prefix) && text.len() > 20) {
        Some("a Slack token")
    } else if text.len() == 39 && tail_alnum("AIza", 35) {
        Some("a Google API key")
    } else if text.contains("-----BEGIN") && text.contains("PRIVATE KEY-----") {
        Some("a private key")
    } else {
        None
    }
}
