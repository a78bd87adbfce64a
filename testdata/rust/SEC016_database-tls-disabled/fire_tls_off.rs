use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgSslMode};

const REPLICA_URL: &str = "postgres://reports:secret@db-replica.internal:5432/orders?sslmode=disable";

pub async fn pools(password: &str) -> sqlx::Result<(sqlx::PgPool, sqlx::PgPool)> {
    let primary = PgConnectOptions::new().host("db.internal").password(password).ssl_mode(PgSslMode::Disable);
    let primary = PgPoolOptions::new().connect_with(primary).await?;
    let replica = PgPoolOptions::new().connect(REPLICA_URL).await?;
    Ok((primary, replica))
}
