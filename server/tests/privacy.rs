//! What the server keeps to itself. With LLM explanations off it opens no socket at all, not
//! even for a remote `$ref`; and its log at the default level never holds the text of a file
//! it was given, nor an API key, whether LLM explanations are off, or on and failing.
//!
//! Sockets are read from `/proc/<pid>/fd` (a socket is a `socket:[inode]` link; stdio are
//! pipes) by a thread that looks every few milliseconds for the whole session, and the inodes
//! it finds are looked up in `/proc/<pid>/net/{tcp,tcp6,udp,udp6,raw,raw6,unix}` to say what
//! they are. The tests need Linux's `/proc`; elsewhere they check only the logs.

mod common;

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};
use tempfile::TempDir;

/// Planted in every file the server is given; no log line may hold it.
const TEXT_MARKER: &str = "zq-private-text-7f3a9c";
/// The API key, in the variable `api-key-env` names and in `OPENAI_API_KEY`.
const KEY_MARKER: &str = "sk-privacy-key-5d2e8b41";
const KEY_VARIABLE: &str = "ARCHLENS_PRIVACY_KEY";

/// A workspace of every kind of file the server reads, each holding [`TEXT_MARKER`]: an
/// OpenAPI document with a `$ref` to a JSON schema file and a remote one, a YAML document
/// with a syntax error, a crate with a router and a print in a handler, an ADR, and an
/// `archlens.toml` with a mistake.
struct Files {
    workspace: Workspace,
    documents: Vec<(String, String, &'static str)>,
}

fn files() -> Files {
    let workspace = Workspace::new();
    let marker = TEXT_MARKER;
    let openapi = format!(
        "openapi: 3.0.3
# {marker}
info:
  title: Orders
  version: '1.0.0'
  description: {marker}
paths:
  /{marker}/:
    get:
      parameters:
        - name: email
          in: query
          schema: {{type: string}}
      responses:
        '200':
          description: {marker}
          content:
            application/json:
              schema:
                $ref: 'schemas.json#/Order'
        '404':
          description: Not found.
          content:
            application/json:
              schema:
                $ref: 'https://example.com/{marker}/errors.yaml'
"
    );
    let schemas = format!("{{\n  \"Order\": {{\n    \"type\": \"object\",\n    \"description\": \"{marker}\"\n  }}\n}}\n");
    let broken = format!("openapi: 3.0.3\ninfo: {{title: '{marker}\npaths:\n  /a: [\n");
    let cargo = "[package]\nname = \"orders\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";
    let main = format!(
        "fn app() -> axum::Router {{
    axum::Router::new().route(\"/{marker}\", axum::routing::get(status))
}}

pub async fn status() -> &'static str {{
    println!(\"{marker}\");
    let token = \"{marker}-token\";
    \"ok\"
}}
"
    );
    let adr = format!("# 1. Use PostgreSQL\n\nWe use PostgreSQL, {marker}.\n");
    // A mistake on the line that holds the marker.
    let config = format!("[rules]\nignore = [\"{marker}\" \"API001\"]\n");
    let mut documents = Vec::new();
    for (relative, text, language) in [
        ("openapi.yaml", openapi, "yaml"),
        ("schemas.json", schemas, "json"),
        ("broken.yaml", broken, "yaml"),
        ("src/main.rs", main, "rust"),
        ("docs/adr/0001-use-postgresql.md", adr, "markdown"),
        ("archlens.toml", config, "toml"),
    ] {
        let uri = workspace.write(relative, &text);
        documents.push((uri, text, language));
    }
    workspace.write("Cargo.toml", cargo);
    Files { workspace, documents }
}

fn utf16_client() -> Value {
    json!({ "general": { "positionEncodings": ["utf-16"] }, "window": { "showDocument": { "support": false } } })
}

/// A server with the key in its environment and a cache folder of its own.
fn start(cache: &TempDir) -> Client {
    let cache = cache.path().to_str().expect("a UTF-8 cache path");
    Client::start_with_env(&[("ARCHLENS_CACHE_DIR", cache), (KEY_VARIABLE, KEY_MARKER), ("OPENAI_API_KEY", KEY_MARKER)])
}

