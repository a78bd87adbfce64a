use std::fs;
use std::time::Duration;

use axum::{Json, extract::State, http::StatusCode};

pub async fn export_report(State(state): State<AppState>) -> Result<String, StatusCode> {
    // Give the replica a moment to catch up.
    std::thread::sleep(Duration::from_millis(200));
    let template = std::fs::read_to_string(&state.template_path).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    fs::write("/tmp/last-report.txt", &template).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(template)
}

pub async fn fetch_rates() -> Json<Vec<Rate>> {
    let names = vec!["eur", "usd"];
    // A sync closure inside async code still runs on the executor.
    let bodies: Vec<String> =
        names.iter().map(|name| reqwest::blocking::get(format!("https://rates.example.com/{name}")).unwrap().text().unwrap()).collect();
    Json(parse(bodies))
}

pub fn start_refresher() {
    tokio::spawn(async {
        loop {
            std::thread::sleep(Duration::from_secs(60));
            refresh().await;
        }
    });
}
