//! End-to-end tests of LLM explanations: on hover, through "Explain with AI", and with
//! `archlens explain CODE --llm FILE:LINE`. The real binary is spoken to over stdio the way an
//! editor does, and the model is a small OpenAI-compatible HTTP server on this machine that
//! records what it is sent, how many requests it handles at once, and clients that leave
//! before the answer.
//!
//! Every server gets a fresh cache folder (`ARCHLENS_CACHE_DIR`), every wait has a timeout, and
//! a server is killed when its client is dropped.

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

mod common;
use common::{Client, file_uri};

/// How long any single wait lasts.
const TIMEOUT: Duration = Duration::from_secs(20);
const KEY_VARIABLE: &str = "ARCHLENS_TEST_KEY";
const KEY: &str = "sk-test-123";
const MODEL: &str = "test-model";
const ANSWER: &str = "Log with `tracing::info!` and a `body_len` field instead.";
const AI_SECTION: &str = "**AI explanation**";
const PREPARING: &str = "_The AI explanation is being prepared; hover again in a moment._";
const UNAVAILABLE: &str = "_AI explanation unavailable:";
const EXPLAIN_TITLE: &str = "Explain with AI";
const EXPLAIN_COMMAND: &str = "archlens.explainWithAi";

/// The secret planted in [`CODE`]; no model may ever see it.
const PLANTED: &str = "sk_live_51HxJq2KZvbnT8wq9Yb3pLmN4";

/// The rules section of every workspace here: PRC002 is off by default (its measured
/// precision is under the bar), and these tests explain its findings.
const RULES: &str = "[rules]\nextend-select = [\"PRC002\"]\n";

/// PRC002 on line 3 (the `println!`), SEC012 on line 0 (the constant).
const CODE: &str = "const API_KEY: &str = \"sk_live_51HxJq2KZvbnT8wq9Yb3pLmN4\";

pub async fn create(body: String) -> String {
    println!(\"created {body}\");
    body
}
";

/// Secrets of every kind the redaction knows, all within the default 20 lines of the print.
const SECRETS_CODE: &str = r#"const API_KEY: &str = "sk_live_51HxJq2KZvbnT8wq9Yb3pLmN4";
static DB_PASSWORD: &str = "Tr0ub4dor-3-prod";
const BILLING: &str = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
const AWS_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const GITHUB: &str = "ghp_R2d2C3poBb8Luke4Leia5Han6Solo7Yoda8X";
const SLACK: &str = "xoxb-2048123456-4096123456-Wookiee1Chewbacca2";
const DATABASE_URL: &str = "postgres://orders:hunter2pass@db.internal:5432/orders";
const AUTH_HEADER: &str = "Bearer 4f9d8c7b6a5e4d3c2b1a0f9e";
const SIGNING: &str = "-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAx7Q2dGhpcyBpcyBub3QgYSByZWFsIGtleQ
-----END RSA PRIVATE KEY-----";

pub async fn create(body: String) -> String {
    println!("created {body}");
    body
}
"#;

/// Every secret of [`SECRETS_CODE`].
const SECRETS: [&str; 9] = [
    PLANTED,
    "Tr0ub4dor-3-prod",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "AKIAIOSFODNN7EXAMPLE",
    "ghp_R2d2C3poBb8Luke4Leia5Han6Solo7Yoda8X",
    "xoxb-2048123456-4096123456-Wookiee1Chewbacca2",
    "hunter2pass",
    "4f9d8c7b6a5e4d3c2b1a0f9e",
    "MIIEowIBAAKCAQEAx7Q2dGhpcyBpcyBub3QgYSByZWFsIGtleQ",
];

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

// ---------------------------------------------------------------------------------------------
// Folders and sessions.

/// A temporary folder with a canonical path (not hidden: the server's scan skips hidden
/// entries).
fn temporary_folder(prefix: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::Builder::new().prefix(prefix).tempdir().expect("create a temporary folder");
    let path = dir.path().canonicalize().expect("canonicalize the temporary folder");
    (dir, path)
}

/// A workspace holding `src/main.rs`, and a cache folder, both outliving server processes.
struct Folders {
    _workspace: TempDir,
    root: PathBuf,
    _cache: TempDir,
    cache: PathBuf,
    text: String,
}

impl Folders {
    fn new(text: &str) -> Folders {
        let (workspace, root) = temporary_folder("archlens-llm-");
        let (cache, cache_path) = temporary_folder("archlens-llm-cache-");
        let folders = Folders { _workspace: workspace, root, _cache: cache, cache: cache_path, text: text.to_owned() };
        folders.write("src/main.rs", text);
        folders.write("archlens.toml", RULES);
        folders
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("create the fixture folder");
        std::fs::write(&path, text).expect("write the fixture");
    }
}

fn utf16_client() -> Value {
    json!({ "general": { "positionEncodings": ["utf-16"] } })
}

/// LLM settings for `endpoint`: enabled, the test model, the key from `ARCHLENS_TEST_KEY`,
/// with `extra` on top.
fn settings(endpoint: &str, extra: Value) -> Value {
    let mut settings = json!({ "enabled": true, "endpoint": endpoint, "model": MODEL, "apiKeyEnv": KEY_VARIABLE });
    if let (Some(settings), Some(extra)) = (settings.as_object_mut(), extra.as_object()) {
        settings.extend(extra.clone());
    }
    settings
}

/// A server on [`Folders`] with `src/main.rs` open and its first diagnostics published.
struct Session {
    folders: Folders,
    client: Client,
    uri: String,
    published: Value,
}

impl Session {
    /// A session with `{"llm": llm}` as initialization options (none when `llm` is `None`).
    fn start(text: &str, llm: Option<Value>) -> Session {
        Session::launch(Folders::new(text), llm, utf16_client(), &[])
    }

    fn launch(folders: Folders, llm: Option<Value>, capabilities: Value, variables: &[(&str, &str)]) -> Session {
        let cache = folders.cache.to_str().expect("a UTF-8 cache path").to_owned();
        let mut environment = vec![("ARCHLENS_CACHE_DIR", cache.as_str()), (KEY_VARIABLE, KEY)];
        environment.extend_from_slice(variables);
        let mut client = Client::start_with_env(&environment);
        client.initialize_with(&folders.root, capabilities, llm.map_or(Value::Null, |llm| json!({ "llm": llm })));
        let uri = file_uri(&folders.root.join("src/main.rs"));
        client.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "rust", "version": 1, "text": folders.text } }),
        );
        let published = client.wait_for_publish(&uri, 1);
        Session { folders, client, uri, published }
    }

    /// Ends the server process and hands back its folders for the next one.
    fn close(self) -> Folders {
        let Session { folders, client, .. } = self;
        drop(client);
        folders
    }

    /// The first diagnostic of the latest publish with `code`.
    fn diagnostic(&self, code: &str) -> Value {
        let diagnostics = self.published["diagnostics"].as_array().cloned().unwrap_or_default();
        diagnostics
            .into_iter()
            .find(|diagnostic| diagnostic["code"] == code)
            .unwrap_or_else(|| panic!("no {code} diagnostic: {:#}", self.published))
    }

    /// Hover params one character inside the first finding of `code`.
    fn hover_params(&self, code: &str) -> Value {
        let start = &self.diagnostic(code)["range"]["start"];
        json!({ "textDocument": { "uri": self.uri }, "position": { "line": start["line"], "character": number(&start["character"]) + 1 } })
    }

    /// The markdown of a hover on the finding of `code`, which never shows the API key.
    fn hover(&mut self, code: &str) -> String {
        let params = self.hover_params(code);
        let text = markdown(&self.client.call("textDocument/hover", params));
        assert!(!text.contains(KEY), "the API key is in a hover:\n{text}");
        text
    }

    /// Replaces the whole document (as `version`) and waits for its diagnostics.
    fn change(&mut self, version: i64, text: &str) {
        self.client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": self.uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
        self.published = self.client.wait_for_publish(&self.uri, version);
    }

    fn code_actions(&mut self, code: &str) -> Vec<Value> {
        let diagnostic = self.diagnostic(code);
        let result = self.client.call(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": self.uri },
                "range": diagnostic["range"],
                "context": { "diagnostics": [diagnostic], "triggerKind": 1 },
            }),
        );
        result.as_array().cloned().unwrap_or_default()
    }

    fn assert_key_not_logged(&self) {
        let stderr = self.client.stderr();
        assert!(!stderr.contains(KEY), "the API key is in the server's stderr:\n{stderr}");
    }
}

