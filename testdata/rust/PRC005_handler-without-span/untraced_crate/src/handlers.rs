// Routed in the server's file. These take no extractor: only the router in the other module
// says they are handlers.
pub async fn status() -> &'static str {
    tracing::info!("status asked");
    "ok"
}

pub async fn ready() -> &'static str {
    "ready"
}

pub async fn not_routed() -> &'static str {
    "helper"
}
