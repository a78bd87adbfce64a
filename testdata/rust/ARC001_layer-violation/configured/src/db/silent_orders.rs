use sqlx::PgPool;

use crate::app::Checkout;
use crate::domain::Order;

pub struct OrderRows;

impl OrderRows {
    pub async fn latest(&self, pool: &PgPool) -> Order {
        sqlx::query_as("SELECT * FROM orders ORDER BY created_at DESC LIMIT 1").fetch_one(pool).await.unwrap_or_default()
    }
}

impl Checkout for OrderRows {}
