use crate::analysis::{Fix, Sink};
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for handlers that run outside any tracing span: neither `#[instrument]`ed
    /// (`#[tracing::instrument]`, `#[instrument(skip(state))]`) nor under a tracing layer.
    /// A crate where a router is wrapped in tower-http's `TraceLayer` or actix-web's
    /// `TracingLogger` (`.layer(TraceLayer::new_for_http())`,
    /// `.wrap(TracingLogger::default())`, in any of its files) gets a span per request, and
    /// its handlers are left alone. Handlers are found as the other handler rules find
    /// them, routed from any file of the crate.
    ///
    /// ## Why is this bad?
    /// Without a span, the log lines of one request cannot be told from those of the
    /// requests running beside it: there is no request id, method or route to filter on,
    /// no timing, and no parent for the spans of the database and HTTP calls the handler
    /// makes. A trace backend shows them as unrelated fragments.
    ///
    /// ## Example
    /// ```rust
    /// async fn create_order(State(db): State<PgPool>, Json(order): Json<NewOrder>) -> Result<Json<Order>, AppError> {
    ///     tracing::info!("creating order");
    ///     // …
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// #[tracing::instrument(skip_all, fields(customer_id = %order.customer_id))]
    /// async fn create_order(State(db): State<PgPool>, Json(order): Json<NewOrder>) -> Result<Json<Order>, AppError> {
    ///     tracing::info!("creating order");
    ///     // …
    /// }
    /// ```
    /// or one layer for every route: `Router::new()…layer(TraceLayer::new_for_http())`.
    ///
    /// ## Fix
    /// Adds `#[tracing::instrument(skip_all)]` above the function. `skip_all` keeps the
    /// arguments out of the span: recording them needs `Debug` on every extractor (which
    /// `State` of a pool often lacks) and would log request bodies, with their personal
    /// data. Add the fields worth having with `fields(…)`.
    pub struct HandlerWithoutSpan {
        code: "PRC005",
        name: "handler-without-span",
        area: Prc,
        severity: Info,
        input: Rust,
    }
}

impl Check for HandlerWithoutSpan {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        let mut traced = None;
        for found in file.matches(self.meta().code) {
            let (Some(function), Some(name)) = (found.get("function"), found.get("name")) else { continue };
            if !file.is_handler(function) || file.attributes(function).any(|attribute| attribute.contains("instrument")) {
                continue;
            }
            if *traced.get_or_insert_with(|| file.is_traced()) {
                return;
            }
            let handler = file.text_of(name);
            let finding = file.report(
                sink,
                name,
                format!("handler `{handler}` runs without a tracing span: its logs cannot be told apart by request"),
            );
            // On a line of its own above `fn`, indented like it, below the route attributes.
            let start = function.start_byte();
            let line_start = file.text[..start].rfind('\n').map_or(0, |at| at + 1);
            let before = &file.text[line_start..start];
            let insert = if before.trim().is_empty() {
                format!("#[tracing::instrument(skip_all)]\n{before}")
            } else {
                "#[tracing::instrument(skip_all)] ".to_owned()
            };
            finding.fix(Fix::new("Add `#[tracing::instrument(skip_all)]`", vec![TextEdit::insert(start, insert)]).preferred());
        }
    }
}
