use tower_http::cors::{AllowOrigin, CorsLayer};

pub fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([http::Method::GET, http::Method::POST])
        .allow_credentials(true)
}

pub fn actix_cors() -> actix_cors::Cors {
    actix_cors::Cors::default().allow_any_origin().supports_credentials().max_age(3600)
}
