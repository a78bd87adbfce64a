use sqlx::PgPool;

/// Shared by every handler through axum's `State` extractor.
#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub http: reqwest::Client,
    pub payments_url: String,
}