fn number(value: &Value) -> u64 {
    value.as_u64().unwrap_or_else(|| panic!("{value} is not a number"))
}

fn markdown(hover: &Value) -> String {
    let contents = &hover["contents"];
    contents["value"].as_str().or_else(|| contents.as_str()).unwrap_or_else(|| panic!("a hover without markdown: {hover:#}")).to_owned()
}

/// The hover holds the built-in explanation of `code`.
fn assert_built_in(text: &str, code: &str) {
    assert!(text.contains(&format!("**{code}**")) && text.contains("Why it matters"), "no built-in explanation of {code}:\n{text}");
}

/// The hover holds the model's answer in its AI section, after the built-in explanation.
fn assert_answered(text: &str, code: &str, answer: &str) {
    assert_built_in(text, code);
    let section = text.find(AI_SECTION).unwrap_or_else(|| panic!("no {AI_SECTION} section:\n{text}"));
    assert!(text[section..].contains(answer), "the model's text is not in the AI section:\n{text}");
    assert!(text.find("Why it matters").is_some_and(|why| why < section), "the built-in explanation comes first:\n{text}");
    assert!(!text.contains(PREPARING) && !text.contains(UNAVAILABLE), "{text}");
}

/// A response that is RequestCancelled (-32800) or a null result.
fn is_cancelled(response: &Value) -> bool {
    match response.get("error") {
        Some(error) => error["code"] == -32800,
        None => response["result"].is_null(),
    }
}

/// The line of the hover that says why there is no explanation.
fn unavailable_line(text: &str) -> &str {
    text.lines().find(|line| line.starts_with(UNAVAILABLE)).unwrap_or_else(|| panic!("no line starting {UNAVAILABLE:?}:\n{text}"))
}

