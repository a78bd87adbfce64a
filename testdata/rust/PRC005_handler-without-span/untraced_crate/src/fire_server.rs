// The service logs through tracing, but no request gets a span: no layer wraps the router
// and no handler is instrumented. One finding, on the router, names the handlers.
mod handlers;

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt().init();
    let api = Router::new().route("/status", get(handlers::status)).route("/ready", get(handlers::ready));
    let app = Router::new().nest("/api", api);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
