use std::time::Duration;

const RETRY_DELAY: Duration = Duration::from_millis(250);

pub async fn fetch_rates(client: &reqwest::Client, url: &str) -> Result<Rates, reqwest::Error> {
    for attempt in 1..=5 {
        match client.get(url).send().await {
            Ok(response) => return response.json().await,
            Err(error) => tracing::warn!(attempt, %error, "rates service failed, retrying"),
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    client.get(url).send().await?.json().await
}

pub async fn connect(url: &str) -> sqlx::Result<sqlx::PgPool> {
    let mut attempts = 0;
    loop {
        match sqlx::PgPool::connect(url).await {
            Ok(pool) => break Ok(pool),
            Err(error) if attempts < 10 => {
                attempts += 1;
                tracing::warn!(%error, attempts, "database not ready");
                tokio::time::sleep(RETRY_DELAY).await;
            }
            Err(error) => break Err(error),
        }
    }
}

pub async fn publish(producer: &Producer, event: &Event) -> Result<(), PublishError> {
    let delay = Duration::from_secs(1);
    let mut retries = 3;
    while retries > 0 {
        if let Ok(()) = producer.send(event).await {
            return Ok(());
        }
        retries -= 1;
        tokio::time::sleep(delay).await;
    }
    Err(PublishError::GaveUp)
}