/// The explanation action among `actions`, and its command (nested in a code action, or the
/// action itself when it is a bare command).
fn explain_command(actions: &[Value]) -> Option<Value> {
    let action = actions.iter().find(|action| action["title"] == EXPLAIN_TITLE)?;
    Some(if action["command"].is_object() { action["command"].clone() } else { action.clone() })
}

// ---------------------------------------------------------------------------------------------
// The fake model.

/// How the fake model answers every request.
#[derive(Clone)]
enum Reply {
    /// HTTP 200 with a chat completion whose message is this text.
    Answer(&'static str),
    /// This status with a JSON error body.
    Status(u16),
    /// HTTP 200 with a body that is not JSON.
    Malformed,
}

/// One request the fake model read.
struct Recorded {
    method: String,
    path: String,
    /// Names lowercased.
    headers: Vec<(String, String)>,
    body: String,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(known, _)| known == name).map(|(_, value)| value.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|error| panic!("the request body is not JSON ({error}): {}", self.body))
    }

    /// The content of the user message.
    fn prompt(&self) -> String {
        let body = self.json();
        let messages = body["messages"].as_array().cloned().unwrap_or_default();
        let user = messages.iter().find(|message| message["role"] == "user").unwrap_or_else(|| panic!("no user message: {body:#}"));
        user["content"].as_str().unwrap_or_else(|| panic!("the user message has no text: {body:#}")).to_owned()
    }
}

#[derive(Default)]
struct ModelLog {
    connections: usize,
    requests: Vec<Recorded>,
    running: usize,
    most_at_once: usize,
    /// Requests whose client closed the connection before the answer.
    cancelled: usize,
    replied: usize,
}

/// An OpenAI-compatible model that answers every request with `reply` after `delay`.
struct FakeModel {
    address: SocketAddr,
    log: Arc<Mutex<ModelLog>>,
}

impl FakeModel {
    fn start(reply: Reply, delay: Duration) -> FakeModel {
        FakeModel::start_on("127.0.0.1:0", reply, delay)
    }

    fn start_on(address: &str, reply: Reply, delay: Duration) -> FakeModel {
        let listener = TcpListener::bind(address).expect("bind the fake model");
        let address = listener.local_addr().expect("the fake model's address");
        let log = Arc::new(Mutex::new(ModelLog::default()));
        let shared = log.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                lock(&shared).connections += 1;
                let (log, reply) = (shared.clone(), reply.clone());
                thread::spawn(move || serve(stream, &log, &reply, delay));
            }
        });
        FakeModel { address, log }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.address.port())
    }

    fn log(&self) -> MutexGuard<'_, ModelLog> {
        lock(&self.log)
    }

    fn requests(&self) -> usize {
        self.log().requests.len()
    }

    fn wait_until(&self, what: &str, timeout: Duration, done: impl Fn(&ModelLog) -> bool) {
        let deadline = Instant::now() + timeout;
        while !done(&self.log()) {
            assert!(Instant::now() < deadline, "the fake model waited {timeout:?} in vain for {what}");
            thread::sleep(Duration::from_millis(20));
        }
    }
}

fn serve(mut stream: TcpStream, log: &Mutex<ModelLog>, reply: &Reply, delay: Duration) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(request) = read_request(&mut stream) else { return };
    {
        let mut log = lock(log);
        log.requests.push(request);
        log.running += 1;
        log.most_at_once = log.most_at_once.max(log.running);
    }
    let gone = client_left_during(&stream, delay);
    {
        let mut log = lock(log);
        log.running -= 1;
        if gone {
            log.cancelled += 1;
            return;
        }
    }
    if respond(&mut stream, reply).is_ok() {
        lock(log).replied += 1;
    }
    let _ = stream.shutdown(Shutdown::Write);
}

/// Reads one HTTP request: the head, then exactly Content-Length bytes of body.
fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = data.windows(4).position(|window| window == b"\r\n\r\n") {
            break end;
        }
        let read = stream.read(&mut buffer).ok().filter(|read| *read > 0)?;
        data.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (method, path) = (request_line.next()?.to_owned(), request_line.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length = headers.iter().find(|(name, _)| name == "content-length").and_then(|(_, value)| value.parse::<usize>().ok()).unwrap_or(0);
    let mut body = data.split_off(head_end + 4);
    while body.len() < length {
        let read = stream.read(&mut buffer).ok().filter(|read| *read > 0)?;
        body.extend_from_slice(&buffer[..read]);
    }
    body.truncate(length);
    Some(Recorded { method, path, headers, body: String::from_utf8_lossy(&body).into_owned() })
}

/// Waits `delay`, watching for the client closing the connection; whether it did.
fn client_left_during(stream: &TcpStream, delay: Duration) -> bool {
    let deadline = Instant::now() + delay;
    let _ = stream.set_read_timeout(Some(Duration::from_millis(25)));
    let mut byte = [0u8; 1];
    while Instant::now() < deadline {
        match stream.peek(&mut byte) {
            Ok(0) => return true,
            Ok(_) => thread::sleep(Duration::from_millis(25)),
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted) => {}
            Err(_) => return true,
        }
    }
    false
}

