use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use sqlx::PgPool;
use uuid::Uuid;

use crate::error::ApiError;
use crate::models::{NewOrder, Order};

pub async fn get_order(State(db): State<PgPool>, Path(id): Path<Uuid>) -> Result<Json<Order>, ApiError> {
    let order = sqlx::query_as::<_, Order>("SELECT * FROM orders WHERE id = $1").bind(id).fetch_one(&db).await.unwrap();
    Ok(Json(order))
}

pub async fn create_order(State(db): State<PgPool>, Json(new_order): Json<NewOrder>) -> Result<StatusCode, ApiError> {
    let currency = new_order.currency.as_deref().expect("currency is required");
    if currency == "XXX" {
        panic!("test currency in production");
    }
    insert(&db, &new_order).await?;
    Ok(StatusCode::CREATED)
}

/// Registered in this file without extractors; still a handler.
pub async fn export() -> String {
    todo!()
}

pub fn router() -> axum::Router<PgPool> {
    axum::Router::new()
        .route("/orders/:id", axum::routing::get(get_order))
        .route("/orders", axum::routing::post(create_order))
        .route("/export", axum::routing::get(export))
}
