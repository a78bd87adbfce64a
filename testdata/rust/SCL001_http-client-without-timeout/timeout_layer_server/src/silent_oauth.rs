use axum::Json;

#[derive(serde::Deserialize)]
pub struct Authorize {
    code: String,
}

/// Exchanges the OAuth code: the server's `TimeoutLayer` bounds the request, the call
/// to the identity provider included.
pub async fn authorize(Json(body): Json<Authorize>) -> String {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("a client");
    let response = client.post("https://idp.example/token").form(&[("code", body.code)]).send().await;
    response.map(|_| "ok".to_owned()).unwrap_or_default()
}
