//! Pricing rules: plain Rust, serde and the crate's own domain types.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use thiserror::Error;

use crate::domain::fire_order::Order;

#[derive(Debug, Error)]
pub enum PricingError {
    #[error("the order has no lines")]
    Empty,
}

#[derive(Debug, Serialize)]
pub struct Quote {
    pub order: uuid::Uuid,
    pub valid_until: DateTime<Utc>,
    pub lines: BTreeMap<String, i64>,
}

pub fn discount(order: &Order) -> Result<i64, PricingError> {
    if order.total_cents == 0 {
        return Err(PricingError::Empty);
    }
    Ok(order.total_cents / 10)
}

#[cfg(test)]
mod tests {
    // Tests may build whatever they need.
    use sqlx::PgPool;

    #[sqlx::test]
    async fn loads(pool: PgPool) {
        let _ = pool;
    }
}
