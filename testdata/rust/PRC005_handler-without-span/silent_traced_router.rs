use axum::routing::{get, post};
use axum::{Json, Router};
use tower::ServiceBuilder;
use tower_http::trace::TraceLayer;

pub fn app() -> Router {
    Router::new()
        .route("/sessions", post(login))
        .route("/me", get(me))
        .layer(ServiceBuilder::new().layer(TraceLayer::new_for_http()))
}

async fn login(Json(credentials): Json<Credentials>) -> Json<Session> {
    Json(Session::new(credentials.user))
}

async fn me() -> &'static str {
    "me"
}
