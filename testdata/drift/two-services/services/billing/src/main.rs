use axum::{Router, routing::get};

#[tokio::main]
async fn main() {
    let app = Router::new().route("/invoices", get(list_invoices)).route("/invoices/:id/pdf", get(invoice_pdf));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3001").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}

async fn list_invoices() {}
async fn invoice_pdf() {}
