use std::time::Duration;

use reqwest::Client;

pub fn payments() -> reqwest::Result<Client> {
    Client::builder().timeout(Duration::from_secs(10)).user_agent("orders/1.0").build()
}

pub fn shipping() -> reqwest::Result<Client> {
    let mut builder = Client::builder();
    builder = builder.connect_timeout(Duration::from_secs(2));
    builder.build()
}
