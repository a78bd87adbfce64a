use axum::{Router, routing::get};

pub fn router() -> Router {
    Router::new().route("/{user_id}", get(get_user)).route("/{user_id}/avatar", get(get_avatar))
}

async fn get_user() {}
async fn get_avatar() {}
