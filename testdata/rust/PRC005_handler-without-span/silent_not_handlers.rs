// Helpers, start-up and tests are not handlers.
async fn load_settings(path: &std::path::Path) -> Settings {
    Settings::from_file(path).await
}

fn build_router() -> axum::Router {
    axum::Router::new()
}

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, build_router()).await.unwrap();
}

#[cfg(test)]
mod tests {
    use axum::extract::Json;

    async fn echo(Json(body): Json<String>) -> String {
        body
    }

    #[tokio::test]
    async fn echoes() {
        assert_eq!(echo(Json("a".into())).await, "a");
    }
}
