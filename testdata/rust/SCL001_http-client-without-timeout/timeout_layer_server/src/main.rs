mod silent_oauth;

use std::time::Duration;

use axum::{Router, routing::post};
use tower_http::timeout::TimeoutLayer;

#[tokio::main]
async fn main() {
    // Every request, and so every call a handler makes, ends after 30 seconds.
    let app = Router::new().route("/session", post(silent_oauth::authorize)).layer(TimeoutLayer::new(Duration::from_secs(30)));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.expect("the port");
    axum::serve(listener, app).await.expect("serves");
}