/// Opens every file, and for each of its findings asks for the hover, the code actions and
/// "Explain with AI"; follows the `$ref`s; edits, saves and closes. Returns the responses.
fn run_session(server: &mut Client, files: &Files) -> Vec<Value> {
    let mut responses = Vec::new();
    for (uri, text, language) in &files.documents {
        server
            .notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }));
    }
    for (uri, _, _) in &files.documents {
        let published = server.wait_for_publish(uri, 1);
        for diagnostic in diagnostics_of(&published) {
            let start = &diagnostic["range"]["start"];
            responses.push(server.request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": start })));
            responses.extend(server.code_actions(uri, diagnostic));
            let arguments = json!([uri, start["line"], start["character"], diagnostic["code"]]);
            responses
                .push(server.request("workspace/executeCommand", json!({ "command": "archlens.explainWithAi", "arguments": arguments })));
        }
    }
    let (openapi_uri, openapi, _) = &files.documents[0];
    for (line, text) in openapi.lines().enumerate() {
        if let Some(column) = text.find("$ref") {
            let position = json!({ "textDocument": { "uri": openapi_uri }, "position": { "line": line, "character": column + 8 } });
            responses.push(server.request("textDocument/definition", position.clone()));
            responses.push(server.request("textDocument/hover", position));
        }
    }
    // Edits that carry the marker, a stale one, one to a document that is not open, and a
    // frame whose length is wrong in the middle of a document's text.
    let start = json!({ "line": 1, "character": 0 });
    let insertion = json!({ "range": { "start": start, "end": start }, "text": format!("# {TEXT_MARKER} again\n") });
    server.change(openapi_uri, 2, vec![insertion.clone()]);
    server.change(openapi_uri, 1, vec![insertion.clone()]);
    server.change(&files.workspace.uri("not-open.yaml"), 2, vec![insertion]);
    let text = format!("{TEXT_MARKER}\n{TEXT_MARKER}");
    let document = json!({ "uri": files.workspace.uri("x.yaml"), "languageId": "yaml", "version": 1, "text": text });
    let body = json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": document } }).to_string();
    server.send_raw(format!("Content-Length: {}\r\n\r\n{body}\r\n", body.len() / 2).as_bytes());
    server.send_raw(format!("Content-Length: 9\r\n\r\n{{{TEXT_MARKER}").as_bytes());
    server.wait_for_publish(openapi_uri, 2);
    for (uri, _, _) in &files.documents {
        server.notify("textDocument/didSave", json!({ "textDocument": { "uri": uri } }));
        server.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    }
    // A round trip, so that the closes have been handled.
    server.call("textDocument/hover", json!({ "textDocument": { "uri": openapi_uri }, "position": { "line": 0, "character": 0 } }));
    responses
}

fn shut_down(server: &mut Client) {
    server.call("shutdown", Value::Null);
    server.notify("exit", Value::Null);
    let status = server.wait_exit(TIMEOUT).unwrap_or_else(|| panic!("no exit within {TIMEOUT:?}"));
    assert_eq!(status.code(), Some(0), "{status}{}", server.stderr_tail());
}

/// Every socket a process has held while it was watched: a thread reads its descriptors
/// until it is stopped.
struct SocketWatch {
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<BTreeSet<String>>>,
    thread: Option<JoinHandle<usize>>,
    pid: u32,
}

impl SocketWatch {
    fn start(pid: u32) -> SocketWatch {
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(BTreeSet::new()));
        let (stopped, found) = (stop.clone(), seen.clone());
        let thread = thread::spawn(move || {
            let mut looks = 0;
            while !stopped.load(Ordering::SeqCst) {
                let sockets = sockets_of(pid);
                found.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).extend(sockets);
                looks += 1;
                thread::sleep(Duration::from_millis(2));
            }
            looks
        });
        SocketWatch { stop, seen, thread: Some(thread), pid }
    }

    /// Stops watching; returns the sockets seen, each described from the network tables.
    fn finish(mut self) -> Vec<String> {
        // A last look, with the tables, while the process is surely alive.
        let last = sockets_of(self.pid);
        let tables = network_tables(self.pid);
        self.stop.store(true, Ordering::SeqCst);
        let looks = self.thread.take().map(|thread| thread.join().expect("the watch thread")).unwrap_or(0);
        assert!(looks > 0, "the descriptors were never looked at while the session ran");
        let mut seen = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        seen.extend(last);
        seen.into_iter()
            .map(|link| {
                let inode = link.trim_start_matches("socket:[").trim_end_matches(']');
                let rows: Vec<&String> = tables.iter().filter(|row| row.split_whitespace().any(|field| field == inode)).collect();
                format!("{link} {rows:?}")
            })
            .collect()
    }
}