fn respond(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    let (status, body) = match reply {
        Reply::Answer(text) => (
            200,
            json!({
                "id": "x",
                "object": "chat.completion",
                "choices": [{ "index": 0, "message": { "role": "assistant", "content": text }, "finish_reason": "stop" }],
            })
            .to_string(),
        ),
        Reply::Malformed => (200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":".to_owned()),
        Reply::Status(code) => {
            (*code, json!({ "error": { "message": "the fake model fails on purpose", "type": "fake_error", "code": code } }).to_string())
        }
    };
    let reason = match status {
        200 => "OK",
        401 => "Unauthorized",
        403 => "Forbidden",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Error",
    };
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

/// An endpoint on this machine where nothing listens.
fn closed_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let port = listener.local_addr().expect("an address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}/v1")
}

/// An address of this machine that is not loopback, when it has one (UDP `connect` sends
/// nothing; it only picks the interface of the route).
fn non_loopback_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("198.51.100.1:9").ok()?;
    let address = socket.local_addr().ok()?.ip();
    (!address.is_loopback() && !address.is_unspecified()).then_some(address)
}

// ---------------------------------------------------------------------------------------------
// The command line.

/// Runs the binary in `folder` with a cache folder and the key; its status, stdout and stderr.
fn run_archlens(arguments: &[&str], folder: &Path, cache: &Path) -> (ExitStatus, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_archlens"))
        .args(arguments)
        .current_dir(folder)
        .env("ARCHLENS_CACHE_DIR", cache)
        .env(KEY_VARIABLE, KEY)
        .env_remove("ARCHLENS_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run archlens");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("piped stderr")));
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("query archlens") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("archlens {arguments:?} ran longer than {TIMEOUT:?}");
        }
        thread::sleep(Duration::from_millis(20));
    };
    (status, stdout.join().expect("stdout"), stderr.join().expect("stderr"))
}

