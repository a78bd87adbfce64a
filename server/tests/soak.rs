//! A long editing session against the real `archlens lsp`: several documents open at once (an
//! OpenAPI YAML document with `$ref`s into a second file, an OpenAPI JSON document, the two
//! Rust files of a crate with a router, and an ADR), typed into at random positions with
//! random text (multi-byte included), saved, closed and reopened. At the end, once the server
//! is quiet, the diagnostics it last published for each file must be those a fresh server
//! publishes for the same texts: same codes, ranges and messages. The server's resident memory
//! is sampled along the way and must stay bounded.
//!
//! The edits come from a seeded generator: `ARCHLENS_SEED=<n>` replays a session. The short
//! session (500 edits) runs with the other tests; the long one is ignored by default:
//!
//! ```text
//! ARCHLENS_SOAK_EDITS=10000 cargo test --test soak -- --ignored --nocapture
//! ```

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};

/// How long one wait for the server may last: the machine may be busy.
const WAIT: Duration = Duration::from_secs(60);
/// How long the server must send nothing for the session to count as quiet.
const QUIET: Duration = Duration::from_secs(3);

#[test]
fn a_short_session_ends_with_what_a_fresh_server_publishes() {
    soak(500);
}

#[test]
#[ignore = "the long session takes minutes: ARCHLENS_SOAK_EDITS=10000 cargo test --test soak -- --ignored --nocapture"]
fn a_long_session_ends_with_what_a_fresh_server_publishes() {
    let edits = std::env::var("ARCHLENS_SOAK_EDITS").ok().and_then(|edits| edits.parse().ok()).unwrap_or(10_000);
    soak(edits);
}

// ---------------------------------------------------------------------------------------------
// The files.

const OPENAPI: &str = "openapi: 3.0.3
info:
  title: Orders
  version: '1.0.0'
  description: Orders of the shop — commandes, 注文 🦀.
servers:
  - url: https://api.example.com/v1
security:
  - bearerAuth: []
paths:
  /orders:
    get:
      operationId: listOrders
      summary: The orders.
      parameters:
        - $ref: 'schemas.yaml#/components/parameters/Limit'
      responses:
        '200':
          description: The orders.
          content:
            application/json:
              schema:
                type: array
                items: {$ref: 'schemas.yaml#/components/schemas/Order'}
        '500': {description: Unexpected error.}
    post:
      operationId: createOrder
      requestBody:
        content:
          application/json:
            schema: {$ref: 'schemas.yaml#/components/schemas/Order'}
      responses:
        '200': {description: Created.}
  /orders/{orderId}/:
    get:
      operationId: getOrder
      parameters:
        - {name: orderId, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: The order.
          content:
            application/json:
              schema: {$ref: 'schemas.yaml#/components/schemas/Order'}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
";

const SCHEMAS: &str = "components:
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}}
  schemas:
    Order:
      type: object
      description: Une commande, 注文.
      properties:
        id: {type: integer}
        email: {type: string}
        total: {type: number}
";

const EVENTS: &str = r#"{
  "openapi": "3.1.0",
  "info": {"title": "Events", "version": "1", "description": "Évènements 📦"},
  "paths": {
    "/getEvents": {
      "get": {
        "responses": {"200": {"description": "The events."}}
      }
    },
    "/events/{id}": {
      "delete": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"204": {"description": "Deleted."}}
      }
    }
  }
}
"#;

const CARGO: &str = "[package]\nname = \"orders\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";

const MAIN: &str = "mod handlers;

use axum::routing::{get, post};