/// The `socket:[inode]` links among the process's descriptors.
fn sockets_of(pid: u32) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(format!("/proc/{pid}/fd")) else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|entry| std::fs::read_link(entry.path()).ok())
        .map(|target| target.to_string_lossy().into_owned())
        .filter(|target| target.starts_with("socket:"))
        .collect()
}

/// The rows of the process's network tables, each prefixed with its table's name.
fn network_tables(pid: u32) -> Vec<String> {
    let mut rows = Vec::new();
    for table in ["tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix"] {
        if let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/net/{table}")) {
            rows.extend(text.lines().skip(1).map(|row| format!("{table}: {}", row.trim())));
        }
    }
    rows
}

fn has_proc() -> bool {
    std::path::Path::new("/proc/self/fd").is_dir()
}

/// The log lines that hold `secret`.
fn lines_with<'a>(stderr: &'a str, secret: &str) -> Vec<&'a str> {
    stderr.lines().filter(|line| line.contains(secret)).collect()
}

#[test]
fn with_llm_off_no_socket_is_opened_and_the_log_holds_no_text_and_no_key() {
    let files = files();
    let cache = TempDir::new().expect("a cache folder");
    let mut server = start(&cache);
    let watch = SocketWatch::start(server.child.id());
    server.initialize(&files.workspace.root, utf16_client());
    run_session(&mut server, &files);
    if has_proc() {
        let sockets = watch.finish();
        assert!(sockets.is_empty(), "with LLM explanations off the server opened sockets: {sockets:#?}");
    }
    shut_down(&mut server);

    let stderr = server.stderr();
    assert!(!stderr.is_empty(), "the server logged nothing at all; the test would prove nothing");
    let leaked = lines_with(&stderr, TEXT_MARKER);
    assert!(leaked.is_empty(), "file contents in the log:\n{}", leaked.join("\n"));
    let leaked = lines_with(&stderr, KEY_MARKER);
    assert!(leaked.is_empty(), "the API key in the log:\n{}", leaked.join("\n"));
}

#[test]
fn with_llm_on_and_failing_the_log_and_the_messages_hold_no_key_and_no_text() {
    let files = files();
    let cache = TempDir::new().expect("a cache folder");
    // A port on this machine where nothing listens: every request is refused.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port");
        listener.local_addr().expect("an address").port()
    };
    let endpoint = format!("http://127.0.0.1:{port}/v1");
    let llm = json!({ "enabled": true, "endpoint": endpoint, "model": "m", "apiKeyEnv": KEY_VARIABLE, "hoverBudgetMs": 3000 });
    let mut server = start(&cache);
    server.initialize_with(&files.workspace.root, utf16_client(), json!({ "llm": llm }));
    let mut shown = run_session(&mut server, &files);

    // The requests were made and failed, and the failures were logged.
    let deadline = Instant::now() + TIMEOUT;
    while !server.stderr().contains("LLM explanation failed") && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
    assert!(server.stderr().contains("LLM explanation failed"), "no request failed{}", server.stderr_tail());
    shut_down(&mut server);

    let stderr = server.stderr();
    let leaked = lines_with(&stderr, KEY_MARKER);
    assert!(leaked.is_empty(), "the API key in the log:\n{}", leaked.join("\n"));
    let leaked = lines_with(&stderr, TEXT_MARKER);
    assert!(leaked.is_empty(), "file contents in the log:\n{}", leaked.join("\n"));
    // What the editor was shown (hovers, messages) names no key either.
    shown.extend(drain_messages(&mut server));
    assert!(shown.iter().any(|message| message.to_string().contains("AI explanation")), "no explanation was asked for: {shown:#?}");
    let leaked: Vec<String> = shown.iter().map(Value::to_string).filter(|message| message.contains(KEY_MARKER)).collect();
    assert!(leaked.is_empty(), "the API key was sent to the editor: {leaked:#?}");
}

/// Every message received and not consumed yet, to the end of the server's output.
fn drain_messages(server: &mut Client) -> Vec<Value> {
    let deadline = Instant::now() + TIMEOUT;
    while let Received::Message(message) = server.receive(deadline) {
        server.queue.push_back(message);
    }
    server.queue.drain(..).collect()
}
