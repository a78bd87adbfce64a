use actix_web::{get, post, web, HttpResponse, Responder};

#[get("/reports/{id}")]
async fn report(path: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok().body(format!("report {}", path.into_inner()))
}

#[post("/reports")]
#[instrument(skip(body))]
async fn create_report(body: web::Json<NewReport>) -> impl Responder {
    HttpResponse::Created().finish()
}

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(report).service(create_report).service(web::resource("/ping").route(web::get().to(ping)));
}

async fn ping() -> impl Responder {
    HttpResponse::Ok()
}
