use http::HeaderValue;
use tower_http::cors::{Any, CorsLayer};

/// A public, read-only API: any origin, no credentials.
pub fn public() -> CorsLayer {
    CorsLayer::new().allow_origin(Any).allow_methods([http::Method::GET])
}

/// Credentials for one listed origin.
pub fn app() -> CorsLayer {
    CorsLayer::new()
        .allow_origin("https://app.example.com".parse::<HeaderValue>().unwrap())
        .allow_credentials(true)
}

pub fn no_credentials() -> CorsLayer {
    CorsLayer::very_permissive().allow_credentials(false)
}
