//! Protocol abuse against the real `archlens lsp` over stdio: messages before `initialize` and
//! after `shutdown`, methods nobody knows, bodies that are not JSON-RPC requests, wrong
//! `Content-Length` headers, positions and edits outside the document, storms of
//! `$/cancelRequest`, and the end of the session.
//!
//! Each case checks the answer the LSP and JSON-RPC specifications ask for (or that nothing is
//! answered), and that the server keeps serving: a later request is still answered. Most
//! sessions end with `shutdown` and `exit`, after which everything the server wrote is read to
//! the end, so a case can also check what was never answered.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};

/// How long the server may take to exit after `exit` or the end of its input.
const EXIT_TIMEOUT: Duration = Duration::from_secs(10);

// JSON-RPC 2.0 and LSP error codes.
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const SERVER_NOT_INITIALIZED: i64 = -32002;
const REQUEST_CANCELLED: i64 = -32800;

/// A document whose one finding is API004 on the `/users/` key: line 9, columns 2 to 9.
const DOCUMENT: &str = "openapi: 3.0.3
info:
  title: Users API
  version: '1.0.0'
servers:
  - url: https://api.example.com/v1
security:
  - bearerAuth: []
paths:
  /users/:
    get:
      operationId: listUsers
      summary: A collection.
      responses:
        '200': {description: The items., headers: {RateLimit: {schema: {type: string}}, ETag: {schema: {type: string}}}}
        '400': {description: The request is malformed.}
        '429':
          description: Too many requests.
          headers:
            Retry-After: {schema: {type: integer}}
        '500': {description: Unexpected server error.}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
";

/// Where API004 of [`DOCUMENT`] is.
const FINDING_LINE: u64 = 9;
const FINDING_CHARACTER: u64 = 4;

fn utf16_client() -> Value {
    json!({ "general": { "positionEncodings": ["utf-16"] } })
}

/// A workspace holding [`DOCUMENT`], a server initialized on it, and the document opened as
/// version 1 with its first publish received.
struct Session {
    workspace: Workspace,
    server: Client,
    uri: String,
}

fn session() -> Session {
    let workspace = Workspace::new();
    let uri = workspace.write("openapi.yaml", DOCUMENT);
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    server.open(&uri, 1, DOCUMENT);
    let published = server.wait_for_publish(&uri, 1);
    assert_eq!(codes(&published), ["API004"], "{published:#}");
    Session { workspace, server, uri }
}

/// A line and a UTF-16 column.
type Point = (u64, u64);

fn position(line: u64, character: u64) -> Value {
    json!({ "line": line, "character": character })
}

fn range(start: Point, end: Point) -> Value {
    json!({ "start": position(start.0, start.1), "end": position(end.0, end.1) })
}

fn at(uri: &str, line: u64, character: u64) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": position(line, character) })
}

fn code_action_params(uri: &str, range: Value) -> Value {
    json!({ "textDocument": { "uri": uri }, "range": range, "context": { "diagnostics": [] } })
}

fn error_code(response: &Value) -> i64 {
    response["error"]["code"].as_i64().unwrap_or_else(|| panic!("not an error response: {response:#}"))
}

/// Checks that the server still answers: the hover over API004 names the rule.
fn assert_serving(server: &mut Client, uri: &str, after: &str) {
    let hover = server.request("textDocument/hover", at(uri, FINDING_LINE, FINDING_CHARACTER));
    let value = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("API004"), "the hover after {after} is not the one of API004: {hover:#}{}", server.stderr_tail());
}

/// Sends `body` in a well-formed frame.
fn send_body(server: &mut Client, body: &[u8]) {
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    server.send_raw(&frame);
}

/// The next response with a null id: the answer to a message whose id could not be read.
fn null_id_error(server: &mut Client, what: &str) -> Value {
    server.wait_for(&format!("the error response to {what}"), TIMEOUT, |message| {
        message.get("method").is_none() && message.get("id").is_some_and(Value::is_null)
    })
}

/// Everything the server writes until it closes its output.
fn drain(server: &mut Client) -> Vec<Value> {
    let deadline = Instant::now() + EXIT_TIMEOUT;
    loop {
        match server.receive(deadline) {
            Received::Message(message) => server.queue.push_back(message),
            Received::Closed => return server.queue.drain(..).collect(),
            Received::Timeout => panic!("the server did not close its output{}", server.stderr_tail()),
        }
    }
}

/// Ends the session the way the specification asks (`shutdown`, then `exit`), checks the exit
/// code 0, and returns every message not consumed yet, to the end of the server's output.
fn finish(server: &mut Client) -> Vec<Value> {
    let shutdown = server.request("shutdown", Value::Null);
    assert!(shutdown.get("error").is_none() && shutdown["result"].is_null(), "{shutdown:#}");
    server.notify("exit", Value::Null);
    let status = server.wait_exit(EXIT_TIMEOUT).unwrap_or_else(|| panic!("no exit within {EXIT_TIMEOUT:?} of `exit`"));
    assert_eq!(status.code(), Some(0), "exit after shutdown: {status}{}", server.stderr_tail());
    drain(server)
}

