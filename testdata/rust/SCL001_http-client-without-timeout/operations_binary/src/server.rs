use axum::{Router, routing::get};

pub fn run() -> reqwest::Result<()> {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let app = Router::new().route("/health", get(health));
        let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.expect("the port");
        axum::serve(listener, app).await.expect("serves");
    });
    Ok(())
}

async fn health() -> &'static str {
    "ok"
}
