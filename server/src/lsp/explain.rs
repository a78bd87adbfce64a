//! LLM explanations in the editor: on hover (within a time budget, finishing in the
//! background), and through the "Explain with AI" code action. At most `maxConcurrent`
//! requests run at once, one per prompt; a request nobody waits for any more is dropped,
//! unless a hover already said the answer is coming; repeated failures pause requests.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, watch};

use crate::config::LlmSettings;
use crate::llm::{self, LlmError, cache::AnswerCache};

/// The command of the "Explain with AI" code action.
pub const EXPLAIN_COMMAND: &str = "archlens.explainWithAi";

/// Failures in a row after which requests pause.
const FAILURES_BEFORE_PAUSE: u32 = 3;

/// What a request for an explanation came to.
#[derive(Debug, Clone)]
pub enum Outcome {
    Answer(String),
    /// Not within the budget: it keeps coming, for the next hover.
    Pending,
    Failed(LlmError),
    /// Requests are paused after failures, for this long.
    Paused(Duration),
}

type Answer = Option<Result<String, LlmError>>;

struct Inflight {
    waiters: AtomicUsize,
    /// A hover said the answer is coming: finish it even when nobody waits.
    background: AtomicBool,
    answer: watch::Receiver<Answer>,
    task: Mutex<Option<tokio::task::AbortHandle>>,
}

#[derive(Default)]
pub struct Explainer {
    cache: AnswerCache,
    inflight: Mutex<HashMap<String, Arc<Inflight>>>,
    limit: Mutex<Option<(usize, Arc<Semaphore>)>>,
    failures: Mutex<(u32, Option<Instant>)>,
}

/// Leaves the wait for a request; the last waiter of a request no hover promised drops it.
struct Waiting<'e> {
    explainer: &'e Explainer,
    key: String,
    inflight: Arc<Inflight>,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let left = self.inflight.waiters.fetch_sub(1, Ordering::SeqCst) - 1;
        if left == 0 && !self.inflight.background.load(Ordering::SeqCst) && self.inflight.answer.borrow().is_none() {
            if let Some(task) = self.inflight.task.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
                task.abort();
            }
            let mut inflight = self.explainer.inflight.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if inflight.get(&self.key).is_some_and(|current| Arc::ptr_eq(current, &self.inflight)) {
                inflight.remove(&self.key);
            }
            tracing::debug!(key = %self.key, "LLM request dropped: nobody waits for it");
        }
    }
}

impl Explainer {
    /// The explanation of a prompt: from the cache, or asked for and awaited for `budget`.
    pub async fn explain(self: &Arc<Self>, settings: &LlmSettings, key: String, prompt: String, budget: Duration) -> Outcome {
        if let Some(answer) = self.cache.get(&key) {
            return Outcome::Answer(answer);
        }
        if let Err(error) = llm::check_endpoint(&settings.endpoint) {
            return Outcome::Failed(error);
        }
        if let Some(left) = self.paused() {
            return Outcome::Paused(left);
        }
        let inflight = self.start(settings, &key, prompt);
        inflight.waiters.fetch_add(1, Ordering::SeqCst);
        let waiting = Waiting { explainer: self, key, inflight: inflight.clone() };
        let mut answer = inflight.answer.clone();
        let outcome = match tokio::time::timeout(budget, answer.wait_for(Option::is_some)).await {
            Ok(Ok(done)) => match done.clone() {
                Some(Ok(text)) => Outcome::Answer(text),
                Some(Err(error)) => Outcome::Failed(error),
                None => Outcome::Pending,
            },
            Ok(Err(_)) => Outcome::Failed(LlmError::Unreachable(settings.endpoint.clone())),
            Err(_) => {
                inflight.background.store(true, Ordering::SeqCst);
                Outcome::Pending
            }
        };
        drop(waiting);
        outcome
    }

