use sqlx::PgPool;

pub async fn orders_of(pool: &PgPool, ids: &[uuid::Uuid]) -> sqlx::Result<Vec<Order>> {
    let mut orders = Vec::new();
    for id in ids {
        let order = sqlx::query_as::<_, Order>("SELECT * FROM orders WHERE id = $1").bind(id).fetch_one(pool).await?;
        orders.push(order);
    }
    Ok(orders)
}

pub async fn archive(client: &tokio_postgres::Client, mut rows: std::vec::IntoIter<i64>) -> Result<(), tokio_postgres::Error> {
    while let Some(id) = rows.next() {
        client.execute("UPDATE orders SET archived = true WHERE id = $1", &[&id]).await?;
    }
    Ok(())
}
