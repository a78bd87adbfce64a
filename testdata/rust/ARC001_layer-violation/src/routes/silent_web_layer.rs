//! The web layer may use the framework, the database and the domain.
use axum::{Json, extract::State};
use sqlx::PgPool;

use crate::domain::fire_order::Order;

pub async fn show(State(pool): State<PgPool>, axum::extract::Path(id): axum::extract::Path<uuid::Uuid>) -> Json<Order> {
    Json(Order::load(&pool, id).await.unwrap_or_else(|_| Order { id, total_cents: 0 }))
}
