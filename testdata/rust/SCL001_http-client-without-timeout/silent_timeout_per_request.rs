use std::time::Duration;

pub struct Rates {
    client: reqwest::Client,
}

impl Rates {
    pub fn new() -> Self {
        Self { client: reqwest::Client::new() }
    }

    pub async fn latest(&self) -> reqwest::Result<String> {
        self.client.get("https://rates.example.com/latest").timeout(Duration::from_secs(3)).send().await?.text().await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn builds() {
        let _ = reqwest::Client::builder().build();
    }
}
