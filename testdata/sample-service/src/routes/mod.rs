//! HTTP routes. Everything but the health check is served under `/v1`.

mod customers;
mod health;
mod orders;

use std::time::Duration;

use axum::{
    routing::{get, post},
    Router,
};
use tower_http::{timeout::TimeoutLayer, trace::TraceLayer};

use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/orders", get(orders::list_orders).post(orders::create_order))
        .route(
            "/orders/:order_id",
            get(orders::get_order).delete(orders::delete_order),
        )
        .route("/orders/:order_id/cancel", post(orders::cancel_order))
        .route("/orders/:order_id/refund", post(orders::refund_order))
        .route(
            "/orders/:order_id/items/:item_id",
            get(orders::get_order_item),
        )
        .route(
            "/customers",
            get(customers::list_customers).post(customers::create_customer),
        )
        .route(
            "/customers/:customer_id",
            get(customers::get_customer).patch(customers::update_customer),
        )
        .route("/customers/search/", get(customers::search_customers))
        // Kept for the mobile app v2, which still calls it.
        .route("/getCustomers", get(customers::legacy_list_customers));

    Router::new()
        .route("/healthz", get(health::healthz))
        .nest("/v1", api)
        .layer(TraceLayer::new_for_http())
        .layer(TimeoutLayer::new(Duration::from_secs(10)))
        .with_state(state)
}
