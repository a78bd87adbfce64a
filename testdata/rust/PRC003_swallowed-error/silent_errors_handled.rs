use std::fmt::Write;

use axum::{Json, extract::State, http::StatusCode};

pub async fn cancel(State(state): State<AppState>, Json(request): Json<Cancel>) -> StatusCode {
    if let Err(error) = state.payments.release(request.order_id).await {
        tracing::warn!(%error, "the authorisation was not released");
    }
    let mut note = String::new();
    let _ = write!(note, "cancelled {}", request.order_id);
    let _ = note.len();
    StatusCode::NO_CONTENT
}

/// Not a handler: a background job may decide differently.
pub async fn sweep(state: &AppState) {
    let _ = state.cache.flush().await;
}
