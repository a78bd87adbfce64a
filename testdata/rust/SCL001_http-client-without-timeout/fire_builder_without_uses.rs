pub fn inventory() -> reqwest::Result<reqwest::Client> {
    let client = reqwest::Client::builder().pool_max_idle_per_host(4).build()?;
    Ok(client)
}
