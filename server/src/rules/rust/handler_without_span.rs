use crate::analysis::{Fix, Sink};
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for handlers that run outside any tracing span: neither `#[instrument]`ed
    /// (`#[tracing::instrument]`, `#[instrument(skip(state))]`) nor under a tracing layer.
    /// A project where a router is wrapped in tower-http's `TraceLayer` or actix-web's
    /// `TracingLogger` (`.layer(TraceLayer::new_for_http())`,
    /// `.wrap(TracingLogger::default())`, in any file of any of its crates) gets a span per
    /// request, and its handlers are left alone; so is a project that logs through `log`
    /// (env_logger, fern…) and installs no tracing subscriber, where a span would go nowhere.
    ///
    /// Where the project instruments most of its handlers one by one, each handler left out
    /// is reported. Where it instruments few or none, that is one decision, reported once:
    /// on the router that serves them, with the handlers in related information.
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
        if !file.observability().tracing_subscriber || file.is_traced() || TRACING_LAYERS.iter().any(|layer| file.model.has_layer(layer)) {
            return;
        }
        let model = file.model;
        // The handlers of the code this crate links (its own, its workspace dependencies').
        let linked = model.linked_packages(file.path);
        let handlers: Vec<_> = model
            .calls
            .handlers()
            .filter(|handler| {
                linked.is_empty()
                    || model.package_of(&model.files[handler.file].path).is_some_and(|package| linked.contains(&package.folder))
            })
            .filter(|handler| !crate::rust::routes::is_probe(&model.function(*handler).name))
            .collect();
        let instrumented = handlers.iter().filter(|handler| model.function(**handler).instrumented).count();
        if file.in_project() && instrumented * 2 < handlers.len() {
            report_once(file, sink, &handlers);
            return;
        }
        for found in file.matches(self.meta().code) {
            let (Some(function), Some(name)) = (found.get("function"), found.get("name")) else { continue };
            if !file.is_handler(function) || file.attributes(function).any(|attribute| attribute.contains("instrument")) {
                continue;
            }
            let handler = file.text_of(name);
            let finding = file.report(
                sink,
                name,
                format!("handler `{handler}` runs without a tracing span: its logs cannot be told apart by request"),
            );
            if !file.model.may_use(file.path, "tracing") {
                continue;
            }
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

/// Layers that give every request a span.
const TRACING_LAYERS: [&str; 2] = ["TraceLayer", "TracingLogger"];

/// One finding for the project, on the first router that nothing mounts in a file that
/// starts the server, with the handlers that run without a span.
fn report_once(file: &RustFile<'_>, sink: &mut Sink, handlers: &[crate::project::FunctionId]) {
    let model = file.model;
    // The router of the code that serves, not a command-line `App::new()`.
    if !file.summary().signs.serves {
        return;
    }
    let (table, paths) = file.routes();
    let Some((_, span)) =
        table.roots.iter().find(|(index, span)| paths.get(*index).is_some_and(|path| path == file.path) && file.in_scope_span(span))
    else {
        return;
    };
    let missing: Vec<_> = handlers.iter().filter(|handler| !model.function(**handler).instrumented).collect();
    if missing.is_empty() {
        return;
    }
    let finding = file.report_span(
        sink,
        span.clone(),
        format!(
            "no request gets a tracing span: {} of the {} handlers are not `#[instrument]`ed and no `TraceLayer` or `TracingLogger` wraps a router",
            missing.len(),
            handlers.len()
        ),
    );
    for handler in missing.into_iter().take(50) {
        let name = model.function(*handler).name.clone();
        super::relate(file, finding, *handler, |function| Some(function.place.0.clone()), format!("handler `{name}`"));
    }
}
