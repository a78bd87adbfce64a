use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use sqlx::PgPool;

pub fn router(pool: PgPool) -> Router {
    Router::new()
        .route("/invoices", get(list_invoices).post(create_invoice))
        .route("/invoices/{id}", get(get_invoice))
        .route("/version", get(version))
        .with_state(pool)
}

async fn list_invoices(State(pool): State<PgPool>) -> Json<Vec<Invoice>> {
    let invoices = sqlx::query_as("SELECT id, total FROM invoices").fetch_all(&pool).await.unwrap_or_default();
    Json(invoices)
}

pub async fn create_invoice(State(pool): State<PgPool>, Json(invoice): Json<NewInvoice>) -> StatusCode {
    tracing::info!(customer = %invoice.customer_id, "creating invoice");
    StatusCode::CREATED
}

#[tracing::instrument(skip(pool))]
async fn get_invoice(State(pool): State<PgPool>, Path(id): Path<i64>) -> Json<Invoice> {
    todo_invoice(id)
}

async fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