/// The responses among `messages` to the request `id`.
fn responses_to(messages: &[Value], id: &Value) -> usize {
    messages.iter().filter(|message| message.get("method").is_none() && &message["id"] == id).count()
}

fn assert_no_panic(server: &Client) {
    let stderr = server.stderr();
    assert!(!stderr.contains("panicked"), "the server panicked:\n{stderr}");
}

// ---------------------------------------------------------------------------------------------
// Before `initialize`.

#[test]
fn requests_before_initialize_are_refused_and_notifications_dropped() {
    let workspace = Workspace::new();
    let uri = workspace.write("openapi.yaml", DOCUMENT);
    // A buffer that exists only in the editor: had its early `didOpen` been taken, a hover
    // would find its finding.
    let early_uri = workspace.uri("only-in-the-editor.yaml");
    let mut server = Client::start();

    // "Notifications should be dropped, except for the exit notification."
    server.open(&early_uri, 1, DOCUMENT);
    server.notify("initialized", json!({}));
    server.notify("workspace/didChangeConfiguration", json!({ "settings": { "archlens": { "rules": { "ignore": ["API004"] } } } }));
    server.notify("archlens/noSuchNotification", json!({}));
    server.notify("$/cancelRequest", json!({ "id": 1 }));

    // "For a request the response should be an error with code: -32002."
    for (method, params) in [
        ("textDocument/hover", at(&uri, FINDING_LINE, FINDING_CHARACTER)),
        ("textDocument/definition", at(&uri, 0, 0)),
        ("textDocument/codeAction", code_action_params(&uri, range((0, 0), (0, 0)))),
        ("workspace/executeCommand", json!({ "command": "archlens.explainWithAi", "arguments": [] })),
        ("shutdown", Value::Null),
        ("archlens/noSuchMethod", json!({})),
    ] {
        let response = server.request(method, params);
        assert_eq!(error_code(&response), SERVER_NOT_INITIALIZED, "{method} before initialize: {response:#}");
    }
    assert!(server.is_running(), "the server died before initialize{}", server.stderr_tail());

    server.initialize(&workspace.root, utf16_client());
    server.open(&uri, 1, DOCUMENT);
    // The settings sent before initialize were dropped: API004 is still enabled.
    assert_eq!(codes(&server.wait_for_publish(&uri, 1)), ["API004"]);
    assert_serving(&mut server, &uri, "requests before initialize");
    let early = server.call("textDocument/hover", at(&early_uri, FINDING_LINE, FINDING_CHARACTER));
    assert!(early.is_null(), "the didOpen sent before initialize was taken: {early:#}");
    let rest = finish(&mut server);
    assert!(
        !rest.iter().any(|message| message["method"] == PUBLISH && message["params"]["uri"] == early_uri.as_str()),
        "a buffer opened before initialize was checked"
    );
    assert_no_panic(&server);
}

#[test]
fn exit_before_initialize_ends_the_server_with_1() {
    let mut server = Client::start();
    server.notify("exit", Value::Null);
    let status = server.wait_exit(EXIT_TIMEOUT).unwrap_or_else(|| panic!("no exit within {EXIT_TIMEOUT:?} of `exit`"));
    assert_eq!(status.code(), Some(1), "exit without shutdown: {status}");
}

#[test]
fn a_second_initialize_is_an_invalid_request() {
    let Session { workspace, mut server, uri } = session();
    let root = file_uri(&workspace.root);
    // It would switch positions to UTF-8 if it were taken.
    let again = server.request(
        "initialize",
        json!({ "processId": null, "rootUri": root, "capabilities": { "general": { "positionEncodings": ["utf-8"] } } }),
    );
    assert_eq!(error_code(&again), INVALID_REQUEST, "{again:#}");
    assert_serving(&mut server, &uri, "a second initialize");
    finish(&mut server);
}

// ---------------------------------------------------------------------------------------------
// Methods.

