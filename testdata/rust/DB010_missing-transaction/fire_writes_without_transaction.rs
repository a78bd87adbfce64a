use axum::{extract::{Path, State}, http::StatusCode};

pub async fn refund(State(pool): State<sqlx::PgPool>, Path(id): Path<uuid::Uuid>) -> Result<StatusCode, ApiError> {
    sqlx::query("UPDATE orders SET status = 'refunded' WHERE id = $1").bind(id).execute(&pool).await?;
    sqlx::query("INSERT INTO refunds (order_id) VALUES ($1)").bind(id).execute(&pool).await?;
    Ok(StatusCode::NO_CONTENT)
}
