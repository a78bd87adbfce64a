use axum::{http::StatusCode, response::{IntoResponse, Response}};

pub async fn show(pool: sqlx::PgPool) -> Response {
    match load(&pool).await {
        Ok(order) => axum::Json(order).into_response(),
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    }
}

pub async fn actix_show() -> actix_web::HttpResponse {
    match load_actix().await {
        Ok(body) => actix_web::HttpResponse::Ok().body(body),
        Err(e) => actix_web::HttpResponse::InternalServerError().body(format!("failed: {e}")),
    }
}
