use std::time::Duration;

/// Synchronous code may block.
pub fn load_config(path: &str) -> String {
    std::thread::sleep(Duration::from_millis(10));
    std::fs::read_to_string(path).expect("config file")
}

pub async fn export_report(path: String) -> std::io::Result<String> {
    tokio::time::sleep(Duration::from_millis(200)).await;
    let text = tokio::fs::read_to_string(&path).await?;
    // Blocking work moved off the executor.
    let copy = tokio::task::spawn_blocking(move || std::fs::read_to_string(&path)).await.expect("joined")?;
    let hashed = tokio::task::block_in_place(|| {
        std::thread::sleep(Duration::from_millis(1));
        copy.len()
    });
    Ok(format!("{text}{hashed}"))
}

#[tokio::test]
async fn waits_for_the_server() {
    std::thread::sleep(Duration::from_millis(50));
}