#[test]
fn unknown_methods_and_bad_params() {
    let Session { mut server, uri, .. } = session();

    let unknown = server.request("archlens/noSuchMethod", json!({ "anything": [1, 2, 3] }));
    assert_eq!(error_code(&unknown), METHOD_NOT_FOUND, "{unknown:#}");
    // "If a server or client receives a request starting with '$/' it must error the request
    // with error code MethodNotFound."
    let dollar = server.request("$/noSuchRequest", json!({}));
    assert_eq!(error_code(&dollar), METHOD_NOT_FOUND, "{dollar:#}");
    // Notifications nobody knows, `$/` or not, are ignored.
    server.notify("archlens/noSuchNotification", json!({ "anything": [1, 2, 3] }));
    server.notify("$/noSuchNotification", Value::Null);
    server.notify("$/setTrace", json!({ "value": "verbose" }));
    server.notify("$/logTrace", json!({ "message": "hello" }));

    // Params of the wrong shape.
    for params in [json!({}), json!([1, 2]), json!({ "textDocument": 5, "position": "here" }), Value::Null] {
        let response = server.request("textDocument/hover", params.clone());
        assert_eq!(error_code(&response), INVALID_PARAMS, "hover with {params}: {response:#}");
    }
    // A notification with params of the wrong shape is dropped.
    server.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri } }));
    server.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": "two" }, "contentChanges": 7 }));
    server.notify("textDocument/didClose", json!([]));
    // A notification sent as a request, and a request sent as a notification.
    let as_request = server.request("textDocument/didSave", json!({ "textDocument": { "uri": uri } }));
    assert!(as_request.get("error").is_some(), "a notification method sent with an id: {as_request:#}");
    server.notify("textDocument/hover", at(&uri, FINDING_LINE, FINDING_CHARACTER));
    // A response to a request the server never sent.
    server.send(&json!({ "jsonrpc": "2.0", "id": 424_242, "result": { "unexpected": true } }));
    server.send(&json!({ "jsonrpc": "2.0", "id": "nobody-asked", "error": { "code": -32000, "message": "no" } }));

    // The bad didOpen and didChange did not touch the document: its finding is still there.
    assert_serving(&mut server, &uri, "unknown methods and bad params");
    let rest = finish(&mut server);
    let requests_answered = rest.iter().filter(|message| message.get("method").is_none()).count();
    assert_eq!(requests_answered, 0, "answers to notifications: {rest:#?}");
    assert_no_panic(&server);
}

// ---------------------------------------------------------------------------------------------
// Bodies.

