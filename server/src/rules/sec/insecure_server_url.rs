use crate::analysis::{Fix, RuleContext, Sink};
use crate::openapi::edit::TextEdit;
use crate::openapi::syntax::sub_span;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for server URLs (at the root, on path items and on operations) that use plain
    /// `http://` for a host that is not the local machine. `localhost`, `*.localhost`,
    /// `127.0.0.0/8`, `[::1]` and `0.0.0.0` are fine for development servers, and so are
    /// relative URLs and hosts given by a server variable.
    ///
    /// ## Why is this bad?
    /// Over plain HTTP, credentials, tokens and personal data travel readable by anyone on
    /// the path, and responses can be altered. Clients generated from the document will use
    /// the insecure URL as their default.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   - url: http://api.example.com/v1
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// servers:
    ///   - url: https://api.example.com/v1
    /// ```
    ///
    /// ## Fix
    /// Replaces `http://` with `https://`.
    pub struct InsecureServerUrl {
        code: "SEC005",
        name: "insecure-server-url",
        area: Sec,
        severity: Error,
    }
}

/// The host part of `http://host:port/path`.
fn host_of(url_after_scheme: &str) -> &str {
    let authority = url_after_scheme.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    if let Some(bracketed) = authority.strip_prefix('[') {
        return bracketed.split(']').next().unwrap_or("");
    }
    authority.split(':').next().unwrap_or("")
}

pub fn is_local_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost") || host.starts_with("127.") || host == "::1" || host == "0.0.0.0"
}

impl Check for InsecureServerUrl {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        for server in &model.servers {
            let Some(url) = server.child("url") else {
                continue;
            };
            let Some(text) = url.node.as_str() else {
                continue;
            };
            let Some(rest) = text.get(..7).filter(|scheme| scheme.eq_ignore_ascii_case("http://")).map(|_| &text[7..]) else {
                continue;
            };
            let host = host_of(rest);
            if host.is_empty() || host.contains('{') || is_local_host(host) {
                continue;
            }
            let source = &context.project.file(url.file).text;
            let scheme_span = sub_span(source, &url.node.span, text, 0..4);
            let finding = sink.span(url.file, url.node.span.clone(), url.pointer.clone(), format!("server URL `{text}` uses plain HTTP"));
            if scheme_span != url.node.span {
                finding.fix(Fix::new("Use https", vec![TextEdit::replace(scheme_span, "https")]).preferred());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hosts() {
        assert_eq!(super::host_of("user:pw@api.example.com:8080/x"), "api.example.com");
        assert_eq!(super::host_of("[::1]:3000/"), "::1");
        assert!(super::is_local_host("127.0.0.1"));
        assert!(!super::is_local_host("10.0.0.1"));
    }
}