/// The first line of the "Why is this bad?" section of a rule's documentation, as
/// `archlens explain CODE` prints it.
fn documentation_line(code: &str) -> String {
    let (_folder, path) = temporary_folder("archlens-llm-docs-");
    let (status, stdout, stderr) = run_archlens(&["explain", code], &path, &path);
    assert!(status.success(), "archlens explain {code}: {stdout}{stderr}");
    let mut lines = stdout.lines().skip_while(|line| !line.starts_with("## Why"));
    lines.next();
    lines.find(|line| !line.trim().is_empty()).unwrap_or_else(|| panic!("no \"## Why\" section:\n{stdout}")).trim().to_owned()
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[test]
fn answer_reaches_the_hover() {
    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::ZERO);
    let mut session = Session::start(CODE, Some(settings(&model.endpoint(), json!({}))));
    let finding = session.diagnostic("PRC002");
    assert_eq!(finding["range"]["start"], json!({ "line": 3, "character": 4 }), "{finding:#}");

    let text = session.hover("PRC002");
    assert_answered(&text, "PRC002", ANSWER);

    let documentation = documentation_line("PRC002");
    let log = model.log();
    assert_eq!(log.requests.len(), 1, "one hover, one request");
    let request = &log.requests[0];
    assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/v1/chat/completions"));
    assert_eq!(request.header("authorization"), Some("Bearer sk-test-123"), "{:?}", request.headers);
    let body = request.json();
    assert_eq!(body["model"], MODEL, "{body:#}");
    let roles: Vec<&str> = body["messages"]
        .as_array()
        .map(|messages| messages.iter().filter_map(|message| message["role"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(roles, ["system", "user"], "{body:#}");
    let prompt = request.prompt();
    // The finding's own message: the editor's copy may end with the rule's name in brackets.
    let message = finding["message"].as_str().expect("a diagnostic message");
    let message = message.rsplit_once(" (").filter(|(_, name)| name.ends_with(')')).map_or(message, |(message, _)| message);
    for expected in ["PRC002", message, documentation.as_str(), "println!(\"created {body}\")"] {
        assert!(prompt.contains(expected), "the prompt lacks {expected:?}:\n{prompt}");
    }
    drop(log);
    session.assert_key_not_logged();
}

#[test]
fn no_key_variable_means_no_authorization_header() {
    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::ZERO);
    for extra in [json!({ "apiKeyEnv": "ARCHLENS_TEST_KEY_THAT_IS_NOT_SET" }), json!({ "apiKeyEnv": null })] {
        let mut llm = settings(&model.endpoint(), extra);
        llm.as_object_mut().expect("an object").retain(|_, value| !value.is_null());
        let mut session = Session::start(CODE, Some(llm));
        assert_answered(&session.hover("PRC002"), "PRC002", ANSWER);
    }
    let log = model.log();
    assert_eq!(log.requests.len(), 2);
    for request in &log.requests {
        assert_eq!(request.header("authorization"), None, "no key, no header: {:?}", request.headers);
    }
}

#[test]
fn answers_are_cached_in_memory_and_on_disk() {
    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::ZERO);
    let llm = settings(&model.endpoint(), json!({}));
    let mut session = Session::start(CODE, Some(llm.clone()));
    let first = session.hover("PRC002");
    assert_answered(&first, "PRC002", ANSWER);
    assert_eq!(model.requests(), 1);

    // From memory.
    let second = session.hover("PRC002");
    assert_eq!(second, first, "the same hover from the cache");
    assert_eq!(model.requests(), 1, "the second hover sent no request");

    // On disk, under ARCHLENS_CACHE_DIR, and read by a new process.
    let folders = session.close();
    assert!(
        files_under(&folders.cache).iter().any(|file| std::fs::read_to_string(file).is_ok_and(|text| text.contains(ANSWER))),
        "no file under the cache folder holds the answer: {:?}",
        files_under(&folders.cache)
    );
    let connections = model.log().connections;
    let mut session = Session::launch(folders, Some(llm), utf16_client(), &[]);
    assert_answered(&session.hover("PRC002"), "PRC002", ANSWER);
    assert_eq!(model.requests(), 1, "a new server answered from the disk cache");
    assert_eq!(model.log().connections, connections, "not even a connection");

    // The key holds the snippet: new code around the finding is a new question.
    let changed = CODE.replace("created {body}", "stored {body}");
    session.change(2, &changed);
    assert_answered(&session.hover("PRC002"), "PRC002", ANSWER);
    assert_eq!(model.requests(), 2, "a changed snippet is not answered from the cache");
    let prompt = model.log().requests[1].prompt();
    assert!(prompt.contains("stored {body}"), "{prompt}");

    // And the model: another model is asked afresh.
    let folders = session.close();
    let mut session = Session::launch(folders, Some(settings(&model.endpoint(), json!({ "model": "other-model" }))), utf16_client(), &[]);
    assert_answered(&session.hover("PRC002"), "PRC002", ANSWER);
    assert_eq!(model.requests(), 3, "another model is not answered from the cache");
    assert_eq!(model.log().requests[2].json()["model"], "other-model");
}

fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![folder.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn slow_answers_arrive_on_the_next_hover() {
    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::from_secs(3));
    let mut session = Session::start(CODE, Some(settings(&model.endpoint(), json!({ "hoverBudgetMs": 300 }))));
    let started = Instant::now();
    let first = session.hover("PRC002");
    let waited = started.elapsed();
    assert_built_in(&first, "PRC002");
    assert!(first.lines().any(|line| line.trim() == PREPARING), "no line saying the answer is coming:\n{first}");
    assert!(!first.contains(AI_SECTION), "{first}");
    assert!(waited < Duration::from_secs(2), "the hover waited {waited:?}, beyond its 300 ms budget");

    // The request goes on in the background and fills the cache.
    model.wait_until("the answer to be sent", Duration::from_secs(6), |log| log.replied == 1);
    let deadline = Instant::now() + Duration::from_secs(5);
    let later = loop {
        let text = session.hover("PRC002");
        if text.contains(AI_SECTION) || Instant::now() >= deadline {
            break text;
        }
        thread::sleep(Duration::from_millis(200));
    };
    assert_answered(&later, "PRC002", ANSWER);
    let log = model.log();
    assert_eq!((log.requests.len(), log.cancelled), (1, 0), "the answer came from the request the first hover started");
}

#[test]
fn cancelling_a_hover_closes_the_connection() {
    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::from_secs(5));
    let mut session = Session::start(CODE, Some(settings(&model.endpoint(), json!({ "hoverBudgetMs": 10_000 }))));
    let params = session.hover_params("PRC002");
    let id = session.client.send_request("textDocument/hover", params);
    model.wait_until("the hover's request", Duration::from_secs(5), |log| log.requests.len() == 1);
    let cancelled_at = Instant::now();
    session.client.notify("$/cancelRequest", json!({ "id": id }));

    let answer = session.client.response(id, TIMEOUT);
    assert!(is_cancelled(&answer), "a cancelled hover answers RequestCancelled or null: {answer:#}");
    assert!(cancelled_at.elapsed() < Duration::from_secs(3), "the cancelled hover waited {:?}", cancelled_at.elapsed());

    model.wait_until("the server to close the connection", Duration::from_secs(3), |log| log.cancelled == 1);
    let log = model.log();
    assert_eq!((log.requests.len(), log.replied), (1, 0));
    drop(log);
    assert!(session.client.is_running());
}

#[test]
fn cancelling_one_of_two_hovers_keeps_the_request() {
    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::from_secs(2));
    let mut session = Session::start(CODE, Some(settings(&model.endpoint(), json!({ "hoverBudgetMs": 10_000 }))));
    let params = session.hover_params("PRC002");
    let cancelled = session.client.send_request("textDocument/hover", params.clone());
    let kept = session.client.send_request("textDocument/hover", params);
    model.wait_until("the hovers' request", Duration::from_secs(5), |log| !log.requests.is_empty());
    thread::sleep(Duration::from_millis(300));
    session.client.notify("$/cancelRequest", json!({ "id": cancelled }));

    let answer = session.client.response(cancelled, TIMEOUT);
    assert!(is_cancelled(&answer), "a cancelled hover answers RequestCancelled or null: {answer:#}");
    let answer = session.client.response(kept, TIMEOUT);
    assert_answered(&markdown(&answer["result"]), "PRC002", ANSWER);
    // The model counts its reply once it is written, which may be after the hover is read.
    model.wait_until("the answer to be sent", Duration::from_secs(3), |log| log.replied == 1);
    let log = model.log();
    assert_eq!(
        (log.requests.len(), log.cancelled, log.replied),
        (1, 0, 1),
        "one request for both hovers, kept for the hover that still waits"
    );
}

