use axum::{Router, routing::{get, post}};

pub fn router() -> Router {
    Router::new()
        .route("/orders", get(list_orders).post(create_order))
        .route("/orders/:order_id", get(get_order).delete(delete_order))
        // archlens: allow(ARC002) -- called by the billing job only
        .route("/orders/:order_id/recalculate", post(recalculate))
}

async fn list_orders() {}
async fn create_order() {}
async fn get_order() {}
async fn delete_order() {}
async fn recalculate() {}
