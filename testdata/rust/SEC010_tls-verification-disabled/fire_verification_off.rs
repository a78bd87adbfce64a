use std::time::Duration;

pub fn payments_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .danger_accept_invalid_certs(true)
        .build()
}

pub fn legacy_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder().timeout(Duration::from_secs(5)).danger_accept_invalid_hostnames(true).build()
}

pub struct Settings {
    pub insecure_tls: bool,
}

/// Behind a setting: reported as information.
pub fn configured_client(settings: &Settings) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder().timeout(Duration::from_secs(10)).danger_accept_invalid_certs(settings.insecure_tls).build()
}