#[test]
fn timeouts_and_error_codes_give_a_short_line() {
    let cases = [
        (Some(Reply::Status(401)), Duration::ZERO, json!({}), "API key"),
        (Some(Reply::Status(403)), Duration::ZERO, json!({ "apiKeyEnv": null }), "API key"),
        (Some(Reply::Status(429)), Duration::ZERO, json!({}), "rate"),
        (Some(Reply::Status(500)), Duration::ZERO, json!({}), "HTTP 500"),
        (Some(Reply::Status(502)), Duration::ZERO, json!({}), "HTTP 502"),
        (Some(Reply::Answer(ANSWER)), Duration::from_secs(3), json!({ "timeoutMs": 300 }), "no answer within"),
        (Some(Reply::Malformed), Duration::ZERO, json!({}), "not a chat completion"),
        (None, Duration::ZERO, json!({}), "cannot reach"),
    ];
    for (reply, delay, extra, expected) in cases {
        let model = reply.map(|reply| FakeModel::start(reply, delay));
        let endpoint = model.as_ref().map_or_else(closed_endpoint, FakeModel::endpoint);
        let mut llm = settings(&endpoint, extra);
        llm.as_object_mut().expect("an object").retain(|_, value| !value.is_null());
        let mut session = Session::start(CODE, Some(llm.clone()));
        let text = session.hover("PRC002");
        assert_built_in(&text, "PRC002");
        let line = unavailable_line(&text);
        assert!(line.contains(expected), "{llm}: expected {expected:?} in {line:?}");
        assert!(line.len() < 300, "{llm}: not a short line: {line:?}");
        assert!(!text.contains(AI_SECTION) && !text.contains(ANSWER), "{llm}: {text}");
        assert!(session.client.is_running(), "{llm}: the server died");
        session.assert_key_not_logged();
        if let Some(model) = model {
            assert!(model.requests() >= 1, "{llm}: the model was not asked");
        }
    }
}

#[test]
fn the_api_key_never_shows() {
    // Even with debug logs, on a refusal and on an answer.
    for (reply, expected) in [(Reply::Status(401), UNAVAILABLE), (Reply::Answer(ANSWER), AI_SECTION)] {
        let model = FakeModel::start(reply, Duration::ZERO);
        let folders = Folders::new(CODE);
        let llm = settings(&model.endpoint(), json!({}));
        let mut session = Session::launch(folders, Some(llm), utf16_client(), &[("ARCHLENS_LOG", "debug")]);
        let text = session.hover("PRC002");
        assert!(text.contains(expected), "{text}");
        assert_eq!(model.log().requests[0].header("authorization"), Some("Bearer sk-test-123"));
        session.assert_key_not_logged();
    }
}

#[test]
fn secrets_never_reach_the_model() {
    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::ZERO);
    let mut session = Session::start(SECRETS_CODE, Some(settings(&model.endpoint(), json!({}))));
    assert_answered(&session.hover("PRC002"), "PRC002", ANSWER);
    // The finding on a secret itself: its message and line are sent too.
    assert_answered(&session.hover("SEC012"), "SEC012", ANSWER);

    let log = model.log();
    assert_eq!(log.requests.len(), 2);
    for request in &log.requests {
        let prompt = request.prompt();
        for secret in SECRETS {
            let tail = &secret[secret.len() - 10..];
            assert!(
                !request.body.contains(secret) && !request.body.contains(tail) && !prompt.contains(tail),
                "{secret} reached the model:\n{prompt}"
            );
        }
        assert!(prompt.contains("[REDACTED]"), "{prompt}");
    }
    let prompt = log.requests[0].prompt();
    for kept in ["const API_KEY: &str", "postgres://orders:[REDACTED]@db.internal", "println!(\"created {body}\")"] {
        assert!(prompt.contains(kept), "the code around the finding lost {kept:?}:\n{prompt}");
    }
}

#[test]
fn context_lines_bound_the_snippet() {
    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::ZERO);
    let mut session = Session::start(CODE, Some(settings(&model.endpoint(), json!({ "contextLines": 1 }))));
    assert_answered(&session.hover("PRC002"), "PRC002", ANSWER);
    let prompt = model.log().requests[0].prompt();
    assert!(prompt.contains("println!(\"created {body}\")") && prompt.contains("pub async fn create"), "{prompt}");
    assert!(!prompt.contains("API_KEY") && !prompt.contains("sk_live_"), "line 0 is 3 lines away from the finding:\n{prompt}");
}

