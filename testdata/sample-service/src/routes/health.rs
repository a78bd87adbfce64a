use axum::{extract::State, http::StatusCode};

use crate::state::AppState;

/// Readiness: the service is up only while its database answers.
pub async fn healthz(State(state): State<AppState>) -> StatusCode {
    match sqlx::query("SELECT 1").execute(&state.db).await {
        Ok(_) => StatusCode::NO_CONTENT,
        Err(error) => {
            tracing::warn!(%error, "database health check failed");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}
