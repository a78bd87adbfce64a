//! Explanations written by a language model, off unless the user enables them: the prompt
//! (the rule's documentation, the finding, the code around it with secrets redacted), an
//! OpenAI-compatible client, and a cache of answers. Never on the diagnostics path; the
//! editor asks for an explanation on hover and the command line with `explain --llm`.
//!
//! This is the one module besides `lsp/` that is async: its client is network IO, and a
//! request must be dropped when the hover that asked for it is cancelled.

pub mod cache;
pub mod redact;

use std::time::Duration;

use crate::config::LlmSettings;
use crate::rules::RuleMeta;

/// Why an explanation could not be had, in words for the hover line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LlmError {
    /// A plain `http://` endpoint elsewhere than this machine.
    InsecureEndpoint,
    Unreachable(String),
    Timeout(u64),
    Status(u16),
    Malformed,
}

impl LlmError {
    /// One short, actionable line; never the key, never the prompt.
    pub fn line(&self, settings: &LlmSettings) -> String {
        match self {
            LlmError::InsecureEndpoint => "plain `http://` endpoints must be on this machine: use `https://`".to_owned(),
            LlmError::Unreachable(endpoint) => format!("cannot reach `{endpoint}`: is the model server running?"),
            LlmError::Timeout(milliseconds) => format!("no answer within {milliseconds} ms (`timeoutMs`)"),
            LlmError::Status(401 | 403) => match &settings.api_key_env {
                Some(variable) => format!("the endpoint refused the API key from `{variable}` (check the key)"),
                None => "the endpoint wants an API key: set `apiKeyEnv` to the variable that holds it".to_owned(),
            },
            LlmError::Status(429) => "the endpoint is rate-limiting requests (HTTP 429): try again later".to_owned(),
            LlmError::Status(404) => {
                format!("HTTP 404: is `{}` an OpenAI-compatible base URL, and `{}` a model it has?", settings.endpoint, settings.model)
            }
            LlmError::Status(code) => format!("the endpoint answered HTTP {code}"),
            LlmError::Malformed => "the answer was not a chat completion".to_owned(),
        }
    }
}

/// Whether requests may go to `endpoint`: `https://` anywhere, `http://` on this machine only.
pub fn check_endpoint(endpoint: &str) -> Result<(), LlmError> {
    let Some(rest) = endpoint.strip_prefix("http://") else {
        return if endpoint.starts_with("https://") { Ok(()) } else { Err(LlmError::Unreachable(endpoint.to_owned())) };
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(host, _)| host),
    };
    let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|address| address.is_loopback());
    if loopback { Ok(()) } else { Err(LlmError::InsecureEndpoint) }
}

/// The lines around a finding (`context` on each side), numbered, the finding's lines
/// marked, with secrets redacted.
pub fn snippet(text: &str, first_line: usize, last_line: usize, context: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = first_line.saturating_sub(context);
    let end = (last_line + context + 1).min(lines.len());
    let mut out = String::new();
    for (number, line) in lines.iter().enumerate().take(end).skip(start) {
        let mark = if (first_line..=last_line).contains(&number) { ">" } else { " " };
        out.push_str(&format!("{mark}{:>5} | {line}\n", number + 1));
    }
    redact::redact(&out)
}

/// The prompt for one finding.
pub fn prompt(meta: &RuleMeta, message: &str, place: &str, language: &str, snippet: &str) -> String {
    format!(
        "A static analysis rule found a problem in this {language} code.\n\n\
         Rule {code} ({name}): {message}\nWhere: {place}\n\n\
         The rule's documentation:\n{docs}\n\n\
         The code (lines marked `>` hold the finding; secrets are shown as [REDACTED]):\n```\n{snippet}```\n\n\
         Explain, for the engineer who wrote this code, why it matters here and how to fix it in this code. \
         Be specific to the code shown, give the corrected code when it is short, and answer in at most 200 words of markdown.",
        code = meta.code,
        name = meta.name,
        docs = meta.documentation(),
    )
}

