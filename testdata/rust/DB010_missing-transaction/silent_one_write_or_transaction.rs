use axum::{extract::{Path, State}, http::StatusCode};

pub async fn refund(State(pool): State<sqlx::PgPool>, Path(id): Path<uuid::Uuid>) -> Result<StatusCode, ApiError> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE orders SET status = 'refunded' WHERE id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO refunds (order_id) VALUES ($1)").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn cancel(State(pool): State<sqlx::PgPool>, Path(id): Path<uuid::Uuid>) -> Result<StatusCode, ApiError> {
    sqlx::query("UPDATE orders SET status = 'cancelled' WHERE id = $1").bind(id).execute(&pool).await?;
    let _rows = sqlx::query("SELECT * FROM refunds WHERE order_id = $1").bind(id).fetch_all(&pool).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A migration helper, not a handler.
pub async fn seed(pool: &sqlx::PgPool) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO currencies VALUES ('EUR')").execute(pool).await?;
    sqlx::query("INSERT INTO currencies VALUES ('USD')").execute(pool).await?;
    Ok(())
}