    /// The request for `key`, started if none runs.
    fn start(self: &Arc<Self>, settings: &LlmSettings, key: &str, prompt: String) -> Arc<Inflight> {
        let mut inflight = self.inflight.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(running) = inflight.get(key) {
            return running.clone();
        }
        let (sender, receiver) = watch::channel(None);
        let entry = Arc::new(Inflight {
            waiters: AtomicUsize::new(0),
            background: AtomicBool::new(false),
            answer: receiver,
            task: Mutex::new(None),
        });
        inflight.insert(key.to_owned(), entry.clone());
        let semaphore = self.semaphore(settings.max_concurrent.max(1));
        let (explainer, settings, key_owned) = (self.clone(), settings.clone(), key.to_owned());
        let task = tokio::spawn(async move {
            let Ok(_permit) = semaphore.acquire_owned().await else { return };
            let started = Instant::now();
            let result = llm::complete(&settings, &prompt).await;
            tracing::debug!(key = %key_owned, elapsed = ?started.elapsed(), ok = result.is_ok(), "LLM request done");
            match &result {
                Ok(text) => {
                    explainer.cache.put(&key_owned, text);
                    explainer.succeeded();
                }
                Err(error) => {
                    tracing::warn!("LLM explanation failed: {}", error.line(&settings));
                    explainer.failed();
                }
            }
            // Gone from the requests in flight before anyone hears the outcome: a hover that
            // comes next asks again (or finds the pause), never this finished request.
            explainer.inflight.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&key_owned);
            let _ = sender.send(Some(result));
        });
        *entry.task.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(task.abort_handle());
        entry
    }

    fn semaphore(&self, limit: usize) -> Arc<Semaphore> {
        let mut current = self.limit.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match &*current {
            Some((known, semaphore)) if *known == limit => semaphore.clone(),
            _ => {
                let semaphore = Arc::new(Semaphore::new(limit));
                *current = Some((limit, semaphore.clone()));
                semaphore
            }
        }
    }

    fn paused(&self) -> Option<Duration> {
        let failures = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        failures.1.and_then(|until| until.checked_duration_since(Instant::now()))
    }

    fn succeeded(&self) {
        *self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = (0, None);
    }

    /// Counts a failure; from the third in a row, requests pause for 30 s, doubling up to
    /// 10 minutes.
    fn failed(&self) {
        let mut failures = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        failures.0 += 1;
        if failures.0 >= FAILURES_BEFORE_PAUSE {
            let pause = Duration::from_secs(30 << (failures.0 - FAILURES_BEFORE_PAUSE).min(4)).min(Duration::from_secs(600));
            failures.1 = Some(Instant::now() + pause);
        }
    }
}

/// The markdown an outcome adds to a hover.
pub fn render(outcome: &Outcome, settings: &LlmSettings) -> String {
    match outcome {
        Outcome::Answer(text) => format!("**AI explanation** (model `{}`)\n\n{text}", settings.model),
        Outcome::Pending => "_The AI explanation is being prepared; hover again in a moment._".to_owned(),
        Outcome::Failed(error) => format!("_AI explanation unavailable: {}._", error.line(settings)),
        Outcome::Paused(left) => {
            format!("_AI explanation unavailable: paused after repeated failures; retrying in {} s._", left.as_millis().div_ceil(1000))
        }
    }
}

/// The arguments of the "Explain with AI" command: where the finding is and its rule.
pub fn command_for(
    uri: &tower_lsp_server::ls_types::Uri,
    diagnostic: &tower_lsp_server::ls_types::Diagnostic,
) -> tower_lsp_server::ls_types::Command {
    tower_lsp_server::ls_types::Command {
        title: "Explain with AI".to_owned(),
        command: EXPLAIN_COMMAND.to_owned(),
        arguments: Some(super::hover::finding_arguments(uri, diagnostic)),
    }
}

/// Runs "Explain with AI": waits for the explanation, writes it with the rule's
/// documentation to a markdown file in the cache folder and asks the editor to show it
/// (`window/showDocument`), or shows it as a message.
pub async fn run_command(client: &tower_lsp_server::Client, state: &Arc<super::state::State>, arguments: Vec<serde_json::Value>) {
    use tower_lsp_server::ls_types as lsp;
    let Some((diagnostic, _, text)) = super::hover::finding_from_arguments(state, &arguments) else {
        spawn_message(client, lsp::MessageType::WARNING, "archlens: that finding is gone; check the file again and retry.".to_owned());
        return;
    };
    let settings = state.config_for(&diagnostic.path).llm;
    let outcome = if settings.enabled {
        let (key, prompt) = llm::request_for(&diagnostic, &text, &settings);
        let wait = Duration::from_millis(settings.timeout_ms.saturating_add(2_000));
        state.explainer.explain(&settings, key, prompt, wait).await
    } else {
        Outcome::Failed(LlmError::Unreachable("(LLM explanations are off: set `llm.enabled`)".to_owned()))
    };
    let markdown = format!(
        "# {} {}\n\n{}\n\n{}\n",
        diagnostic.rule.code,
        diagnostic.rule.name,
        super::hover::render(&diagnostic),
        render(&outcome, &settings)
    );
    let written = llm::cache::cache_root().and_then(|root| {
        let folder = root.join("explanations");
        std::fs::create_dir_all(&folder).ok()?;
        let path =
            folder.join(format!("{}-{}.md", diagnostic.rule.code, llm::cache::key(diagnostic.rule.code, &settings.model, &markdown)));
        std::fs::write(&path, &markdown).ok()?;
        Some(path)
    });
    match written.and_then(|path| super::convert::uri_of(&path)).filter(|_| state.shows_documents()) {
        Some(uri) => {
            let client = client.clone();
            tokio::spawn(async move {
                let params = lsp::ShowDocumentParams { uri, external: Some(false), take_focus: Some(true), selection: None };
                let _ = tokio::time::timeout(Duration::from_secs(10), client.show_document(params)).await;
            });
        }
        None => spawn_message(client, lsp::MessageType::INFO, markdown),
    }
}

fn spawn_message(client: &tower_lsp_server::Client, kind: tower_lsp_server::ls_types::MessageType, message: String) {
    let client = client.clone();
    tokio::spawn(async move { client.show_message(kind, message).await });
}
