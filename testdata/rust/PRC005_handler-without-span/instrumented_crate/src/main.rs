mod fire_handlers;

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt().init();
    let app = Router::new()
        .route("/orders", get(fire_handlers::list_orders))
        .route("/customers", get(fire_handlers::list_customers))
        .route("/export", get(fire_handlers::export));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
