// `it/` is a test folder in this project's archlens.toml.
pub async fn order_round_trip() {
    let response = client().get("/orders/1").send().await.unwrap();
    println!("status: {}", response.status());
}