#[test]
fn bodies_that_are_not_json_rpc_messages_get_an_error_and_the_session_goes_on() {
    let Session { mut server, uri, .. } = session();

    // Not JSON: "Invalid JSON was received by the server" is a parse error.
    for body in
        [&b"{not json"[..], b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ", b"", b"{\"jsonrpc\": \"2.0\", \"method\": \"x\xff\"}"]
    {
        send_body(&mut server, body);
        let error = null_id_error(&mut server, &String::from_utf8_lossy(body));
        assert_eq!(error_code(&error), PARSE_ERROR, "{}: {error:#}", String::from_utf8_lossy(body));
        assert_serving(&mut server, &uri, &format!("the body {:?}", String::from_utf8_lossy(body)));
    }

    // Nesting deeper than any parser recursion: refused, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    send_body(&mut server, deep.as_bytes());
    let error = null_id_error(&mut server, "100,000 nested arrays");
    assert!(matches!(error_code(&error), PARSE_ERROR | INVALID_REQUEST), "{error:#}");
    assert_serving(&mut server, &uri, "deeply nested arrays");

    // JSON that is not a request object: "The JSON sent is not a valid Request object" is an
    // invalid request, answered with a null id when the id cannot be read.
    let shutdown = json!({ "jsonrpc": "2.0", "id": 77, "method": "shutdown" });
    for body in [
        json!(42),
        json!("shutdown"),
        json!(null),
        json!(true),
        json!([]),
        json!([1, 2, 3]),
        // A batch: LSP has none, so the request inside is not run.
        json!([shutdown]),
        json!({}),
        json!({ "jsonrpc": "1.0", "id": 78, "method": "shutdown" }),
        json!({ "id": 79, "method": "shutdown" }),
        json!({ "jsonrpc": "2.0", "id": 1.5, "method": "shutdown" }),
        json!({ "jsonrpc": "2.0", "id": { "nested": 1 }, "method": "shutdown" }),
        json!({ "jsonrpc": "2.0", "id": [80], "method": "shutdown" }),
        json!({ "jsonrpc": "2.0", "id": 81, "method": 42 }),
        json!({ "jsonrpc": "2.0", "id": 1e300, "method": "shutdown" }),
        json!({ "jsonrpc": 2, "method": "initialized" }),
        json!({ "jsonrpc": "2.0", "id": 82, "error": "not an error object" }),
    ] {
        send_body(&mut server, body.to_string().as_bytes());
        let error = null_id_error(&mut server, &body.to_string());
        assert_eq!(error_code(&error), INVALID_REQUEST, "{body}: {error:#}");
        assert_serving(&mut server, &uri, &format!("the body {body}"));
    }
    // An id too large for the server's integers.
    send_body(&mut server, br#"{"jsonrpc": "2.0", "id": 123456789012345678901234567890, "method": "shutdown"}"#);
    let error = null_id_error(&mut server, "an id of 30 digits");
    assert_eq!(error_code(&error), INVALID_REQUEST, "{error:#}");
    assert_serving(&mut server, &uri, "an id of 30 digits");

    // None of the shutdowns above was run: `finish` can shut down, and exits with 0.
    let rest = finish(&mut server);
    for id in [77, 78, 79, 80, 81, 82] {
        assert_eq!(responses_to(&rest, &json!(id)), 0, "request {id} of an invalid body was answered: {rest:#?}");
    }
    assert_no_panic(&server);
}

// ---------------------------------------------------------------------------------------------
// Framing.

fn request_body(id: i64, method: &str) -> String {
    json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": {} }).to_string()
}

fn hover_body(id: i64, uri: &str) -> String {
    json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": at(uri, FINDING_LINE, FINDING_CHARACTER) }).to_string()
}

/// Waits for the answer to the hover `id` and checks that it is the hover of API004.
fn assert_hover_answered(server: &mut Client, id: i64, after: &str) {
    let response = server.response(id, TIMEOUT);
    let value = response["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("API004"), "the request after {after}: {response:#}");
}

#[test]
fn wrong_content_lengths_are_answered_and_reading_picks_up_at_the_next_header() {
    let Session { mut server, uri, .. } = session();

    // Too small: the truncated body is a parse error, and the rest of it runs into the next
    // header.
    let body = hover_body(100, &uri);
    server.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len() - 10).as_bytes());
    assert_eq!(error_code(&null_id_error(&mut server, "a body cut short")), PARSE_ERROR);
    server.send_raw(format!("Content-Length: {}\r\n\r\n{}", hover_body(101, &uri).len(), hover_body(101, &uri)).as_bytes());
    assert_hover_answered(&mut server, 101, "a Content-Length that is too small");

    // Too large: the body takes the start of the next frame, which is lost; the one after is
    // read.
    let body = hover_body(102, &uri);
    server.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len() + 30).as_bytes());
    server.send_raw(format!("Content-Length: {}\r\n\r\n{}", hover_body(103, &uri).len(), hover_body(103, &uri)).as_bytes());
    assert_eq!(error_code(&null_id_error(&mut server, "a body that runs into the next frame")), PARSE_ERROR);
    server.send_raw(format!("Content-Length: {}\r\n\r\n{}", hover_body(104, &uri).len(), hover_body(104, &uri)).as_bytes());
    assert_hover_answered(&mut server, 104, "a Content-Length that is too large");

    // Not a number.
    for value in ["twelve", "-5", "12 34", "0x20", "", "99999999999999999999999999"] {
        server.send_raw(format!("Content-Length: {value}\r\n\r\n{}", hover_body(105, &uri)).as_bytes());
        assert_eq!(error_code(&null_id_error(&mut server, &format!("Content-Length: {value}"))), PARSE_ERROR);
        let next = hover_body(106, &uri);
        server.send_raw(format!("Content-Length: {}\r\n\r\n{next}", next.len()).as_bytes());
        assert_hover_answered(&mut server, 106, &format!("Content-Length: {value}"));
    }

    // No Content-Length at all: the body is skipped, without an answer.
    let headerless = request_body(107, "shutdown");
    server.send_raw(format!("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{headerless}").as_bytes());
    server.send_raw(format!("\r\n{headerless}\r\n").as_bytes());
    server.send_raw(headerless.as_bytes());
    let next = hover_body(108, &uri);
    server.send_raw(format!("Content-Length: {}\r\n\r\n{next}", next.len()).as_bytes());
    assert_hover_answered(&mut server, 108, "bodies without a Content-Length");

    // Headers in another case, with a Content-Type, and blank lines between frames.
    let next = hover_body(109, &uri);
    server.send_raw(
        format!("\r\n\r\ncontent-length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{next}", next.len())
            .as_bytes(),
    );
    assert_hover_answered(&mut server, 109, "a lower-case header");

    // Bytes that are not UTF-8 where a header should be.
    server.send_raw(b"\xff\xfe\xfd garbage \x80\r\n\x00\x01\x02\r\n");
    let next = hover_body(110, &uri);
    server.send_raw(format!("Content-Length: {}\r\n\r\n{next}", next.len()).as_bytes());
    assert_hover_answered(&mut server, 110, "bytes that are not UTF-8 before a header");

    let rest = finish(&mut server);
    for id in [100, 102, 103, 105, 107] {
        assert_eq!(responses_to(&rest, &json!(id)), 0, "the lost request {id} was answered: {rest:#?}");
    }
    assert_no_panic(&server);
}

#[test]
fn a_huge_declared_length_is_refused_without_being_allocated() {
    let Session { mut server, .. } = session();
    let before = server.resident_kib();

    // Under the limit: what is buffered is what arrives, not what is announced.
    server.send_raw(b"Content-Length: 200000000\r\n\r\n");
    server.send_raw(&vec![b' '; 1024 * 1024]);
    assert_serving_stays_small(&mut server, before, "200 MB announced, 1 MiB sent");

    // 10 GB: refused at once, and its body skipped without being kept.
    let mut other = session();
    let before = other.server.resident_kib();
    other.server.send_raw(b"Content-Length: 10000000000\r\n\r\n");
    let error = null_id_error(&mut other.server, "a 10 GB message");
    assert_eq!(error_code(&error), PARSE_ERROR, "{error:#}");
    for _ in 0..16 {
        other.server.send_raw(&vec![b'x'; 1024 * 1024]);
    }
    assert_serving_stays_small(&mut other.server, before, "10 GB announced, 16 MiB sent");

    // Either way the connection is lost in the body; its end ends the server.
    for client in [&mut server, &mut other.server] {
        client.close_input();
        let status = client.wait_exit(EXIT_TIMEOUT).unwrap_or_else(|| panic!("no exit within {EXIT_TIMEOUT:?} of the end of input"));
        assert_eq!(status.code(), Some(1), "the end of input without shutdown: {status}");
        assert_no_panic(client);
    }
}