#[test]
fn defaults_apply_when_settings_leave_them_out() {
    // The print on line 21: line 1 is 20 lines before it, line 0 is 21; line 41 is 20 lines
    // after it, line 42 is 21.
    let mut lines = vec!["// marker twenty-one before".to_owned(), "// marker twenty before".to_owned()];
    lines.extend((2..20).map(|number| format!("// filler {number}")));
    lines
        .extend(["pub async fn create(body: String) -> String {", "    println!(\"created {body}\");", "    body", "}"].map(str::to_owned));
    lines.extend((24..41).map(|number| format!("// filler {number}")));
    lines.extend(["// marker twenty after".to_owned(), "// marker twenty-one after".to_owned()]);
    let text = lines.join("\n") + "\n";

    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::from_secs(4));
    let mut session = Session::start(&text, Some(json!({ "enabled": true, "endpoint": model.endpoint(), "model": MODEL })));
    assert_eq!(session.diagnostic("PRC002")["range"]["start"]["line"], 21);
    let started = Instant::now();
    let first = session.hover("PRC002");
    let waited = started.elapsed();
    assert!(first.lines().any(|line| line.trim() == PREPARING), "{first}");
    assert!(
        waited >= Duration::from_millis(1_300) && waited < Duration::from_millis(3_500),
        "the default hover budget is 1500 ms; the hover waited {waited:?}"
    );

    let prompt = model.log().requests[0].prompt();
    for (marker, shown) in [
        ("marker twenty before", true),
        ("marker twenty-one before", false),
        ("marker twenty after", true),
        ("marker twenty-one after", false),
    ] {
        assert_eq!(prompt.contains(marker), shown, "the default context is 20 lines each side; {marker:?}:\n{prompt}");
    }
}

#[test]
fn concurrency_is_limited() {
    for (limit, most) in [(Some(1), 1), (None, 2)] {
        let model = FakeModel::start(Reply::Answer(ANSWER), Duration::from_secs(1));
        let extra = match limit {
            Some(limit) => json!({ "maxConcurrent": limit, "hoverBudgetMs": 8_000 }),
            None => json!({ "hoverBudgetMs": 8_000 }),
        };
        let mut session = Session::start(CODE, Some(settings(&model.endpoint(), extra)));
        let ids: Vec<(i64, &str)> = ["PRC002", "SEC012"]
            .into_iter()
            .map(|code| {
                let params = session.hover_params(code);
                (session.client.send_request("textDocument/hover", params), code)
            })
            .collect();
        for (id, code) in ids {
            let answer = session.client.response(id, TIMEOUT);
            assert_answered(&markdown(&answer["result"]), code, ANSWER);
        }
        let log = model.log();
        assert_eq!(log.requests.len(), 2, "two findings, two requests");
        assert_eq!(log.most_at_once, most, "maxConcurrent {limit:?} (None: the default, 2): requests at once");
    }
}

#[test]
fn disabled_means_no_request() {
    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::ZERO);
    let endpoint = model.endpoint();
    for llm in [
        None,
        Some(json!({ "enabled": false, "endpoint": endpoint, "model": MODEL })),
        Some(json!({ "endpoint": endpoint, "model": MODEL })),
    ] {
        let mut session = Session::start(CODE, llm.clone());
        let text = session.hover("PRC002");
        assert_built_in(&text, "PRC002");
        assert!(!text.contains("AI explanation"), "{llm:?}: {text}");
        let actions = session.code_actions("PRC002");
        assert!(explain_command(&actions).is_none(), "{llm:?}: {actions:#?}");
        assert!(!actions.iter().any(|action| action.to_string().contains(EXPLAIN_COMMAND)), "{llm:?}: {actions:#?}");
    }
    thread::sleep(Duration::from_millis(300));
    assert_eq!(model.log().connections, 0, "disabled means no connection");
}

#[test]
fn a_slow_model_never_delays_diagnostics() {
    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::from_secs(5));
    let mut session = Session::start(CODE, Some(settings(&model.endpoint(), json!({ "hoverBudgetMs": 10_000 }))));
    let params = session.hover_params("PRC002");
    session.client.send_request("textDocument/hover", params);
    model.wait_until("the hover's request", Duration::from_secs(5), |log| log.requests.len() == 1);

    let started = Instant::now();
    session.change(2, &CODE.replace("println!", "tracing::info!"));
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(3), "the publish waited {waited:?} for the model");
    let codes: Vec<&str> = session.published["diagnostics"]
        .as_array()
        .map(|found| found.iter().filter_map(|diagnostic| diagnostic["code"].as_str()).collect())
        .unwrap_or_default();
    assert!(!codes.contains(&"PRC002"), "the fix removed PRC002: {codes:?}");
    assert_eq!(model.log().replied, 0, "the model had not answered yet");
}

#[test]
fn explain_with_ai_shows_a_document() {
    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::ZERO);
    let capabilities = json!({ "general": { "positionEncodings": ["utf-16"] }, "window": { "showDocument": { "support": true } } });
    let mut session = Session::launch(Folders::new(CODE), Some(settings(&model.endpoint(), json!({}))), capabilities, &[]);
    for code in ["SEC012", "PRC002"] {
        let actions = session.code_actions(code);
        let command = explain_command(&actions).unwrap_or_else(|| panic!("no {EXPLAIN_TITLE:?} for {code}: {actions:#?}"));
        assert_eq!(command["command"], EXPLAIN_COMMAND, "{command:#}");
    }
    let command = explain_command(&session.code_actions("PRC002")).expect("the action");
    let mut params = json!({ "command": command["command"] });
    if let Some(arguments) = command.get("arguments") {
        params["arguments"] = arguments.clone();
    }
    session.client.call("workspace/executeCommand", params);

    let shown = session.client.wait_for("window/showDocument", TIMEOUT, |message| message["method"] == "window/showDocument");
    let uri = shown["params"]["uri"].as_str().unwrap_or_else(|| panic!("showDocument without a uri: {shown:#}"));
    let path = Path::new(uri.strip_prefix("file://").unwrap_or_else(|| panic!("not a file URI: {uri}")));
    assert!(path.starts_with(session.folders.cache.as_path()), "{uri} is not under ARCHLENS_CACHE_DIR {}", session.folders.cache.display());
    assert_eq!(path.extension().and_then(|extension| extension.to_str()), Some("md"), "{uri}");
    let written = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("read {uri}: {error}"));
    assert!(written.contains(ANSWER), "the document lacks the explanation:\n{written}");
    assert_eq!(model.requests(), 1);
}

