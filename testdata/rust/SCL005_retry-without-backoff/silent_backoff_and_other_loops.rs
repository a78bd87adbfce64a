use std::time::Duration;

pub async fn fetch_with_backoff(client: &reqwest::Client, url: &str) -> Result<String, reqwest::Error> {
    for attempt in 0..5u32 {
        match client.get(url).send().await {
            Ok(response) => return response.text().await,
            Err(error) => tracing::warn!(attempt, %error, "retrying"),
        }
        tokio::time::sleep(Duration::from_millis(100 * 2u64.pow(attempt))).await;
    }
    client.get(url).send().await?.text().await
}

pub async fn connect_doubling(url: &str) -> sqlx::Result<sqlx::PgPool> {
    let mut delay = Duration::from_millis(100);
    let mut attempts = 0;
    loop {
        match sqlx::PgPool::connect(url).await {
            Ok(pool) => return Ok(pool),
            Err(error) if attempts < 8 => {
                attempts += 1;
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(10));
            }
            Err(error) => return Err(error),
        }
    }
}

pub async fn with_policy(policy: &mut ExponentialBackoff, job: &Job) -> Result<(), JobError> {
    for attempt in 0..policy.max_attempts() {
        if job.run().await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(policy.next_delay(attempt)).await;
    }
    Err(JobError::Exhausted)
}

// A stream read until it yields, not a retry.
pub async fn next_message(receiver: &mut tokio::sync::broadcast::Receiver<Message>) -> Option<Message> {
    loop {
        match receiver.recv().await {
            Ok(message) => return Some(message),
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
            Err(_) => return None,
        }
    }
}

// An accept loop: success does not leave it.
pub async fn serve(listener: tokio::net::TcpListener) {
    loop {
        match listener.accept().await {
            Ok((socket, _)) => {
                tokio::spawn(handle(socket));
            }
            Err(error) => tracing::warn!(%error, "accept failed"),
        }
    }
}

// Iterating over items is not retrying.
pub async fn notify_all(users: &[User], mailer: &Mailer) {
    for user in users {
        if let Ok(()) = mailer.send(user).await {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn eventually_ready() {
        for attempt in 0..20 {
            if let Ok(response) = reqwest::get("http://127.0.0.1:3000/healthz").await {
                assert!(response.status().is_success(), "attempt {attempt}");
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("server did not start");
    }
}