#[test]
fn a_line_without_an_end_is_not_kept_whole() {
    let Session { mut server, uri, .. } = session();
    let before = server.resident_kib();
    // 128 MiB that are neither a header nor a line, then a frame right after them.
    let junk = vec![b'x'; 1024 * 1024];
    for _ in 0..128 {
        server.send_raw(&junk);
    }
    assert_serving_stays_small(&mut server, before, "a line of 128 MiB");
    let next = hover_body(300, &uri);
    server.send_raw(format!("Content-Length: {}\r\n\r\n{next}", next.len()).as_bytes());
    assert_hover_answered(&mut server, 300, "a line of 128 MiB");
    finish(&mut server);
    assert_no_panic(&server);
}

/// The server's resident memory after it has read what was sent is not the size of the
/// announced message. A write to its stdin returns once the server has read all but a pipe's
/// buffer of it, so what was sent has been read.
fn assert_serving_stays_small(server: &mut Client, before: Option<u64>, what: &str) {
    let (Some(before), Some(after)) = (before, server.resident_kib()) else {
        return;
    };
    assert!(after < before + 64 * 1024, "{what}: resident memory grew from {before} KiB to {after} KiB{}", server.stderr_tail());
    assert!(server.is_running(), "{what}: the server died{}", server.stderr_tail());
}

#[test]
fn a_body_cut_short_by_the_end_of_input_ends_the_server() {
    let Session { mut server, uri, .. } = session();
    let body = hover_body(200, &uri);
    server.send_raw(format!("Content-Length: {}\r\n\r\n{}", body.len() + 1000, body).as_bytes());
    server.close_input();
    let status = server.wait_exit(EXIT_TIMEOUT).unwrap_or_else(|| panic!("no exit within {EXIT_TIMEOUT:?} of the end of input"));
    assert_eq!(status.code(), Some(1), "the end of input without shutdown: {status}");
    let rest = drain(&mut server);
    assert_eq!(responses_to(&rest, &json!(200)), 0, "{rest:#?}");
    assert_no_panic(&server);
}

// ---------------------------------------------------------------------------------------------
// Positions and edits.

