mod fire_handlers;

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() {
    let api = Router::new().route("/status", get(fire_handlers::status)).route("/ready", get(fire_handlers::ready));
    let app = Router::new().nest("/api", api);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
