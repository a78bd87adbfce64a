use axum::{extract::Path, http::StatusCode};
use sqlx::postgres::PgPoolOptions;

pub async fn release(Path(id): Path<uuid::Uuid>) -> StatusCode {
    let client = reqwest::Client::new();
    match client.post(format!("https://payments.internal/release/{id}")).send().await {
        Ok(_) => StatusCode::NO_CONTENT,
        Err(_) => StatusCode::BAD_GATEWAY,
    }
}

pub async fn report(Path(month): Path<String>) -> Result<String, StatusCode> {
    let pool = PgPoolOptions::new().max_connections(1).connect(&std::env::var("DATABASE_URL").unwrap_or_default()).await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    render(&pool, &month).await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)
}
