use sqlx::PgPool;

const COLUMNS: &str = "id, customer_id, status, total_cents";
const PAGE: i64 = 50;

pub async fn recent(pool: &PgPool, customer: uuid::Uuid) -> sqlx::Result<Vec<Order>> {
    let sql = format!("SELECT {COLUMNS} FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT {}", PAGE);
    sqlx::query_as(&sql).bind(customer).fetch_all(pool).await
}

pub async fn by_email(pool: &PgPool, email: &str) -> sqlx::Result<Customer> {
    sqlx::query_as("SELECT id, name, email FROM customers WHERE email = $1").bind(email).fetch_one(pool).await
}

pub async fn count(pool: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {}", "orders")).fetch_one(pool).await
}

#[cfg(test)]
mod tests {
    #[sqlx::test]
    async fn seeds(pool: sqlx::PgPool) {
        let table = "orders";
        sqlx::query(&format!("TRUNCATE {table}")).execute(&pool).await.unwrap();
    }
}