/// The byte offset of an LSP position (UTF-16 columns) the way the specification reads one:
/// a character past the end of its line is the end of the line, a line past the end of the
/// text is the end of the text.
fn offset(text: &str, line: u64, character: u64) -> usize {
    let mut line_start = 0;
    for _ in 0..line {
        match text[line_start..].find('\n') {
            Some(at) => line_start += at + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..].find('\n').map_or(text.len(), |at| line_start + at);
    let mut counted = 0;
    for (index, character_here) in text[line_start..line_end].char_indices() {
        if counted >= character {
            return line_start + index;
        }
        counted += character_here.len_utf16() as u64;
    }
    line_end
}

/// Applies an LSP edit (UTF-16 positions) to `text`; an end before the start is the start.
fn apply(text: &mut String, start: Point, end: Point, new_text: &str) {
    let from = offset(text, start.0, start.1);
    let to = offset(text, end.0, end.1).max(from);
    text.replace_range(from..to, new_text);
}

fn diagnostics_without_data(params: &Value) -> Vec<Value> {
    diagnostics_of(params)
        .iter()
        .map(|diagnostic| {
            let mut diagnostic = diagnostic.clone();
            diagnostic.as_object_mut().map(|fields| fields.remove("data"));
            diagnostic
        })
        .collect()
}

#[test]
fn positions_past_the_end_are_answered() {
    let Session { mut server, uri, .. } = session();
    let far = 1_000_000;
    let max = u64::from(u32::MAX);
    for (line, character) in [(far, far), (FINDING_LINE, far), (far, 0), (max, max), (0, max)] {
        let hover = server.request("textDocument/hover", at(&uri, line, character));
        assert!(hover.get("error").is_none(), "hover at {line}:{character}: {hover:#}");
        let definition = server.request("textDocument/definition", at(&uri, line, character));
        assert!(definition.get("error").is_none(), "definition at {line}:{character}: {definition:#}");
        let actions = server.request("textDocument/codeAction", code_action_params(&uri, range((line, character), (line, character))));
        assert!(actions.get("error").is_none(), "code actions at {line}:{character}: {actions:#}");
        let actions = server.request("textDocument/codeAction", code_action_params(&uri, range((0, 0), (line, character))));
        assert!(actions.get("error").is_none(), "code actions up to {line}:{character}: {actions:#}");
    }
    // A position past the end of a line is the end of the line: on the finding's line, that
    // is still inside the document but after the key.
    let hover = server.call("textDocument/hover", at(&uri, FINDING_LINE, far));
    assert!(hover.is_null() || hover["contents"]["value"].as_str().is_some(), "{hover:#}");
    // Positions beyond a 32-bit integer are not positions.
    let too_far = server.request("textDocument/hover", at(&uri, max + 1, 0));
    assert_eq!(error_code(&too_far), INVALID_PARAMS, "{too_far:#}");
    let negative =
        server.request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": { "line": -1, "character": 0 } }));
    assert_eq!(error_code(&negative), INVALID_PARAMS, "{negative:#}");
    assert_serving(&mut server, &uri, "positions past the end");
    finish(&mut server);
    assert_no_panic(&server);
}

#[test]
fn edits_past_the_end_backwards_or_inside_a_character_apply_as_the_specification_reads_them() {
    let Session { mut server, uri, workspace } = session();
    let mut expected = DOCUMENT.to_owned();
    // Non-ASCII prose first, so that columns count UTF-16 units and a position can fall
    // inside a surrogate pair.
    let edits: Vec<(Point, Point, &str)> = vec![
        ((2, 19), (2, 19), " — 🦀 édition"),
        // Inside the surrogate pair of the crab (columns 21 and 22): after it.
        ((2, 22), (2, 22), "!"),
        // Past the end of the text: appended.
        ((1_000_000, 0), (1_000_000, 5), "x-tail: true\n"),
        // Past the end of a line: at its end.
        ((3, 500), (3, 900), " # the version"),
        // An end before the start: an insertion at the start.
        ((4, 9), (4, 2), "#"),
        // From inside a line to far past the end: everything after it goes.
        ((24, 0), (u64::from(u32::MAX), u64::from(u32::MAX)), "x-replaced: 1\n"),
    ];
    for (index, (start, end, new_text)) in edits.iter().enumerate() {
        apply(&mut expected, *start, *end, new_text);
        let version = index as i64 + 2;
        server.change(&uri, version, vec![json!({ "range": range(*start, *end), "text": new_text })]);
    }
    let last = edits.len() as i64 + 1;
    let published = server.wait_for_publish(&uri, last);

    // The same text, opened as another document, must give the same findings.
    let twin = workspace.write("twin.yaml", &expected);
    server.open(&twin, 1, &expected);
    let twin_published = server.wait_for_publish(&twin, 1);
    assert_eq!(
        diagnostics_without_data(&published),
        diagnostics_without_data(&twin_published),
        "the edited text is not the one the specification gives:\n{expected}"
    );
    assert!(codes(&published).contains(&"API004"), "{published:#}");
    finish(&mut server);
    assert_no_panic(&server);
}

#[test]
fn changes_to_unknown_documents_stale_versions_and_repeated_opens() {
    let Session { mut server, uri, workspace } = session();

    // A change to a document that is not open is ignored, and does not open it.
    let unopened = workspace.write("unopened.yaml", DOCUMENT);
    server.change(&unopened, 2, vec![json!({ "text": "openapi: 3.0.3\n" })]);
    server.change("untitled:Untitled-1", 2, vec![json!({ "text": "x" })]);
    server.change("not a uri at all", 2, vec![json!({ "text": "x" })]);

    // Versions that go backwards are dropped: this one would remove the finding.
    server.change(&uri, 10, vec![json!({ "range": range((0, 0), (0, 0)), "text": "# ten\n" })]);
    server.change(&uri, 7, vec![json!({ "text": DOCUMENT.replace("/users/", "/users") })]);
    server.change(&uri, 10, vec![json!({ "text": DOCUMENT.replace("/users/", "/users") })]);
    server.change(&uri, 11, vec![json!({ "range": range((0, 0), (0, 0)), "text": "# eleven\n" })]);
    let published = server.wait_for_publish(&uri, 11);
    assert_eq!(codes(&published), ["API004"], "a stale change was applied: {published:#}");
    assert_eq!(diagnostics_of(&published)[0]["range"], range((FINDING_LINE + 2, 2), (FINDING_LINE + 2, 9)), "{published:#}");

    // Opening an open document again replaces it, whatever its version.
    let fixed = DOCUMENT.replace("/users/", "/users");
    server.open(&uri, 1, &fixed);
    let reopened = server.wait_for_publish(&uri, 1);
    assert!(diagnostics_of(&reopened).is_empty(), "the second didOpen's text was not taken: {reopened:#}");
    server.change(&uri, 2, vec![json!({ "range": range((FINDING_LINE, 8), (FINDING_LINE, 8)), "text": "/" })]);
    assert_eq!(codes(&server.wait_for_publish(&uri, 2)), ["API004"]);

    // Closing what was never opened, twice, or with a URI that names no file.
    for never in [workspace.uri("never-opened.yaml"), "untitled:Untitled-2".to_owned(), "file:///".to_owned(), "%%%".to_owned()] {
        server.notify("textDocument/didClose", json!({ "textDocument": { "uri": never } }));
    }
    server.notify("textDocument/didClose", json!({ "textDocument": { "uri": unopened } }));
    server.notify("textDocument/didClose", json!({ "textDocument": { "uri": unopened } }));
    // A change after a close is ignored too.
    server.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    server.change(&uri, 3, vec![json!({ "text": "openapi: 3.0.3\n" })]);
    // Closed, the document is checked from disk, where it is DOCUMENT.
    server.open(&uri, 4, DOCUMENT);
    assert_eq!(codes(&server.wait_for_publish(&uri, 4)), ["API004"]);
    assert_serving(&mut server, &uri, "closes of unknown documents");

    let rest = finish(&mut server);
    assert!(
        !rest.iter().any(|message| message["method"] == PUBLISH
            && message["params"]["uri"] == unopened.as_str()
            && message["params"]["version"] == 2),
        "the change to an unopened document was taken"
    );
    assert_no_panic(&server);
}

#[test]
fn documents_at_odd_uris_are_served_or_ignored() {
    let Session { mut server, uri, .. } = session();
    for odd in [
        "file:///",
        "file:///nonexistent/folder/openapi.yaml",
        "file://remote-host/share/openapi.yaml",
        "file:///tmp/a%00b.yaml",
        "untitled:Untitled-3",
        "http://example.com/openapi.yaml",
    ] {
        server.open(odd, 1, DOCUMENT);
        let hover = server.request("textDocument/hover", at(odd, FINDING_LINE, FINDING_CHARACTER));
        assert!(hover.get("error").is_none(), "hover on {odd}: {hover:#}");
        server.notify("textDocument/didClose", json!({ "textDocument": { "uri": odd } }));
    }
    assert_serving(&mut server, &uri, "documents at odd URIs");
    finish(&mut server);
    assert_no_panic(&server);
}

// ---------------------------------------------------------------------------------------------
// Cancellation.

#[test]
fn storms_of_cancellations_leave_every_request_with_one_answer() {
    let Session { mut server, uri, .. } = session();
    let mut sent = Vec::new();
    for round in 0..20 {
        // Requests in flight, each cancelled at once or not at all, while edits schedule checks.
        let mut ids = Vec::new();
        for index in 0..10 {
            let id = match index % 3 {
                0 => server.send_request("textDocument/hover", at(&uri, FINDING_LINE, FINDING_CHARACTER)),
                1 => server.send_request("textDocument/codeAction", code_action_params(&uri, range((0, 0), (30, 0)))),
                _ => server.send_request("textDocument/definition", at(&uri, 5, 10)),
            };
            ids.push(id);
        }
        server.change(&uri, round + 2, vec![json!({ "range": range((0, 0), (0, 0)), "text": "#\n" })]);
        for id in ids.iter().step_by(2) {
            server.notify("$/cancelRequest", json!({ "id": id }));
        }
        // Cancellations of requests that do not exist, by number and by string, and some that
        // are not cancellations at all.
        for unknown in 0..250 {
            server.notify("$/cancelRequest", json!({ "id": 1_000_000 + round * 1000 + unknown }));
            server.notify("$/cancelRequest", json!({ "id": format!("no-such-request-{unknown}") }));
        }
        server.notify("$/cancelRequest", json!({}));
        server.notify("$/cancelRequest", json!({ "id": { "not": "an id" } }));
        server.notify("$/cancelRequest", Value::Null);
        sent.extend(ids);
    }
    for id in &sent {
        let response = server.response(*id, TIMEOUT);
        assert!(
            response.get("result").is_some() || error_code(&response) == REQUEST_CANCELLED,
            "request {id}: neither a result nor RequestCancelled: {response:#}"
        );
    }
    // The last edit's check is published, and the server still serves.
    let published = server.wait_for_publish(&uri, 21);
    assert_eq!(codes(&published), ["API004"], "{published:#}");
    let hover = server.call("textDocument/hover", at(&uri, FINDING_LINE + 20, FINDING_CHARACTER));
    assert!(hover["contents"]["value"].as_str().unwrap_or_default().contains("API004"), "{hover:#}");
    let rest = finish(&mut server);
    for id in &sent {
        assert_eq!(responses_to(&rest, &json!(id)), 0, "request {id} was answered twice: {rest:#?}");
    }
    let strays: Vec<&Value> = rest.iter().filter(|message| message.get("method").is_none()).collect();
    assert!(strays.is_empty(), "answers to requests never sent: {strays:#?}");
    assert_no_panic(&server);
}

// ---------------------------------------------------------------------------------------------
// The end of a session.

#[test]
fn requests_after_shutdown_are_invalid_and_exit_ends_with_0() {
    let Session { mut server, uri, .. } = session();
    let shutdown = server.request("shutdown", Value::Null);
    assert!(shutdown.get("error").is_none() && shutdown["result"].is_null(), "{shutdown:#}");

    // "If a server receives requests after a shutdown request those requests should error
    // with InvalidRequest."
    for (method, params) in [
        ("textDocument/hover", at(&uri, FINDING_LINE, FINDING_CHARACTER)),
        ("textDocument/codeAction", code_action_params(&uri, range((0, 0), (0, 0)))),
        ("textDocument/definition", at(&uri, 0, 0)),
        ("shutdown", Value::Null),
        ("initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} })),
        ("archlens/noSuchMethod", json!({})),
    ] {
        let response = server.request(method, params);
        assert_eq!(error_code(&response), INVALID_REQUEST, "{method} after shutdown: {response:#}");
    }
    // Notifications after shutdown are dropped.
    server.change(&uri, 2, vec![json!({ "text": "openapi: 3.0.3\n" })]);
    server.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));

    server.notify("exit", Value::Null);
    let status = server.wait_exit(EXIT_TIMEOUT).unwrap_or_else(|| panic!("no exit within {EXIT_TIMEOUT:?} of `exit`"));
    assert_eq!(status.code(), Some(0), "exit after shutdown: {status}");
    let rest = drain(&mut server);
    assert!(
        !rest.iter().any(|message| message["method"] == PUBLISH && message["params"]["version"] == 2),
        "a change after shutdown was checked: {rest:#?}"
    );
    assert_no_panic(&server);
}

