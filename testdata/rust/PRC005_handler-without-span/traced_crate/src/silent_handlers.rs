// `status` is routed in main.rs, under the TraceLayer there.
pub async fn status() -> &'static str {
    "ok"
}
