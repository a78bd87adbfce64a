// Verification turned off only when the operator says so: a setting, an environment variable.
pub fn client(settings: &Settings) -> reqwest::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder().danger_accept_invalid_certs(settings.insecure_tls);
    if std::env::var("APP_TLS_INSECURE_SKIP_VERIFY").is_ok() {
        builder = builder.danger_accept_invalid_certs(true);
    }
    builder.build()
}
