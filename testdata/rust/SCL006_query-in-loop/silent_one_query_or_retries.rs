use std::time::Duration;

use sqlx::PgPool;

pub async fn orders_of(pool: &PgPool, ids: &[uuid::Uuid]) -> sqlx::Result<Vec<Order>> {
    sqlx::query_as::<_, Order>("SELECT * FROM orders WHERE id = ANY($1)").bind(ids).fetch_all(pool).await
}

/// A retry loop runs the same query again, not once per item.
pub async fn wait_for_database(pool: &PgPool) {
    loop {
        if sqlx::query("SELECT 1").execute(pool).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// A loop over results that does not query.
pub async fn totals(pool: &PgPool) -> sqlx::Result<i64> {
    let rows = sqlx::query_as::<_, Order>("SELECT * FROM orders").fetch_all(pool).await?;
    let mut total = 0;
    for row in &rows {
        total += row.total_cents;
    }
    Ok(total)
}
