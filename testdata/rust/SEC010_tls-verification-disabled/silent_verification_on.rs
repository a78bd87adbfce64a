use std::time::Duration;

pub fn payments_client(ca: reqwest::Certificate) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .add_root_certificate(ca)
        .danger_accept_invalid_certs(false)
        .build()
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn talks_to_the_self_signed_test_server() {
        let client = reqwest::Client::builder().danger_accept_invalid_certs(true).build().unwrap();
        client.get("https://localhost:8443/health").send().await.unwrap();
    }
}
