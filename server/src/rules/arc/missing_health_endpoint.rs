use crate::analysis::Sink;
use crate::rules::{Check, declare_rule};
use crate::rust::RustFile;
use crate::rust::routes;

declare_rule! {
    /// ## What it does
    /// Checks for services whose router has no health, readiness or liveness route
    /// (`/health`, `/healthz`, `/ready`, `/readyz`, `/livez`, `/ping`). A service is a crate
    /// with a binary that serves (the project model tells which) whose routers (axum,
    /// actix-web, rocket) serve at least one route; the one finding sits where its first top
    /// router is created. A router that cannot be fully read (merged from another crate) is
    /// left alone: the probe may be there.
    ///
    /// ## Why is this bad?
    /// Orchestrators (Kubernetes, ECS, Nomad) and load balancers decide from a probe whether
    /// to send traffic to an instance and whether to restart it. Without one, a process that
    /// is up but cannot reach its database keeps receiving requests, and a deployment
    /// cannot tell a healthy rollout from a broken one.
    ///
    /// ## Example
    /// ```rust
    /// let app = Router::new().route("/orders", get(list_orders));
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// let app = Router::new()
    ///     .route("/healthz", get(|| async { "ok" }))
    ///     .route("/readyz", get(readiness)) // checks the database pool
    ///     .route("/orders", get(list_orders));
    /// ```
    pub struct MissingHealthEndpoint {
        code: "ARC004",
        name: "missing-health-endpoint",
        area: Arc,
        severity: Info,
        input: Service,
    }
}

impl Check for MissingHealthEndpoint {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        if file.kind != crate::rust::FileKind::Source {
            return;
        }
        // A service runs: its crate has a binary that serves.
        let serves = file
            .model
            .binaries_of(file.path)
            .iter()
            .any(|(_, kind)| matches!(kind, crate::project::BinaryKind::Server | crate::project::BinaryKind::ServerWithCommandLine));
        if !serves {
            return;
        }
        let (table, paths) = file.routes();
        let Some(own) = paths.iter().position(|path| path == file.path) else { return };
        if table.served.is_empty() || !table.is_complete() || table.served.iter().any(|route| routes::is_probe(&route.path)) {
            return;
        }
        let count = table.served.len();
        // One finding for the service, on its first top router.
        let first = table.roots.iter().min_by(|left, right| (&paths[left.0], left.1.start).cmp(&(&paths[right.0], right.1.start)));
        for (_, span) in first.into_iter().filter(|(file_index, span)| *file_index == own && file.in_scope_span(span)) {
            file.report_span(
                sink,
                span.clone(),
                format!(
                    "this service serves {count} route{} but no health or readiness probe: add `/healthz` (the process is up) and `/readyz` (its dependencies answer)",
                    if count == 1 { "" } else { "s" }
                ),
            );
        }
    }
}
