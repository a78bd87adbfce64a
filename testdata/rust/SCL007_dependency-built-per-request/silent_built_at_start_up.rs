use std::time::Duration;

use axum::{Router, extract::State, http::StatusCode, routing::post};

#[derive(Clone)]
pub struct AppState {
    pub http: reqwest::Client,
}

pub async fn release(State(state): State<AppState>) -> StatusCode {
    match state.http.post("https://payments.internal/release").send().await {
        Ok(_) => StatusCode::NO_CONTENT,
        Err(_) => StatusCode::BAD_GATEWAY,
    }
}

pub fn app() -> Router {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().expect("client");
    Router::new().route("/release", post(release)).with_state(AppState { http })
}
