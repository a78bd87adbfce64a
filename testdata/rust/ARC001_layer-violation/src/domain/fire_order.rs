//! Orders: the business rules.
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, Serialize, Deserialize)]
pub struct Order {
    pub id: Uuid,
    pub total_cents: i64,
}

impl Order {
    pub async fn load(pool: &PgPool, id: Uuid) -> sqlx::Result<Order> {
        sqlx::query_as("SELECT id, total_cents FROM orders WHERE id = $1").bind(id).fetch_one(pool).await
    }

    pub fn to_response(self) -> Json<Order> {
        Json(self)
    }

    pub async fn notify(&self, client: &reqwest::Client) -> Result<(), reqwest::Error> {
        client.post("https://hooks.example.com/orders").json(self).send().await.map(|_| ())
    }
}