/// The prompt and cache key for a finding of a file.
pub fn request_for(diagnostic: &crate::analysis::Diagnostic, text: &str, settings: &LlmSettings) -> (String, String) {
    let index = crate::line_index::LineIndex::new(text);
    let first = index.position(text, diagnostic.span.start, crate::line_index::ColumnUnit::Utf8).line as usize;
    let last = index.position(text, diagnostic.span.end, crate::line_index::ColumnUnit::Utf8).line as usize;
    let snippet = snippet(text, first, last.max(first), settings.context_lines);
    let language = match diagnostic.path.extension().and_then(|extension| extension.to_str()) {
        Some("rs") => "Rust",
        Some("json") => "OpenAPI (JSON)",
        Some("yaml" | "yml") => "OpenAPI (YAML)",
        _ => "source",
    };
    let place = diagnostic.pointer.describe().unwrap_or_else(|| "the whole file".to_owned());
    let prompt = prompt(diagnostic.rule, &redact::redact(&diagnostic.message), &place, language, &snippet);
    let key = cache::key(diagnostic.rule.code, &settings.model, &prompt);
    (key, prompt)
}

const SYSTEM: &str = "You are a senior backend architect reviewing code. You are precise and brief, and you never invent APIs.";

/// Asks the model. The request is dropped when the returned future is.
pub async fn complete(settings: &LlmSettings, prompt: &str) -> Result<String, LlmError> {
    check_endpoint(&settings.endpoint)?;
    let timeout = Duration::from_millis(settings.timeout_ms.max(1));
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(5)))
        .build()
        .map_err(|_| LlmError::Unreachable(settings.endpoint.clone()))?;
    let url = format!("{}/chat/completions", settings.endpoint.trim_end_matches('/'));
    let body = serde_json::json!({
        "model": settings.model,
        "temperature": 0.2,
        "messages": [
            { "role": "system", "content": SYSTEM },
            { "role": "user", "content": prompt },
        ],
    });
    let mut request = client.post(&url).json(&body);
    if let Some(key) = settings.api_key_env.as_ref().and_then(|variable| std::env::var(variable).ok()).filter(|key| !key.is_empty()) {
        request = request.bearer_auth(key);
    }
    let response = request.send().await.map_err(|error| transport_error(&error, settings))?;
    let status = response.status();
    if !status.is_success() {
        return Err(LlmError::Status(status.as_u16()));
    }
    let answer: serde_json::Value = response
        .json()
        .await
        .map_err(|error| if error.is_timeout() { LlmError::Timeout(settings.timeout_ms) } else { LlmError::Malformed })?;
    answer
        .pointer("/choices/0/message/content")
        .and_then(serde_json::Value::as_str)
        .map(|content| content.trim().to_owned())
        .filter(|content| !content.is_empty())
        .ok_or(LlmError::Malformed)
}

fn transport_error(error: &reqwest::Error, settings: &LlmSettings) -> LlmError {
    if error.is_timeout() { LlmError::Timeout(settings.timeout_ms) } else { LlmError::Unreachable(settings.endpoint.clone()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_on_this_machine() {
        assert_eq!(check_endpoint("http://127.0.0.1:11434/v1"), Ok(()));
        assert_eq!(check_endpoint("http://localhost:8080/v1"), Ok(()));
        assert_eq!(check_endpoint("http://[::1]:8080/v1"), Ok(()));
        assert_eq!(check_endpoint("https://api.openai.com/v1"), Ok(()));
        assert_eq!(check_endpoint("http://example.com/v1"), Err(LlmError::InsecureEndpoint));
        assert_eq!(check_endpoint("http://10.0.0.5:11434/v1"), Err(LlmError::InsecureEndpoint));
    }

    #[test]
    fn snippets_mark_the_finding_and_hide_secrets() {
        let text = "const TOKEN: &str = \"ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\";\nfn a() {}\nfn b() { x.unwrap() }\nfn c() {}\n";
        let shown = snippet(text, 2, 2, 1);
        assert_eq!(shown, "     2 | fn a() {}\n>    3 | fn b() { x.unwrap() }\n     4 | fn c() {}\n");
        assert!(!snippet(text, 2, 2, 5).contains("ghp_"));
    }
}
