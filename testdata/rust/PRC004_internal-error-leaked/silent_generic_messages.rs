use axum::{http::StatusCode, response::{IntoResponse, Response}};

pub async fn show(pool: sqlx::PgPool) -> Response {
    match load(&pool).await {
        Ok(order) => axum::Json(order).into_response(),
        Err(error) => {
            tracing::error!(%error, "loading the order failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// A client error may say what was wrong with the request.
pub async fn create(input: String) -> Response {
    match parse(&input) {
        Ok(order) => axum::Json(order).into_response(),
        Err(error) => (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
    }
}
