use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for handlers that make their own dependencies: an HTTP client
    /// (`reqwest::Client::new()` or `::builder()`), a database pool or connection
    /// (`PgPool::connect`, `PgPoolOptions::new()`, `PgConnection::connect`…) or a Redis
    /// client (`redis::Client::open`), instead of taking them from the application state.
    ///
    /// ## Why is this bad?
    /// A client or a pool holds connections, TLS sessions and DNS caches so that requests
    /// can reuse them. Made per request, each request pays a new TCP and TLS handshake (and
    /// a database login), no connection is ever reused, and under load the service opens
    /// more connections than the database accepts. A dependency made inside the handler
    /// also cannot be replaced in tests.
    ///
    /// ## Example
    /// ```rust
    /// async fn cancel(Path(id): Path<Uuid>) -> StatusCode {
    ///     let client = reqwest::Client::new();
    ///     client.post(release_url(id)).send().await.ok();
    ///     StatusCode::NO_CONTENT
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// async fn cancel(State(state): State<AppState>, Path(id): Path<Uuid>) -> StatusCode {
    ///     state.http.post(release_url(id)).send().await.ok();
    ///     StatusCode::NO_CONTENT
    /// }
    /// ```
    pub struct DependencyBuiltPerRequest {
        code: "SCL007",
        name: "dependency-built-per-request",
        area: Scl,
        severity: Warning,
        input: Rust,
    }
}

impl Check for DependencyBuiltPerRequest {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let (Some(call), Some(function)) = (found.get("call"), found.get("function")) else { continue };
            let Some(handler) = file.enclosing_fn(call) else { continue };
            if !file.is_handler(handler) {
                continue;
            }
            let name = handler.child_by_field_name("name").map(|name| file.text_of(name)).unwrap_or_default();
            let path = file.text_of(function);
            file.report(
                sink,
                call,
                format!("handler `{name}` makes its own `{path}` on every request: take it from the application state"),
            );
        }
    }
}
