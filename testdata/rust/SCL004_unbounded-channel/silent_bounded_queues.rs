use tokio::sync::mpsc;

pub fn start() -> mpsc::Sender<Event> {
    let (events, mut receiver) = mpsc::channel(1024);
    tokio::spawn(async move {
        while let Some(event) = receiver.recv().await {
            deliver(event).await;
        }
    });
    events
}

/// A set operation named like a channel constructor, in a file without channel crates.
pub fn ranges() -> Range {
    unbounded()
}

#[cfg(test)]
mod tests {
    #[test]
    fn collects() {
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel::<u8>();
        drop((sender, receiver));
    }
}
