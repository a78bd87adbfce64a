// The service logs through `log` (env_logger) and installs no tracing subscriber: a span
// would go nowhere.
#[actix_web::get("/")]
pub async fn index() -> &'static str {
    log::info!("index");
    "ok"
}
