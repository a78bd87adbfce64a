use sqlx::postgres::{PgConnectOptions, PgSslMode};

/// The default for local development: a database in a container on this machine.
const DEFAULT_URL: &str = "postgres://orders:orders@localhost:5432/orders?sslmode=disable";

pub fn url() -> String {
    std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.to_owned())
}

pub fn production(password: &str) -> PgConnectOptions {
    PgConnectOptions::new().host("db.internal").password(password).ssl_mode(PgSslMode::VerifyFull)
}

#[cfg(test)]
mod tests {
    const TEST_URL: &str = "postgres://test@ci-db:5432/test?sslmode=disable";
}
