//! Orders and customers API.
//!
//! Configuration comes from the environment: `DATABASE_URL` (required),
//! `PAYMENTS_URL` and `RUST_LOG` (optional).

mod auth;
mod error;
mod models;
mod routes;
mod state;

use std::{net::SocketAddr, time::Duration};

use sqlx::postgres::PgPoolOptions;
use tracing_subscriber::EnvFilter;

use crate::state::AppState;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();

    // Failing fast is right here: there is no request to answer yet, and a
    // service without its database should not report itself healthy.
    let database_url = std::env::var("DATABASE_URL").expect("DATABASE_URL must be set");
    let db = PgPoolOptions::new()
        .max_connections(20)
        .acquire_timeout(Duration::from_secs(3))
        .connect(&database_url)
        .await
        .expect("cannot connect to PostgreSQL");

    sqlx::migrate!("./migrations")
        .run(&db)
        .await
        .expect("database migrations failed");

    // One shared client for outbound calls, with explicit timeouts.
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .build()
        .expect("cannot build the HTTP client");

    let payments_url = std::env::var("PAYMENTS_URL")
        .unwrap_or_else(|_| "https://payments.internal.example.com".to_owned());

    let state = AppState { db, http, payments_url };
    let app = routes::router(state);

    let addr = SocketAddr::from(([0, 0, 0, 0], 8080));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .expect("cannot bind the listen address");
    println!("orders service listening on {addr}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .expect("server error");
}

async fn shutdown_signal() {
    tokio::signal::ctrl_c()
        .await
        .expect("cannot install the Ctrl+C handler");
    tracing::info!("shutting down");
}
