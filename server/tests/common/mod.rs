//! The LSP client the end-to-end suites share: the real `archlens lsp` binary, spoken to over
//! its stdin and stdout with `Content-Length` framed JSON-RPC, the way an editor does. Every
//! wait has a timeout, and the child process is killed when its client is dropped.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

/// How long any single wait for the server lasts.
pub const TIMEOUT: Duration = Duration::from_secs(10);
pub const PUBLISH: &str = "textDocument/publishDiagnostics";

// ---------------------------------------------------------------------------------------------
// The client.

/// What the reader thread hands over: a message, or why the server's output is unusable.
pub type Frame = Result<Value, String>;

pub enum Received {
    Message(Value),
    Timeout,
    Closed,
}

/// A minimal LSP client over the stdio of a spawned `archlens lsp`.
pub struct Client {
    pub child: Child,
    /// `None` once [`Client::close_input`] has closed it.
    stdin: Option<ChildStdin>,
    incoming: Receiver<Frame>,
    /// Messages received but not yet consumed by a wait, in arrival order.
    pub queue: VecDeque<Value>,
    next_id: i64,
    stderr: Arc<Mutex<String>>,
}

impl Client {
    pub fn start() -> Client {
        Client::start_with_env(&[])
    }

    pub fn start_with_env(variables: &[(&str, &str)]) -> Client {
        let mut command = Command::new(env!("CARGO_BIN_EXE_archlens"));
        // The server's own log filter unless `ARCHLENS_TEST_SERVER_LOG` gives one.
        match std::env::var("ARCHLENS_TEST_SERVER_LOG") {
            Ok(filter) => command.env("ARCHLENS_LOG", filter),
            Err(_) => command.env_remove("ARCHLENS_LOG"),
        };
        let mut child = command
            .arg("lsp")
            .envs(variables.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn `archlens lsp`");
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stderr_pipe = child.stderr.take().expect("piped stderr");
        let (sender, incoming) = mpsc::channel();
        thread::spawn(move || read_frames(stdout, &sender));
        let stderr = Arc::new(Mutex::new(String::new()));
        let collected = stderr.clone();
        thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(read @ 1..) = stderr_pipe.read(&mut buffer) {
                collected.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push_str(&String::from_utf8_lossy(&buffer[..read]));
            }
        });
        Client { child, stdin: Some(stdin), incoming, queue: VecDeque::new(), next_id: 1, stderr }
    }

    /// Sends `initialize` (with the folder as root and only workspace folder) and
    /// `initialized`; returns the `initialize` result.
    pub fn initialize(&mut self, folder: &Path, capabilities: Value) -> Value {
        self.initialize_with(folder, capabilities, Value::Null)
    }

    /// `initialize` with `initializationOptions` (left out when null), then `initialized`.
    pub fn initialize_with(&mut self, folder: &Path, capabilities: Value, options: Value) -> Value {
        let root = file_uri(folder);
        let mut params = json!({
            "processId": std::process::id(),
            "clientInfo": { "name": "archlens-e2e" },
            "rootUri": root,
            "workspaceFolders": [{ "uri": root, "name": "fixtures" }],
            "capabilities": capabilities,
        });
        if !options.is_null() {
            params["initializationOptions"] = options;
        }
        let result = self.call("initialize", params);
        self.notify("initialized", json!({}));
        result
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("the server's input is still open");
        if let Err(error) = stdin.write_all(bytes).and_then(|()| stdin.flush()) {
            panic!("writing to the server failed: {error}{}", self.stderr_tail());
        }
    }

    /// Closes the server's stdin, as an editor that goes away does.
    pub fn close_input(&mut self) {
        self.stdin = None;
    }

    pub fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&message(None, method, params));
    }

    /// Sends a request and returns the whole response (`result` or `error`), keeping every
    /// other message that arrives meanwhile for later waits.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&message(Some(id), method, params));
        self.wait_for(&format!("the response to {method} (id {id})"), TIMEOUT, |message| {
            message.get("method").is_none() && message["id"] == id
        })
    }

    /// Sends a request without waiting for its response; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&message(Some(id), method, params));
        id
    }

    /// The whole response (`result` or `error`) to the request `id`.
    pub fn response(&mut self, id: i64, timeout: Duration) -> Value {
        self.wait_for(&format!("the response to request {id}"), timeout, |message| message.get("method").is_none() && message["id"] == id)
    }

    /// A request that must succeed; returns its result.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response:#}");
        response.get("result").cloned().unwrap_or_else(|| panic!("{method}: a response without a result: {response:#}"))
    }

    /// Waits for a notification whose params match; returns its params.
    pub fn wait_for_notification(&mut self, method: &str, predicate: impl Fn(&Value) -> bool, timeout: Duration) -> Value {
        let message = self.wait_for(&format!("a {method} notification"), timeout, |message| {
            message.get("id").is_none() && message["method"] == method && predicate(&message["params"])
        });
        message["params"].clone()
    }

    /// The publish for `uri` computed for `version`.
    pub fn wait_for_publish(&mut self, uri: &str, version: i64) -> Value {
        self.wait_for_notification(PUBLISH, |params| params["uri"] == uri && params["version"] == version, TIMEOUT)
    }

    /// The params of every publish for `uri`, queued or new, in arrival order, up to and
    /// including the first one for `version`; they are taken out of the queue.
    pub fn publishes_until(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let is_for_uri = |message: &Value| message.get("id").is_none() && message["method"] == PUBLISH && message["params"]["uri"] == uri;
        let mut seen = Vec::new();
        let mut done = false;
        let mut kept = VecDeque::new();
        while let Some(message) = self.queue.pop_front() {
            if !done && is_for_uri(&message) {
                done = message["params"]["version"] == version;
                seen.push(message["params"].clone());
            } else {
                kept.push_back(message);
            }
        }
        self.queue = kept;
        if !done {
            // No publish for `uri` is queued now, so the ones the wait queues are all seen.
            self.wait_for(&format!("the publish for {uri} version {version}"), TIMEOUT, |message| {
                if !is_for_uri(message) {
                    return false;
                }
                seen.push(message["params"].clone());
                message["params"]["version"] == version
            });
            self.discard_publishes(uri);
        }
        seen
    }

    /// Drops every queued publish for `uri`, so that later waits see only newer ones.
    pub fn discard_publishes(&mut self, uri: &str) {
        self.queue.retain(|message| message.get("id").is_some() || message["method"] != PUBLISH || message["params"]["uri"] != uri);
    }

    /// The first message (queued or new) that matches; panics after `timeout`.
    pub fn wait_for(&mut self, what: &str, timeout: Duration, mut predicate: impl FnMut(&Value) -> bool) -> Value {
        if let Some(index) = self.queue.iter().position(&mut predicate) {
            return self.queue.remove(index).expect("the index was just found");
        }
        let deadline = Instant::now() + timeout;
        loop {
            match self.receive(deadline) {
                Received::Message(message) if predicate(&message) => return message,
                Received::Message(message) => self.queue.push_back(message),
                Received::Timeout => panic!(
                    "timed out after {timeout:?} waiting for {what}; received meanwhile:\n{}{}",
                    self.describe_queue(),
                    self.stderr_tail()
                ),
                Received::Closed => panic!(
                    "the server closed its output while the test waited for {what}; received before:\n{}{}",
                    self.describe_queue(),
                    self.stderr_tail()
                ),
            }
        }
    }

    /// Receives everything the server sends during `duration` into the queue.
    pub fn collect_for(&mut self, duration: Duration) {
        let deadline = Instant::now() + duration;
        while let Received::Message(message) = self.receive(deadline) {
            self.queue.push_back(message);
        }
    }

    /// The params of every queued notification of `method`.
    pub fn queued_notifications<'a>(&'a self, method: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
        self.queue
            .iter()
            .filter(move |message| message.get("id").is_none() && message["method"] == method)
            .map(|message| &message["params"])
    }

    pub fn receive(&mut self, deadline: Instant) -> Received {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            return Received::Timeout;
        };
        match self.incoming.recv_timeout(left) {
            Ok(Ok(message)) => {
                // A request from the server (registration, configuration, refresh): answer it so
                // the server never waits on us, and keep it for inspection.
                if message.get("method").is_some()
                    && let Some(id) = message.get("id")
                {
                    let reply = json!({ "jsonrpc": "2.0", "id": id, "result": null });
                    self.send(&reply);
                }
                Received::Message(message)
            }
            Ok(Err(problem)) => panic!("the server wrote something that is not an LSP frame: {problem}{}", self.stderr_tail()),
            Err(RecvTimeoutError::Timeout) => Received::Timeout,
            Err(RecvTimeoutError::Disconnected) => Received::Closed,
        }
    }

    /// The server's resident memory in KiB (`VmRSS` of `/proc/<pid>/status`); `None` where
    /// there is no `/proc`.
    pub fn resident_kib(&self) -> Option<u64> {
        status_kib(self.child.id(), "VmRSS")
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("query the server process").is_none()
    }

    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().expect("query the server process") {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": version, "text": text } }),
        );
    }

    pub fn change(&mut self, uri: &str, version: i64, content_changes: Vec<Value>) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": content_changes }),
        );
    }

    pub fn code_actions(&mut self, uri: &str, diagnostic: &Value) -> Vec<Value> {
        let result = self.call(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": diagnostic["range"],
                "context": { "diagnostics": [diagnostic], "triggerKind": 1 },
            }),
        );
        result.as_array().cloned().unwrap_or_else(|| panic!("codeAction answered {result:#}, not a list"))
    }

    pub fn hover(&mut self, uri: &str, line: usize, character: usize) -> Value {
        self.call("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }))
    }

    pub fn describe_queue(&self) -> String {
        let skipped = self.queue.len().saturating_sub(30);
        let mut out = if skipped > 0 { format!("  … {skipped} earlier messages\n") } else { String::new() };
        for message in self.queue.iter().skip(skipped) {
            out.push_str(&format!("  {}\n", describe(message)));
        }
        out
    }

    /// Everything the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    pub fn stderr_tail(&self) -> String {
        let stderr = self.stderr.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let start = stderr.char_indices().rev().nth(4000).map_or(0, |(index, _)| index);
        format!("\n--- server stderr (tail) ---\n{}", &stderr[start..])
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `… kB` field of `/proc/<pid>/status` (`VmRSS`, `VmHWM`).
pub fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.strip_prefix(field).is_some_and(|rest| rest.starts_with(':')))?;
    line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok()
}

