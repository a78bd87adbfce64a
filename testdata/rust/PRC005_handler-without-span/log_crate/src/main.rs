mod silent_handlers;

use actix_web::{App, HttpServer};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::init();
    HttpServer::new(|| App::new().service(silent_handlers::index)).bind(("0.0.0.0", 8080))?.run().await
}
