// Integration tests live under tests/: printing there is fine.
#[tokio::test]
async fn health_answers() {
    let response = reqwest::get("http://127.0.0.1:8080/health").await.unwrap();
    println!("status: {}", response.status());
}