fn app() -> axum::Router {
    let api = axum::Router::new()
        .route(\"/orders\", get(handlers::list_orders).post(handlers::create_order))
        .route(\"/refunds\", post(handlers::refund));
    axum::Router::new().nest(\"/v1\", api)
}

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind(\"0.0.0.0:8080\").await.unwrap();
    axum::serve(listener, app()).await.unwrap();
}
";

const HANDLERS: &str = "pub async fn list_orders() -> String {
    println!(\"listing — 注文\");
    let body = std::fs::read_to_string(\"orders.json\").unwrap();
    body
}

pub async fn create_order(body: String) -> String {
    let client = reqwest::Client::new();
    let _ = client.get(\"https://example.com\").send().await;
    body
}

pub async fn refund() -> &'static str {
    let (sender, _receiver) = tokio::sync::mpsc::unbounded_channel::<u8>();
    drop(sender);
    \"ok\"
}
";

const ADR: &str = "# 1. Keep orders in PostgreSQL

## Status
Accepted

## Context
Orders need transactions — données, 注文.

## Decision
PostgreSQL 16.
";

/// The files of the session: (path in the workspace, text, language).
const FILES: [(&str, &str, &str); 6] = [
    ("service/openapi.yaml", OPENAPI, "yaml"),
    ("service/schemas.yaml", SCHEMAS, "yaml"),
    ("service/events.json", EVENTS, "json"),
    ("service/src/main.rs", MAIN, "rust"),
    ("service/src/handlers.rs", HANDLERS, "rust"),
    ("docs/adr/0001-keep-orders-in-postgresql.md", ADR, "markdown"),
];

/// What is typed: text that rules read, punctuation that breaks and mends syntax, and
/// characters of two, three and four UTF-8 bytes (the last two UTF-16 units).
const SNIPPETS: &[&str] = &[
    "a",
    "e",
    "é",
    "日本",
    "🦀",
    "📦 ",
    " ",
    "  ",
    "\n",
    "\n  ",
    "\t",
    "-",
    ": ",
    "#",
    "'",
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    "/",
    "/users/",
    "{id}",
    "get",
    "description: ",
    "operationId: x\n",
    "$ref: 'schemas.yaml#/components/schemas/Order'\n",
    "'500': {description: Error.}\n",
    "println!(\"é\");\n",
    ".route(\"/healthz\", get(handlers::list_orders))",
    "unwrap()",
    "async ",
    "fn ",
    "## Consequences\nMore backups.\n",
];

// ---------------------------------------------------------------------------------------------
// The session.

/// A small, seeded generator (SplitMix64): the same seed gives the same session.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut mixed = self.0;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        mixed ^ (mixed >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// One file as the client holds it.
struct Document {
    uri: String,
    path: std::path::PathBuf,
    language: &'static str,
    original: &'static str,
    text: String,
    version: i64,
    /// Steps left before a closed document is opened again.
    closed_for: Option<usize>,
}

/// The LSP position (UTF-16 columns) of a byte offset.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    json!({ "line": before.matches('\n').count(), "character": before[line_start..].encode_utf16().count() })
}

/// A random character boundary of `text` after its first line, which is left alone so that
/// an OpenAPI document stays one (`openapi: 3.0.3`, `"openapi": "3.1.0"`).
fn boundary(random: &mut Random, text: &str) -> usize {
    let first_line_end = text.find('\n').map_or(text.len(), |at| at + 1);
    let rest = &text[first_line_end..];
    let index = random.below(rest.chars().count() + 1);
    first_line_end + rest.char_indices().nth(index).map_or(rest.len(), |(at, _)| at)
}

/// A random edit of `document` (an insertion, a deletion or a replacement), applied to the
/// client's text; returns the content change that says it.
fn random_change(random: &mut Random, document: &mut Document) -> Value {
    let text = &document.text;
    let start = boundary(random, text);
    let end = match random.below(3) {
        // An insertion.
        0 => start,
        // A deletion or a replacement of up to 12 characters, across lines too.
        _ => text[start..].char_indices().nth(random.below(12) + 1).map_or(text.len(), |(at, _)| start + at),
    };
    let inserted = if start < end && random.chance(2) {
        String::new()
    } else {
        (0..random.below(3) + 1).map(|_| SNIPPETS[random.below(SNIPPETS.len())]).collect()
    };
    let change = json!({ "range": { "start": position(text, start), "end": position(text, end) }, "text": inserted });
    document.text.replace_range(start..end, &inserted);
    change
}

/// Every diagnostic of a publish without its `data` (the version it was computed for), in a
/// stable order.
fn comparable(params: &Value) -> Vec<Value> {
    let mut diagnostics: Vec<Value> = diagnostics_of(params)
        .iter()
        .map(|diagnostic| {
            let mut diagnostic = diagnostic.clone();
            diagnostic.as_object_mut().map(|fields| fields.remove("data"));
            diagnostic
        })
        .collect();
    diagnostics.sort_by_key(Value::to_string);
    diagnostics
}

/// Reads everything the server sent so far, keeping the latest publish of each file.
fn take_publishes(server: &mut Client, latest: &mut HashMap<String, Value>) {
    server.collect_for(Duration::from_millis(1));
    for message in server.queue.drain(..) {
        if message["method"] == PUBLISH {
            let uri = message["params"]["uri"].as_str().unwrap_or_default().to_owned();
            latest.insert(uri, message["params"].clone());
        }
    }
}

/// Waits for the publish of `uri` at `version`, keeping every publish on the way.
fn wait_for_version(server: &mut Client, latest: &mut HashMap<String, Value>, uri: &str, version: i64) {
    take_publishes(server, latest);
    if latest.get(uri).is_some_and(|params| params["version"] == version) {
        return;
    }
    let deadline = Instant::now() + WAIT;
    loop {
        match server.receive(deadline) {
            Received::Message(message) if message["method"] == PUBLISH => {
                let params = message["params"].clone();
                let done = params["uri"] == uri && params["version"] == version;
                latest.insert(params["uri"].as_str().unwrap_or_default().to_owned(), params);
                if done {
                    return;
                }
            }
            Received::Message(_) => {}
            Received::Timeout => panic!("no publish of {uri} at version {version} within {WAIT:?}{}", server.stderr_tail()),
            Received::Closed => panic!("the server closed its output{}", server.stderr_tail()),
        }
    }
}

/// Waits until the server has sent nothing for [`QUIET`], keeping every publish.
fn wait_until_quiet(server: &mut Client, latest: &mut HashMap<String, Value>) {
    let deadline = Instant::now() + WAIT;
    loop {
        match server.receive(Instant::now() + QUIET) {
            Received::Message(message) => {
                if message["method"] == PUBLISH {
                    latest.insert(message["params"]["uri"].as_str().unwrap_or_default().to_owned(), message["params"].clone());
                }
            }
            Received::Timeout => return,
            Received::Closed => panic!("the server closed its output{}", server.stderr_tail()),
        }
        assert!(Instant::now() < deadline, "the server did not go quiet within {WAIT:?}");
    }
}

fn open(server: &mut Client, document: &Document, version: i64) {
    let opened = json!({ "uri": document.uri, "languageId": document.language, "version": version, "text": document.text });
    server.notify("textDocument/didOpen", json!({ "textDocument": opened }));
}

fn utf16_client() -> Value {
    json!({ "general": { "positionEncodings": ["utf-16"] } })
}

/// How many threads the server runs.
fn threads(server: &Client) -> Option<u64> {
    status_kib(server.child.id(), "Threads")
}

fn mebibytes(kib: Option<u64>) -> String {
    kib.map_or_else(|| "?".to_owned(), |kib| format!("{:.1}", kib as f64 / 1024.0))
}

// The curve of resident memory is the point of the long run: it is printed.
#[allow(clippy::print_stdout)]
fn soak(edits: usize) {
    let seed = std::env::var("ARCHLENS_SEED").ok().and_then(|seed| seed.parse().ok()).unwrap_or(20_261_127_u64);
    println!("soak: {edits} edits, ARCHLENS_SEED={seed}");
    let mut random = Random(seed);
    let workspace = Workspace::new();
    workspace.write("service/Cargo.toml", CARGO);
    let mut documents: Vec<Document> = FILES
        .iter()
        .map(|(relative, text, language)| Document {
            uri: workspace.write(relative, text),
            path: workspace.root.join(relative),
            language,
            original: text,
            text: (*text).to_owned(),
            version: 1,
            closed_for: None,
        })
        .collect();

    let started = Instant::now();
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    let mut latest = HashMap::new();
    for document in &documents {
        open(&mut server, document, document.version);
    }
    for document in &documents {
        wait_for_version(&mut server, &mut latest, &document.uri, 1);
    }

    let sample_every = (edits / 20).max(1);
    let warm_up = (edits / 10).max(1);
    let checkpoint_every = (edits / 10).max(250);
    let mut curve = vec![(0, started.elapsed(), server.resident_kib(), threads(&server))];
    let mut warm_resident = None;
    let mut checkpoints = 0;
    let mut edit = 0;
    while edit < edits {
        // Documents closed a while ago come back with the text the client holds.
        for document in &mut documents {
            match document.closed_for {
                Some(0) => {
                    document.closed_for = None;
                    document.version += 1;
                    open(&mut server, document, document.version);
                }
                Some(left) => document.closed_for = Some(left - 1),
                None => {}
            }
        }
        let index = random.below(documents.len());
        let document = &mut documents[index];
        if document.closed_for.is_some() {
            continue;
        }
        match random.below(100) {
            // Save: the disk gets the text.
            0..=2 => {
                std::fs::write(&document.path, &document.text).expect("save the file");
                server.notify("textDocument/didSave", json!({ "textDocument": { "uri": document.uri } }));
            }
            // Close, to open again a few steps later.
            3 => {
                server.notify("textDocument/didClose", json!({ "textDocument": { "uri": document.uri } }));
                document.closed_for = Some(random.below(20));
            }
            // Back to the original text, so that a document is not only ever broken.
            4..=7 => {
                document.text = document.original.to_owned();
                document.version += 1;
                server.change(&document.uri, document.version, vec![json!({ "text": document.text })]);
                edit += 1;
            }
            // One to three edits in one notification.
            _ => {
                let changes = (0..random.below(3) + 1).map(|_| random_change(&mut random, document)).collect();
                document.version += 1;
                server.change(&document.uri, document.version, changes);
                edit += 1;
                // Now and then, wait for the check of what was just typed, as a typist who
                // pauses does; otherwise the next edit cancels it.
                if random.chance(8) {
                    let (uri, version) = (document.uri.clone(), document.version);
                    wait_for_version(&mut server, &mut latest, &uri, version);
                }
            }
        }
        // Read what came meanwhile now and then, so that it does not pile up in the client.
        if edit % 20 == 0 {
            take_publishes(&mut server, &mut latest);
        }
        assert!(server.is_running(), "the server died after {edit} edits{}", server.stderr_tail());
        if edit == warm_up && warm_resident.is_none() {
            warm_resident = server.resident_kib();
        }
        if edit % checkpoint_every == 0 && checkpoints < edit / checkpoint_every {
            checkpoints += 1;
            let differences = checkpoint(&mut server, &mut latest, &mut documents, &workspace);
            assert!(
                differences.is_empty(),
                "ARCHLENS_SEED={seed}, after {edit} edits: the session published other diagnostics than a fresh server:\n{}",
                differences.join("\n\n")
            );
        }
        if edit % sample_every == 0 && curve.last().is_none_or(|(at, ..)| *at != edit) {
            curve.push((edit, started.elapsed(), server.resident_kib(), threads(&server)));
        }
    }
    let elapsed = started.elapsed();
    let final_resident = server.resident_kib();

    println!("soak: {edits} edits and {checkpoints} comparisons with a fresh server in {:.1} s; resident memory:", elapsed.as_secs_f64());
    println!("| edits | elapsed s | RSS MiB | threads |\n|---|---|---|---|");
    for (at, when, resident, threads) in &curve {
        println!(
            "| {at} | {:.1} | {} | {} |",
            when.as_secs_f64(),
            mebibytes(*resident),
            threads.map_or_else(|| "?".to_owned(), |n| n.to_string())
        );
    }
    println!("peak (VmHWM): {} MiB", mebibytes(status_kib(server.child.id(), "VmHWM")));
    assert!(checkpoints >= 1, "no comparison was made");
    if let (Some(warm), Some(last)) = (warm_resident, final_resident) {
        assert!(last < 3 * warm, "resident memory grew from {warm} KiB after warm-up to {last} KiB");
    }
}

/// Opens every closed document again, saves them all, waits until the server is quiet, and
/// compares what it last published for each file with what a fresh server publishes for the
/// same files. Returns the differences.
#[allow(clippy::print_stdout)]
fn checkpoint(server: &mut Client, latest: &mut HashMap<String, Value>, documents: &mut [Document], workspace: &Workspace) -> Vec<String> {
    for document in documents.iter_mut() {
        if document.closed_for.take().is_some() {
            document.version += 1;
            open(server, document, document.version);
        }
        std::fs::write(&document.path, &document.text).expect("save the file");
        server.notify("textDocument/didSave", json!({ "textDocument": { "uri": document.uri } }));
    }
    for document in documents.iter() {
        wait_for_version(server, latest, &document.uri, document.version);
    }
    wait_until_quiet(server, latest);

    let mut fresh = Client::start();
    fresh.initialize(&workspace.root, utf16_client());
    let mut fresh_latest = HashMap::new();
    for document in documents.iter() {
        open(&mut fresh, document, 1);
    }
    for document in documents.iter() {
        wait_for_version(&mut fresh, &mut fresh_latest, &document.uri, 1);
    }
    wait_until_quiet(&mut fresh, &mut fresh_latest);

    let mut differences = Vec::new();
    let mut summary = Vec::new();
    for document in documents.iter() {
        let ours = latest.get(&document.uri).map(comparable).unwrap_or_default();
        let theirs = fresh_latest.get(&document.uri).map(comparable).unwrap_or_default();
        let relative = document.path.strip_prefix(&workspace.root).unwrap_or(&document.path).display().to_string();
        summary.push(format!("{relative} {}", ours.len()));
        if ours != theirs {
            differences.push(format!(
                "{relative} (version {}):\n--- in the session\n{ours:#?}\n--- fresh\n{theirs:#?}\n--- text\n{}",
                document.version, document.text
            ));
        }
    }
    println!("checkpoint: diagnostics per file: {}", summary.join(", "));
    differences
}
