//! Secrets out of code before it leaves the machine: string literals assigned to
//! secret-looking names, known key formats, bearer tokens, passwords in URLs and private key
//! blocks become `[REDACTED]`.

use std::sync::LazyLock;

use regex::Regex;

pub const REDACTED: &str = "[REDACTED]";

struct Patterns {
    /// `API_KEY: &str = "…"`, `password = "…"`, `"client_secret": "…"`, `token: …` (YAML).
    assigned: Regex,
    /// Known key formats, wherever they are.
    keys: Regex,
    bearer: Regex,
    /// `scheme://user:password@host`.
    url_password: Regex,
    private_key: Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let secret_name =
        r"(?i:[a-z0-9_\-]*(?:secret|passw(?:or)?d|token|api[_\-]?key|apikey|private[_\-]?key|credential|access[_\-]?key)[a-z0-9_\-]*)";
    Patterns {
        assigned: Regex::new(&format!(
            r#"(?x)
            (?P<head>["']?{secret_name}["']?\s*(?::\s*&?(?:'static\s+)?[A-Za-z_<>\[\]]+\s*)?[:=]\s*(?:b|r\#*)?)
            (?:"(?P<double>(?:[^"\\]|\\.)*)"|'(?P<single>[^'\n]*)'|(?P<bare>[^\s"',;\#][^\s,;\#]*))"#
        ))
        .expect("a valid pattern"),
        keys: Regex::new(
            r"AKIA[0-9A-Z]{16}|(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,}|gh[pousr]_[0-9A-Za-z]{36,}|github_pat_[0-9A-Za-z_]{40,}|xox[abposr]-[0-9A-Za-z\-]{10,}|AIza[0-9A-Za-z_\-]{35}|sk-[0-9A-Za-z_\-]{20,}|eyJ[0-9A-Za-z_\-]{8,}\.eyJ[0-9A-Za-z_\-]{8,}\.[0-9A-Za-z_\-]{8,}",
        )
        .expect("a valid pattern"),
        bearer: Regex::new(r"(?i)(?P<head>bearer\s+)[0-9A-Za-z\-._~+/]{8,}=*").expect("a valid pattern"),
        url_password: Regex::new(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@]+:)[^\s@/]+(?P<tail>@)").expect("a valid pattern"),
        private_key: Regex::new(r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)").expect("a valid pattern"),
    }
});

/// The text with every secret it shows replaced by `[REDACTED]`.
pub fn redact(text: &str) -> String {
    let patterns = &*PATTERNS;
    let text = patterns.private_key.replace_all(text, REDACTED);
    let text = patterns.url_password.replace_all(&text, format!("${{head}}{REDACTED}${{tail}}"));
    let text = patterns.bearer.replace_all(&text, format!("${{head}}{REDACTED}"));
    let text = patterns.assigned.replace_all(&text, |captures: &regex::Captures<'_>| {
        let head = &captures["head"];
        // Values that only name a variable (`password = form.password`) or are empty stay.
        if let Some(bare) = captures.name("bare") {
            let value = bare.as_str();
            let is_code =
                value.contains(['.', '(', ':']) || value.chars().all(|character| character.is_ascii_alphanumeric() || character == '_');
            if is_code && !value.chars().any(|character| character.is_ascii_digit()) {
                return captures[0].to_owned();
            }
            return format!("{head}{REDACTED}");
        }
        let quote = if captures.name("double").is_some() { '"' } else { '\'' };
        let inner = captures.name("double").or(captures.name("single")).map_or("", |value| value.as_str());
        if inner.is_empty() {
            return captures[0].to_owned();
        }
        format!("{head}{quote}{REDACTED}{quote}")
    });
    patterns.keys.replace_all(&text, REDACTED).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_and_code_stays() {
        let text = r#"const API_KEY: &str = "sk_live_51HxJq2KZvbnT8wq9Yb3pLmN4";
static DATABASE_PASSWORD: &str = "Tr0ub4dor&3-prod";
let jwt_secret = b"another-hardcoded-key-2024";
let url = "postgres://orders:hunter2@db.internal:5432/orders";
client.get(url).header("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.payload1234.signature99");
let aws = "AKIAIOSFODNN7EXAMPLE";
password: s3cr3t-Value
let password = form.password;
"client_secret": "abc123def456",
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA
-----END RSA PRIVATE KEY-----
let token_header = HeaderName::from_static("x-token");
"#;
        let redacted = redact(text);
        for secret in [
            "sk_live_51HxJq2KZvbnT8wq9Yb3pLmN4",
            "Tr0ub4dor",
            "another-hardcoded",
            "hunter2",
            "eyJhbGci",
            "AKIAIOSFODNN7EXAMPLE",
            "s3cr3t",
            "abc123def456",
            "MIIEowIBAAKCAQEA",
        ] {
            assert!(!redacted.contains(secret), "{secret} survived:\n{redacted}");
        }
        for kept in ["let password = form.password;", "postgres://orders:", "@db.internal", "const API_KEY: &str = ", "Bearer "] {
            assert!(redacted.contains(kept), "{kept} was lost:\n{redacted}");
        }
    }
}
