use crate::db::orders::OrderRows;
use crate::domain::Order;

pub async fn checkout(rows: &OrderRows, pool: &sqlx::PgPool) -> Order {
    rows.latest(pool).await
}
