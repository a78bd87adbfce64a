use actix_web::{App, HttpServer, Responder, get, post, web};

#[get("/accounts/{id}")]
async fn get_account(path: web::Path<u64>) -> impl Responder {
    path.into_inner().to_string()
}

#[post("/accounts")]
async fn create_account() -> impl Responder {
    ""
}

async fn close_account() -> impl Responder {
    ""
}

fn accounts(cfg: &mut web::ServiceConfig) {
    cfg.service(get_account)
        .service(create_account)
        .service(web::resource("/accounts/{id}/close").route(web::post().to(close_account)));
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| App::new().service(web::scope("/v2").configure(accounts)))
        .bind(("127.0.0.1", 8080))?
        .run()
        .await
}
