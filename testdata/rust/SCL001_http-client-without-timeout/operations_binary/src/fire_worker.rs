use std::time::Duration;

/// Polls the registry for new releases until the process stops: one hung request stops the
/// worker for good.
#[tokio::main]
pub async fn run() -> reqwest::Result<()> {
    let client = reqwest::Client::builder().user_agent("operations/1.0").build()?;
    loop {
        let releases = client.get("https://registry.example/api/releases").send().await?.text().await?;
        println!("{releases}");
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
}
