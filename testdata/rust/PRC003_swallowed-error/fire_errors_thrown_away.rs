use axum::{Json, extract::State, http::StatusCode};

pub async fn cancel(State(state): State<AppState>, Json(request): Json<Cancel>) -> StatusCode {
    let _ = state.payments.release(request.order_id).await;
    state.mailer.send_cancellation(request.order_id).await.ok();
    match state.audit.record("cancel", request.order_id).await {
        Ok(()) => {}
        Err(_) => {}
    }
    StatusCode::NO_CONTENT
}