#[test]
fn exit_without_shutdown_ends_with_1_and_so_does_the_end_of_input() {
    let Session { mut server, .. } = session();
    server.notify("exit", Value::Null);
    let status = server.wait_exit(EXIT_TIMEOUT).unwrap_or_else(|| panic!("no exit within {EXIT_TIMEOUT:?} of `exit`"));
    assert_eq!(status.code(), Some(1), "exit without shutdown: {status}");

    let Session { mut server, .. } = session();
    server.close_input();
    let status = server.wait_exit(EXIT_TIMEOUT).unwrap_or_else(|| panic!("no exit within {EXIT_TIMEOUT:?} of the end of input"));
    assert_eq!(status.code(), Some(1), "the end of input without exit: {status}");

    // After shutdown, the end of input is still no exit notification.
    let Session { mut server, .. } = session();
    server.call("shutdown", Value::Null);
    server.close_input();
    let status = server.wait_exit(EXIT_TIMEOUT).unwrap_or_else(|| panic!("no exit within {EXIT_TIMEOUT:?} of the end of input"));
    assert!(matches!(status.code(), Some(0 | 1)), "the end of input after shutdown: {status}");
}

// ---------------------------------------------------------------------------------------------
// A rule that panics (PRC999, built with `--features test-rules`).

