use tokio::sync::mpsc;

pub struct Notifier {
    events: mpsc::UnboundedSender<Event>,
}

pub fn start() -> Notifier {
    let (events, mut receiver) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(event) = receiver.recv().await {
            deliver(event).await;
        }
    });
    Notifier { events }
}

pub fn audit_queue() -> (crossbeam_channel::Sender<Entry>, crossbeam_channel::Receiver<Entry>) {
    crossbeam_channel::unbounded()
}

pub fn legacy_queue() -> (std::sync::mpsc::Sender<Job>, std::sync::mpsc::Receiver<Job>) {
    std::sync::mpsc::channel()
}