/// A request (with an id) or a notification; `null` params are left out, as for `exit`.
pub fn message(id: Option<i64>, method: &str, params: Value) -> Value {
    let mut message = json!({ "jsonrpc": "2.0", "method": method });
    if let Some(id) = id {
        message["id"] = json!(id);
    }
    if !params.is_null() {
        message["params"] = params;
    }
    message
}

/// Parses `Content-Length` frames from the server's stdout until it closes.
pub fn read_frames(stdout: impl Read, sender: &Sender<Frame>) {
    let mut reader = BufReader::new(stdout);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            match line.split_once(':') {
                Some((name, value)) if name.eq_ignore_ascii_case("content-length") => length = value.trim().parse::<usize>().ok(),
                Some(_) => {}
                None => {
                    let _ = sender.send(Err(format!("a header line without a colon: {line:?}")));
                    return;
                }
            }
        }
        let Some(length) = length else {
            let _ = sender.send(Err("a frame without a valid Content-Length".into()));
            return;
        };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let frame =
            serde_json::from_slice(&body).map_err(|error| format!("a body that is not JSON ({error}): {}", String::from_utf8_lossy(&body)));
        if sender.send(frame).is_err() {
            return;
        }
    }
}

/// One line about a message, for failure reports.
pub fn describe(message: &Value) -> String {
    let method = message["method"].as_str().unwrap_or("(response)");
    match method {
        PUBLISH => {
            let params = &message["params"];
            format!("{PUBLISH} uri={} version={} codes={:?}", params["uri"], params["version"], codes(params))
        }
        _ => {
            let mut text = message.to_string();
            if text.len() > 300 {
                let cut = (0..=300).rev().find(|index| text.is_char_boundary(*index)).unwrap_or(0);
                text.truncate(cut);
                text.push('…');
            }
            format!("{method}: {text}")
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fixtures and positions.

/// A temporary folder of fixtures; the workspace folder of the session.
pub struct Workspace {
    _dir: TempDir,
    pub root: PathBuf,
}

impl Workspace {
    pub fn new() -> Workspace {
        // Not a hidden name: the server's workspace scan skips hidden entries.
        let dir = tempfile::Builder::new().prefix("archlens-e2e-").tempdir().expect("create a temporary folder");
        let root = dir.path().canonicalize().expect("canonicalize the temporary folder");
        Workspace { _dir: dir, root }
    }

    /// Writes a file and returns its URI.
    pub fn write(&self, relative: &str, text: &str) -> String {
        let path = self.root.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create the fixture folder");
        }
        std::fs::write(&path, text).expect("write the fixture");
        file_uri(&path)
    }

    pub fn uri(&self, relative: &str) -> String {
        file_uri(&self.root.join(relative))
    }

    /// An `archlens.toml` that turns on these rules besides the default ones: the rules
    /// whose measured precision keeps them off by default.
    pub fn extend_select(&self, codes: &[&str]) -> String {
        let quoted: Vec<String> = codes.iter().map(|code| format!("\"{code}\"")).collect();
        self.write("archlens.toml", &format!("[rules]\nextend-select = [{}]\n", quoted.join(", ")))
    }
}

pub fn file_uri(path: &Path) -> String {
    let text = path.to_str().expect("a UTF-8 temporary path");
    assert!(
        text.chars().all(|character| character.is_ascii_alphanumeric() || "/._-".contains(character)),
        "{text} would need percent-encoding in a URI"
    );
    format!("file://{text}")
}

pub fn diagnostics_of(params: &Value) -> &[Value] {
    params["diagnostics"].as_array().or_else(|| params["items"].as_array()).map_or(&[], Vec::as_slice)
}

pub fn codes(params: &Value) -> Vec<&str> {
    diagnostics_of(params).iter().map(|diagnostic| diagnostic["code"].as_str().unwrap_or("?")).collect()
}
