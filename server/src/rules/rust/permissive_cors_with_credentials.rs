use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for CORS layers that allow credentials together with any origin or the
    /// request's own origin: in one builder chain, tower-http's `allow_credentials(true)`
    /// with `allow_origin(Any)`, `AllowOrigin::any()`, `AllowOrigin::mirror_request()` or
    /// `CorsLayer::very_permissive()`, and actix-cors's `supports_credentials()` with
    /// `allow_any_origin()`, `send_wildcard()` or `Cors::permissive()`. Any origin without
    /// credentials (a public API) is left alone, as are tests.
    ///
    /// ## Why is this bad?
    /// With credentials allowed, the browser sends the user's cookies and authorization
    /// headers on cross-origin requests and lets the calling page read the answer. If every
    /// origin is allowed, every web page the user visits can call the API as the user and
    /// read their data: cross-site request forgery with the responses included.
    ///
    /// ## Example
    /// ```rust
    /// let cors = CorsLayer::new().allow_origin(AllowOrigin::mirror_request()).allow_credentials(true);
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// let cors = CorsLayer::new()
    ///     .allow_origin("https://app.example.com".parse::<HeaderValue>()?)
    ///     .allow_credentials(true);
    /// ```
    pub struct PermissiveCorsWithCredentials {
        code: "SEC015",
        name: "permissive-cors-with-credentials",
        area: Sec,
        severity: Error,
        input: Rust,
    }
}

/// What allows every origin, in tower-http and actix-cors.
const ANY_ORIGIN: [&str; 8] = [
    "allow_origin(Any)",
    "allow_origin(cors::Any)",
    "allow_origin(tower_http::cors::Any)",
    "AllowOrigin::any()",
    "AllowOrigin::mirror_request()",
    "very_permissive()",
    "allow_any_origin()",
    "Cors::permissive()",
];

impl Check for PermissiveCorsWithCredentials {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let (Some(call), Some(method)) = (found.get("call"), found.get("method")) else { continue };
            if file.is_test(call) {
                continue;
            }
            let arguments = call.child_by_field_name("arguments").map(|arguments| file.text_of(arguments)).unwrap_or_default();
            if file.text_of(method) == "allow_credentials" && arguments.replace(' ', "") != "(true)" {
                continue;
            }
            // The whole builder chain, without spaces and line breaks.
            let chain: String = file.text_of(file.chain_root(call)).split_whitespace().collect();
            let Some(any) = ANY_ORIGIN.iter().chain(&["send_wildcard()"]).find(|marker| chain.contains(*marker)) else { continue };
            file.report_from(
                sink,
                method,
                call,
                format!("credentials are allowed for every origin (`{any}`): any web page can call this API as the user"),
            );
        }
    }
}