#[test]
fn explain_with_ai_shows_a_message_without_show_document() {
    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::ZERO);
    let mut session = Session::start(CODE, Some(settings(&model.endpoint(), json!({}))));
    let command = explain_command(&session.code_actions("PRC002")).expect("an Explain with AI action");
    let mut params = json!({ "command": command["command"] });
    if let Some(arguments) = command.get("arguments") {
        params["arguments"] = arguments.clone();
    }
    session.client.call("workspace/executeCommand", params);
    let shown = session.client.wait_for("window/showMessage with the explanation", TIMEOUT, |message| {
        message["method"] == "window/showMessage" && message["params"]["message"].as_str().is_some_and(|text| text.contains(ANSWER))
    });
    assert!(!shown["params"]["message"].as_str().unwrap_or_default().contains(KEY));
}

#[test]
fn cli_explains_with_the_model() {
    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::ZERO);
    let folders = Folders::new(CODE);
    folders.write("archlens.toml", &format!("{RULES}[llm]\nenabled = true\nendpoint = \"{}\"\nmodel = \"test-model\"\n", model.endpoint()));
    let arguments = ["explain", "PRC002", "--llm", "src/main.rs:4"];
    let (status, stdout, stderr) = run_archlens(&arguments, &folders.root, &folders.cache);
    assert!(status.success(), "{status}\n{stdout}\n{stderr}");
    assert!(stdout.contains("PRC002") && stdout.contains(ANSWER), "{stdout}");
    assert!(stdout.contains(&documentation_line("PRC002")), "the rule documentation is printed too:\n{stdout}");
    assert_eq!(model.requests(), 1);
    assert!(!model.log().requests[0].body.contains(PLANTED), "redacted on the command line too");

    // Again: from the disk cache in ARCHLENS_CACHE_DIR.
    let (status, stdout, stderr) = run_archlens(&arguments, &folders.root, &folders.cache);
    assert!(status.success() && stdout.contains(ANSWER), "{status}\n{stdout}\n{stderr}");
    assert_eq!(model.requests(), 1, "the second run answered from the cache");
}

#[test]
fn archlens_toml_settings_reach_the_editor() {
    let model = FakeModel::start(Reply::Answer(ANSWER), Duration::ZERO);
    let folders = Folders::new(CODE);
    folders.write(
        "archlens.toml",
        &format!(
            "{RULES}[llm]\nenabled = true\nendpoint = \"{}\"\nmodel = \"test-model\"\napi-key-env = \"{KEY_VARIABLE}\"\nhover-budget-ms = 5000\n",
            model.endpoint()
        ),
    );
    let mut session = Session::launch(folders, None, utf16_client(), &[]);
    assert_answered(&session.hover("PRC002"), "PRC002", ANSWER);
    let log = model.log();
    assert_eq!(log.requests.len(), 1);
    assert_eq!(log.requests[0].json()["model"], MODEL);
    assert_eq!(log.requests[0].header("authorization"), Some("Bearer sk-test-123"));
}

#[test]
fn plain_http_elsewhere_is_refused() {
    let started = Instant::now();
    let mut session = Session::start(CODE, Some(settings("http://example.com/v1", json!({}))));
    let text = session.hover("PRC002");
    assert_built_in(&text, "PRC002");
    assert!(unavailable_line(&text).contains("must be on this machine"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(10), "refusing took {:?}", started.elapsed());

    // A model that listens on this machine's network address, which is not loopback: refused
    // without a connection.
    let Some(address) = non_loopback_address() else { return };
    let model = FakeModel::start_on("0.0.0.0:0", Reply::Answer(ANSWER), Duration::ZERO);
    let endpoint = format!("http://{}/v1", SocketAddr::new(address, model.address.port()));
    let mut session = Session::start(CODE, Some(settings(&endpoint, json!({}))));
    let text = session.hover("PRC002");
    assert!(unavailable_line(&text).contains("must be on this machine"), "{endpoint}: {text}");
    thread::sleep(Duration::from_millis(300));
    assert_eq!(model.log().connections, 0, "{endpoint} was connected to");
}

#[test]
fn repeated_failures_pause_requests() {
    let model = FakeModel::start(Reply::Status(500), Duration::ZERO);
    let mut session = Session::start(CODE, Some(settings(&model.endpoint(), json!({}))));
    for _ in 0..3 {
        assert!(unavailable_line(&session.hover("PRC002")).contains("HTTP 500"));
    }
    let paused = session.hover("PRC002");
    assert!(unavailable_line(&paused).contains("paused after repeated failures; retrying in 30 s"), "{paused}");
    assert_eq!(model.requests(), 3, "no request while paused");
}