/// The error lines the server logged about PRC999 panicking.
#[cfg(feature = "test-rules")]
fn panics_logged(server: &Client) -> Vec<String> {
    server.stderr().lines().filter(|line| line.contains("ERROR") && line.contains("PRC999")).map(str::to_owned).collect()
}

/// Waits until the server has logged `count` panics of PRC999, then checks it logged no more.
#[cfg(feature = "test-rules")]
fn assert_panics_logged(server: &mut Client, uri: &str, count: usize) {
    let deadline = Instant::now() + TIMEOUT;
    while panics_logged(server).len() < count && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    // A round trip, so that anything logged before it is in.
    server.call("textDocument/hover", at(uri, 0, 0));
    let logged = panics_logged(server);
    assert_eq!(logged.len(), count, "PRC999 panics logged:\n{}{}", logged.join("\n"), server.stderr_tail());
}

#[cfg(feature = "test-rules")]
#[test]
fn a_panicking_rule_is_logged_once_and_the_other_rules_still_report() {
    let workspace = Workspace::new();
    workspace.extend_select(&["PRC002"]);
    let document = format!("# archlens-test-panic\n{DOCUMENT}");
    let code = "// archlens-test-panic\npub async fn create(body: String) -> String {\n    println!(\"created {body}\");\n    body\n}\n";
    let uri = workspace.write("openapi.yaml", &document);
    let rust_uri = workspace.write("src/routes.rs", code);
    let mut server = Client::start();
    // No workspace scan: each file is checked once, when it is opened.
    server.initialize_with(&workspace.root, utf16_client(), json!({ "archlens": { "diagnostics": { "workspace": false } } }));

    server.open(&uri, 1, &document);
    let published = server.wait_for_publish(&uri, 1);
    assert_eq!(codes(&published), ["API004"], "the other rules' findings on the document: {published:#}");
    assert_panics_logged(&mut server, &uri, 1);
    let logged = panics_logged(&server);
    assert!(logged[0].contains("archlens-test-panic found in an OpenAPI document"), "the log says why: {}", logged[0]);

    server.notify("textDocument/didOpen", json!({ "textDocument": { "uri": rust_uri, "languageId": "rust", "version": 1, "text": code } }));
    let published = server.wait_for_publish(&rust_uri, 1);
    assert_eq!(codes(&published), ["PRC002"], "the other rules' findings on the Rust file: {published:#}");
    assert_panics_logged(&mut server, &uri, 2);
    let logged = panics_logged(&server);
    assert!(logged[1].contains("archlens-test-panic found in a Rust file") && logged[1].contains("routes.rs"), "{}", logged[1]);

    // The server goes on serving, and checking: without the marker, the rule is quiet.
    let hover = server.call("textDocument/hover", at(&uri, FINDING_LINE + 1, FINDING_CHARACTER));
    assert!(hover["contents"]["value"].as_str().unwrap_or_default().contains("API004"), "{hover:#}");
    server.change(&uri, 2, vec![json!({ "range": range((0, 0), (1, 0)), "text": "" })]);
    assert_eq!(codes(&server.wait_for_publish(&uri, 2)), ["API004"]);
    assert_panics_logged(&mut server, &uri, 2);
    finish(&mut server);
}
