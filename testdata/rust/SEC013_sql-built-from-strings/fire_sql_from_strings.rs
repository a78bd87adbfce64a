use sqlx::PgPool;

pub async fn find_by_email(pool: &PgPool, email: &str) -> sqlx::Result<Customer> {
    let sql = format!("SELECT id, name, email FROM customers WHERE email = '{email}'");
    sqlx::query_as::<_, Customer>(&sql).fetch_one(pool).await
}

pub async fn sorted(pool: &PgPool, column: &str) -> sqlx::Result<Vec<Order>> {
    sqlx::query_as(&format!("SELECT * FROM orders ORDER BY {}", column)).fetch_all(pool).await
}

pub async fn delete(client: &tokio_postgres::Client, id: &str) -> Result<u64, tokio_postgres::Error> {
    client.execute(&("DELETE FROM sessions WHERE id = '".to_owned() + id + "'"), &[]).await
}

pub async fn orders_of(pool: &PgPool, customer: i64, status: &str, limit: i64) -> sqlx::Result<Vec<Order>> {
    sqlx::query_as::<_, Order>(&format!(
        "SELECT * FROM orders WHERE customer_id = {} AND status = '{status}' LIMIT {}",
        customer, limit
    ))
    .fetch_all(pool)
    .await
}
