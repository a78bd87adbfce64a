use axum::{Json, extract::Path, http::StatusCode};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct NewOrder {
    pub sku: String,
    pub quantity: u32,
}

pub async fn create_order(Json(order): Json<NewOrder>) -> StatusCode {
    println!("creating order for {} x{}", order.sku, order.quantity);
    if order.quantity == 0 {
        eprintln!("rejected empty order for {}", order.sku);
        return StatusCode::UNPROCESSABLE_ENTITY;
    }
    StatusCode::CREATED
}

pub async fn get_order(Path(id): Path<u64>) -> StatusCode {
    let id = dbg!(id);
    print!("looked up {id}");
    StatusCode::OK
}
