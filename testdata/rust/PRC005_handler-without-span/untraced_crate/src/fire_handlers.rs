// Routed in main.rs, which has no tracing layer. These take no extractor: only the router
// in the other module says they are handlers.
pub async fn status() -> &'static str {
    "ok"
}

pub async fn ready() -> &'static str {
    "ready"
}

pub async fn not_routed() -> &'static str {
    "helper"
}
