/// Rebuilds one crate's index entry: run by an operator who watches it and can interrupt it.
#[tokio::main]
pub async fn reindex(crate_name: &str) -> reqwest::Result<()> {
    let client = reqwest::Client::builder().user_agent("operations/1.0").build()?;
    let entry = client.get(format!("https://registry.example/api/crates/{crate_name}")).send().await?.text().await?;
    println!("{entry}");
    Ok(())
}
