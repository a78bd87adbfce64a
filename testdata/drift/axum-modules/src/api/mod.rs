mod orders;
mod users;

use axum::Router;

pub fn router() -> Router {
    Router::new().merge(orders::router()).nest("/users", users::router())
}

pub async fn spec() -> &'static str {
    include_str!("../../openapi.yaml")
}

pub async fn debug_routes() -> &'static str {
    ""
}
