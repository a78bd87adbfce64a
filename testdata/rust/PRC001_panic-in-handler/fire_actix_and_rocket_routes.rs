use actix_web::{HttpResponse, get, web};

#[get("/customers/{id}")]
async fn customer(id: web::Path<u64>) -> HttpResponse {
    let id = id.into_inner();
    let name = lookup(id).unwrap();
    HttpResponse::Ok().body(name)
}

#[rocket::post("/reindex")]
fn reindex() -> &'static str {
    unimplemented!()
}
