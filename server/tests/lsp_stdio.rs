//! End-to-end tests of `archlens lsp`: the real binary, spoken to over its stdin and stdout
//! with `Content-Length` framed JSON-RPC, the way an editor does.
//!
//! Every wait has a timeout, so a server that stops answering fails a test instead of hanging
//! it, and the child process is killed when its client is dropped.

use std::path::Path;
use std::thread;
use std::time::Duration;

use serde_json::{Value, json};

mod common;
use common::*;

/// How long the server may take to exit after `exit`.
const EXIT_TIMEOUT: Duration = Duration::from_secs(5);

/// A 3.0 document whose only possible finding is about `path` (line 9, from column 2): it has
/// an operationId, 400, 429 with Retry-After and 500 responses, a defined global bearer scheme
/// and an https server.
fn api_document(path: &str, operation_id: &str) -> String {
    format!(
        "openapi: 3.0.3
info:
  title: Users API
  version: '1.0.0'
servers:
  - url: https://api.example.com/v1
security:
  - bearerAuth: []
paths:
  {path}:
    get:
      operationId: {operation_id}
      summary: A collection.
      responses:
        '200': {{description: The items., headers: {{RateLimit: {{schema: {{type: string}}}}, ETag: {{schema: {{type: string}}}}}}}}
        '400': {{description: The request is malformed.}}
        '429':
          description: Too many requests.
          headers:
            Retry-After: {{schema: {{type: integer}}}}
        '500': {{description: Unexpected server error.}}
components:
  securitySchemes:
    bearerAuth: {{type: http, scheme: bearer}}
"
    )
}

/// A document whose only path item lives in `paths/users.yaml` (line 10 holds the `$ref`).
const SPLIT_ROOT: &str = "openapi: 3.0.3
info:
  title: Users API (split)
  version: '1.0.0'
servers:
  - url: https://api.example.com/v1
security:
  - bearerAuth: []
paths:
  /users:
    $ref: 'paths/users.yaml'
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
";

/// The path item of `SPLIT_ROOT`: a GET whose first line is `first` (with or without an
/// operationId), and every response the other rules ask for.
fn users_fragment(first: &str) -> String {
    format!(
        "get:
  {first}
  responses:
    '200': {{description: The users.}}
    '400': {{description: The request is malformed.}}
    '429':
      description: Too many requests.
      headers:
        Retry-After: {{schema: {{type: integer}}}}
    '500': {{description: Unexpected server error.}}
"
    )
}

/// The line of `api_document` that holds the path key, and the key's column.
const PATH_LINE: usize = 9;
const PATH_COLUMN: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16,
}

fn units(text: &str, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => text.len(),
        Encoding::Utf16 => text.encode_utf16().count(),
    }
}

fn position(text: &str, offset: usize, encoding: Encoding) -> Value {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    json!({ "line": before.matches('\n').count(), "character": units(&text[line_start..offset], encoding) })
}

/// The range of the first occurrence of `needle`.
fn range_of(text: &str, needle: &str, encoding: Encoding) -> Value {
    let start = text.find(needle).unwrap_or_else(|| panic!("{needle:?} is not in the fixture"));
    json!({ "start": position(text, start, encoding), "end": position(text, start + needle.len(), encoding) })
}

fn range(line: usize, start: usize, end: usize) -> Value {
    json!({ "start": { "line": line, "character": start }, "end": { "line": line, "character": end } })
}

fn number(value: &Value) -> usize {
    value.as_u64().and_then(|number| usize::try_from(number).ok()).unwrap_or_else(|| panic!("{value} is not a position number"))
}

/// The byte offset of an LSP position.
fn offset(text: &str, position: &Value, encoding: Encoding) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(number(&position["line"])).map(str::len).sum();
    let wanted = number(&position["character"]);
    let mut counted = 0;
    for (index, character) in text[line_start..].char_indices() {
        if counted >= wanted || character == '\n' {
            return line_start + index;
        }
        counted += match encoding {
            Encoding::Utf8 => character.len_utf8(),
            Encoding::Utf16 => character.len_utf16(),
        };
    }
    text.len()
}

/// Applies a code action's text edits locally and turns them into `didChange` content changes
/// (last edit first, so every range still refers to the text it was computed on).
fn apply_edits(text: &str, edits: &[Value], encoding: Encoding) -> (String, Vec<Value>) {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|edit| std::cmp::Reverse((number(&edit["range"]["start"]["line"]), number(&edit["range"]["start"]["character"]))));
    let mut text = text.to_owned();
    for edit in &edits {
        let start = offset(&text, &edit["range"]["start"], encoding);
        let end = offset(&text, &edit["range"]["end"], encoding);
        text.replace_range(start..end, edit["newText"].as_str().expect("newText is a string"));
    }
    let changes = edits.iter().map(|edit| json!({ "range": edit["range"], "text": edit["newText"] })).collect();
    (text, changes)
}

fn insertion(line: usize, character: usize, text: &str) -> Value {
    json!({ "range": range(line, character, character), "text": text })
}

fn with_code<'a>(params: &'a Value, code: &str) -> Vec<&'a Value> {
    diagnostics_of(params).iter().filter(|diagnostic| diagnostic["code"] == code).collect()
}

/// The only diagnostic with `code`.
fn the_diagnostic(params: &Value, code: &str) -> Value {
    let found = with_code(params, code);
    assert_eq!(found.len(), 1, "expected exactly one {code}: {params:#}");
    found[0].clone()
}

fn action<'a>(actions: &'a [Value], title: &str) -> &'a Value {
    actions.iter().find(|action| action["title"] == title).unwrap_or_else(|| panic!("no action titled {title:?} in {actions:#?}"))
}

fn edits_for<'a>(action: &'a Value, uri: &str) -> &'a [Value] {
    action["edit"]["changes"][uri].as_array().map(Vec::as_slice).unwrap_or_else(|| panic!("the action has no edits for {uri}: {action:#}"))
}

fn utf16_client() -> Value {
    json!({ "general": { "positionEncodings": ["utf-16"] } })
}

/// Starts a UTF-16 session on a workspace holding one document, opens it as version 1, and
/// returns the first publish for that version.
fn open_one(text: &str) -> (Workspace, Client, String, Value) {
    let workspace = Workspace::new();
    let uri = workspace.write("openapi.yaml", text);
    let mut server = Client::start();
    let result = server.initialize(&workspace.root, utf16_client());
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16", "{result:#}");
    server.open(&uri, 1, text);
    let published = server.wait_for_publish(&uri, 1);
    (workspace, server, uri, published)
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[test]
fn diagnostics_fix_and_recheck() {
    let text = api_document("/users/", "listUsers");
    let (_workspace, mut server, uri, published) = open_one(&text);

    assert_eq!(published["version"], 1);
    let diagnostics = diagnostics_of(&published);
    assert_eq!(diagnostics.len(), 1, "the fixture must have exactly one finding: {published:#}");
    let diagnostic = diagnostics[0].clone();
    assert_eq!(diagnostic["code"], "API004");
    assert_eq!(diagnostic["source"], "archlens");
    assert_eq!(diagnostic["range"], range(PATH_LINE, 2, 9), "the range of the `/users/` key");
    assert_eq!(diagnostic["range"], range_of(&text, "/users/", Encoding::Utf16));
    let href = diagnostic["codeDescription"]["href"].as_str().unwrap_or_else(|| panic!("no codeDescription.href: {diagnostic:#}"));
    assert!(href.starts_with("https://") && href.contains("API004"), "{href}");

    let actions = server.code_actions(&uri, &diagnostic);
    let fix = action(&actions, "Remove the trailing slash");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    let allow = action(&actions, "Allow API004 (trailing-slash-path) here");
    assert_eq!(allow["kind"], "quickfix");
    assert_ne!(allow["isPreferred"], true, "a suppression must not be the preferred fix");

    let edits = edits_for(fix, &uri);
    assert_eq!(edits, [json!({ "range": range(PATH_LINE, 8, 9), "newText": "" })]);
    let (fixed, changes) = apply_edits(&text, edits, Encoding::Utf16);
    assert_eq!(fixed, api_document("/users", "listUsers"));
    server.change(&uri, 2, changes);
    let published = server.wait_for_publish(&uri, 2);
    assert!(with_code(&published, "API004").is_empty(), "the fix did not remove API004: {published:#}");
    assert!(diagnostics_of(&published).is_empty(), "the fixed document is clean: {published:#}");
}

#[test]
fn suppression_action_silences_the_rule() {
    let text = api_document("/users/", "listUsers");
    let (_workspace, mut server, uri, published) = open_one(&text);
    let diagnostic = the_diagnostic(&published, "API004");

    let actions = server.code_actions(&uri, &diagnostic);
    let allow = action(&actions, "Allow API004 (trailing-slash-path) here");
    let (suppressed, changes) = apply_edits(&text, edits_for(allow, &uri), Encoding::Utf16);
    assert!(suppressed.contains("# archlens: allow(API004)"), "{suppressed}");
    assert!(
        suppressed.contains("  # archlens: allow(API004)\n  /users/:\n"),
        "the comment sits right above the key, indented like it:\n{suppressed}"
    );
    server.change(&uri, 2, changes);
    let published = server.wait_for_publish(&uri, 2);
    assert!(with_code(&published, "API004").is_empty(), "the allow comment did not silence API004: {published:#}");
    assert!(diagnostics_of(&published).is_empty(), "{published:#}");
}

#[test]
fn rapid_incremental_changes_apply_in_order() {
    let text = api_document("/items", "listItems");
    let (_workspace, mut server, uri, published) = open_one(&text);
    assert!(diagnostics_of(&published).is_empty(), "the starting document is clean: {published:#}");

    // 200 changes back to back, without waiting for anything: each inserts `a` right after
    // the leading `/`, so only edits applied in order and without losses give `/a…aitems`.
    for version in 2..=201 {
        server.change(&uri, version, vec![insertion(PATH_LINE, PATH_COLUMN + 1, "a")]);
    }
    let key = format!("/{}items", "a".repeat(200));
    server.change(&uri, 202, vec![insertion(PATH_LINE, PATH_COLUMN + key.len(), "/")]);

    let published = server.wait_for_publish(&uri, 202);
    assert_eq!(codes(&published), ["API004"], "{published:#}");
    let diagnostic = the_diagnostic(&published, "API004");
    assert_eq!(diagnostic["range"], range(PATH_LINE, PATH_COLUMN, PATH_COLUMN + key.len() + 1), "the range spans the whole grown key");
    let message = diagnostic["message"].as_str().unwrap_or_default();
    assert!(message.contains(&format!("`{key}/`")), "the server's text is not the expected one: {message}");
}

#[test]
fn utf8_and_utf16_positions() {
    // Non-ASCII before the finding on the same line, and inside its range.
    let responses = "responses: {'200': {description: OK}, '400': {description: Bad}, '429': {description: Slow, headers: {Retry-After: {schema: {type: integer}}}}, '500': {description: Oops}}";
    let text = format!(
        "openapi: 3.0.3
info:
  title: Café API
  version: '1.0.0'
servers:
  - url: https://api.example.com/v1
security:
  - bearerAuth: []
paths: {{/menu: {{get: {{operationId: getMenu, summary: 'Crème brûlée 😀', {responses}}}}}, /café😀/: {{get: {{operationId: getCafe, {responses}}}}}}}
components:
  securitySchemes:
    bearerAuth: {{type: http, scheme: bearer}}
"
    );
    let key = "/café😀/";
    let line = 8;
    let utf8 = range_of(&text, key, Encoding::Utf8);
    let utf16 = range_of(&text, key, Encoding::Utf16);
    assert_eq!(utf8["start"]["line"], line);
    // The key is 11 bytes but 8 UTF-16 units, and what precedes it differs as well.
    assert_eq!(number(&utf8["end"]["character"]) - number(&utf8["start"]["character"]), 11);
    assert_eq!(number(&utf16["end"]["character"]) - number(&utf16["start"]["character"]), 8);
    assert_ne!(utf8["start"], utf16["start"]);

    for (offered, answered, encoding, expected) in [
        (json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }), "utf-8", Encoding::Utf8, &utf8),
        (json!({}), "utf-16", Encoding::Utf16, &utf16),
    ] {
        let workspace = Workspace::new();
        let uri = workspace.write("openapi.yaml", &text);
        let mut server = Client::start();
        let result = server.initialize(&workspace.root, offered);
        assert_eq!(result["capabilities"]["positionEncoding"], answered, "{result:#}");
        server.open(&uri, 1, &text);
        let published = server.wait_for_publish(&uri, 1);
        let diagnostic = the_diagnostic(&published, "API004");
        assert_eq!(&diagnostic["range"], expected, "{answered}: {diagnostic:#}");

        // The fix's edit is in the same unit, and the server reads our change in it too.
        let actions = server.code_actions(&uri, &diagnostic);
        let fix = action(&actions, "Remove the trailing slash");
        let edits = edits_for(fix, &uri);
        let end = &expected["end"];
        assert_eq!(
            edits,
            [json!({ "range": range(line, number(&end["character"]) - 1, number(&end["character"])), "newText": "" })],
            "{answered}"
        );
        let (fixed, changes) = apply_edits(&text, edits, encoding);
        assert!(fixed.contains(" /café😀: {get"), "{answered}: {fixed}");
        server.change(&uri, 2, changes);
        let published = server.wait_for_publish(&uri, 2);
        assert!(with_code(&published, "API004").is_empty(), "{answered}: {published:#}");
    }
}

#[test]
fn pull_diagnostics_when_client_supports_them() {
    let workspace = Workspace::new();
    let text = api_document("/users/", "listUsers");
    let uri = workspace.write("openapi.yaml", &text);
    let mut server = Client::start();
    let result = server.initialize(&workspace.root, json!({ "textDocument": { "diagnostic": { "dynamicRegistration": false } } }));
    let provider = &result["capabilities"]["diagnosticProvider"];
    assert!(provider.is_object(), "no diagnosticProvider: {result:#}");

    server.open(&uri, 1, &text);
    let report = server.call("textDocument/diagnostic", json!({ "textDocument": { "uri": uri } }));
    assert_eq!(report["kind"], "full", "{report:#}");
    let diagnostic = the_diagnostic(&report, "API004");
    assert_eq!(diagnostic["range"], range(PATH_LINE, 2, 9));
    let result_id = report["resultId"].clone();
    assert!(result_id.is_string(), "a full report has a result id: {report:#}");

    // Typing in the summary changes no diagnostic: the report says so in a few bytes, and the
    // diagnostic the client keeps still offers its fix, computed on the current text.
    server.change(&uri, 2, vec![json!({ "range": range(12, 17, 17), "text": "big " })]);
    let unchanged = server.call("textDocument/diagnostic", json!({ "textDocument": { "uri": uri }, "previousResultId": result_id }));
    assert_eq!(unchanged["kind"], "unchanged", "{unchanged:#}");
    assert_eq!(unchanged["resultId"], result_id);
    let actions = server.code_actions(&uri, &diagnostic);
    assert_eq!(edits_for(action(&actions, "Remove the trailing slash"), &uri), [json!({ "range": range(PATH_LINE, 8, 9), "newText": "" })]);

    // An edit that changes the diagnostics gets a full report.
    server.change(&uri, 3, vec![json!({ "range": range(PATH_LINE, 8, 9), "text": "" })]);
    let changed = server.call("textDocument/diagnostic", json!({ "textDocument": { "uri": uri }, "previousResultId": result_id }));
    assert_eq!(changed["kind"], "full", "{changed:#}");
    assert!(with_code(&changed, "API004").is_empty(), "{changed:#}");

    // Pull mode does not also push.
    server.collect_for(Duration::from_secs(2));
    let pushed: Vec<&Value> =
        server.queued_notifications(PUBLISH).filter(|params| params["uri"] == uri && !diagnostics_of(params).is_empty()).collect();
    assert!(pushed.is_empty(), "diagnostics pushed to a pull client: {pushed:#?}");
}

#[test]
fn hover_shows_rule_documentation() {
    let text = api_document("/users/", "listUsers");
    let (_workspace, mut server, uri, published) = open_one(&text);
    let diagnostic = the_diagnostic(&published, "API004");

    let hover = server.hover(&uri, PATH_LINE, 4);
    assert_eq!(hover["contents"]["kind"], "markdown", "{hover:#}");
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    for expected in ["API004", "trailing-slash-path", "Why it matters", "are different URLs", "At `/users/`", "How to fix"] {
        assert!(value.contains(expected), "the hover lacks {expected:?}:\n{value}");
    }
    assert_eq!(hover["range"], diagnostic["range"]);

    let outside = server.hover(&uri, 1, 2);
    assert!(outside.is_null(), "hover outside any finding: {outside:#}");
}

#[test]
fn multi_file_findings_land_on_the_fragment() {
    let workspace = Workspace::new();
    let root = SPLIT_ROOT;
    let fragment = &users_fragment("summary: List users (no operationId).");
    let root_uri = workspace.write("openapi.yaml", root);
    let fragment_uri = workspace.write("paths/users.yaml", fragment);
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    server.open(&root_uri, 1, root);

    let published =
        server.wait_for_notification(PUBLISH, |params| params["uri"] == fragment_uri && !with_code(params, "API012").is_empty(), TIMEOUT);
    let diagnostic = the_diagnostic(&published, "API012");
    assert_eq!(diagnostic["range"], range(0, 0, 3), "the `get` key of the fragment");
    let related = diagnostic["relatedInformation"].as_array().unwrap_or_else(|| panic!("no relatedInformation: {diagnostic:#}"));
    let site = related
        .iter()
        .find(|related| related["location"]["uri"] == root_uri)
        .unwrap_or_else(|| panic!("nothing points at the root: {related:#?}"));
    assert_eq!(site["location"]["range"]["start"]["line"], 10, "the `$ref` line of the root: {site:#}");

    let root_publish = server.wait_for_publish(&root_uri, 1);
    assert!(with_code(&root_publish, "API012").is_empty(), "the fragment's finding is not on the root: {root_publish:#}");
}

#[test]
fn survives_protocol_abuse() {
    let workspace = Workspace::new();
    let text = api_document("/users/", "listUsers");
    let uri = workspace.write("openapi.yaml", &text);

    // A Content-Length that is too short: the truncated body is answered with a parse error
    // (null id), and the server picks the next frame up even though the rest of the bad body
    // runs into its header.
    {
        let mut server = Client::start();
        server.initialize(&workspace.root, utf16_client());
        let body = json!({ "jsonrpc": "2.0", "id": 900, "method": "shutdown" }).to_string();
        server.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len() - 10).as_bytes());
        server.send(&json!({ "jsonrpc": "2.0", "id": 901, "method": "shutdown" }));
        let error = server.wait_for("a parse error for the truncated frame", TIMEOUT, |message| {
            message.get("method").is_none() && message["id"].is_null()
        });
        assert_eq!(error["error"]["code"], -32700, "{error:#}");
        let answered = server.wait_for("the answer to the next frame", TIMEOUT, |message| message["id"] == 901);
        assert!(answered.get("error").is_none(), "{answered:#}");
    }

    let mut server = Client::start();

    // A request before `initialize`: an error, and the server lives on.
    let early = server.request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }));
    assert_eq!(early["error"]["code"], -32002, "ServerNotInitialized: {early:#}");
    assert!(server.is_running(), "the server died after a request before initialize");

    server.initialize(&workspace.root, utf16_client());
    server.open(&uri, 5, &text);
    let published = server.wait_for_publish(&uri, 5);
    let diagnostic = the_diagnostic(&published, "API004");

    let unknown = server.request("archlens/noSuchMethod", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown:#}");
    server.notify("archlens/noSuchNotification", json!({ "anything": [1, 2, 3] }));
    server.notify("$/noSuchNotification", json!(null));

    // Documents that were never opened.
    for never_opened in [workspace.uri("never-opened.yaml"), "untitled:Untitled-1".to_owned()] {
        let hover = server.hover(&never_opened, 0, 0);
        assert!(hover.is_null(), "hover on {never_opened}: {hover:#}");
        let actions = server.call(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": never_opened }, "range": range(0, 0, 0), "context": { "diagnostics": [] } }),
        );
        assert!(actions.is_null() || actions == json!([]), "code actions on {never_opened}: {actions:#}");
    }
    server.change(&workspace.uri("never-opened.yaml"), 2, vec![insertion(0, 0, "x")]);

    // A change older than the current version is dropped: this one would fix the document.
    let fixed = api_document("/users", "listUsers");
    server.change(&uri, 3, vec![json!({ "text": fixed })]);
    // A newer change that touches something else: its check shows whether the stale one
    // was applied.
    let end_line = text.lines().count();
    server.change(&uri, 6, vec![insertion(end_line, 0, "# touched\n")]);
    let published = server.wait_for_publish(&uri, 6);
    assert_eq!(the_diagnostic(&published, "API004")["range"], diagnostic["range"], "the stale change was applied: {published:#}");

    // Malformed JSON in a well-formed frame: JSON-RPC asks for a parse error with a null id,
    // and the session must go on.
    server.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let error =
        server.wait_for("a parse error for `{not json`", TIMEOUT, |message| message.get("method").is_none() && message["id"].is_null());
    assert_eq!(error["error"]["code"], -32700, "{error:#}");
    thread::sleep(Duration::from_millis(200));
    assert!(
        server.is_running(),
        "the server exited after one malformed message (status {:?}){}",
        server.child.try_wait(),
        server.stderr_tail()
    );

    // A real request is still answered.
    let hover = server.hover(&uri, PATH_LINE, 4);
    assert!(hover["contents"]["value"].as_str().unwrap_or_default().contains("API004"), "{hover:#}");

    let shutdown = server.request("shutdown", json!(null));
    assert!(shutdown.get("error").is_none() && shutdown["result"].is_null(), "{shutdown:#}");
    server.notify("exit", json!(null));
    let status = server.wait_exit(EXIT_TIMEOUT).unwrap_or_else(|| panic!("the server did not exit within {EXIT_TIMEOUT:?} of `exit`"));
    assert_eq!(status.code(), Some(0), "exit after shutdown: {status}");
}

#[test]
fn exit_without_shutdown_exits_with_1() {
    let workspace = Workspace::new();
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    server.notify("exit", json!(null));
    let status = server.wait_exit(EXIT_TIMEOUT).unwrap_or_else(|| panic!("the server did not exit within {EXIT_TIMEOUT:?} of `exit`"));
    assert_eq!(status.code(), Some(1), "exit without shutdown: {status}");
}

#[test]
fn settings_from_initialization_options_and_configuration_changes() {
    let workspace = Workspace::new();
    let text = api_document("/users/", "listUsers");
    let uri = workspace.write("openapi.yaml", &text);
    let mut server = Client::start();
    server.initialize_with(&workspace.root, utf16_client(), json!({ "archlens": { "rules": { "ignore": ["API004"] } } }));
    server.open(&uri, 1, &text);
    let published = server.wait_for_publish(&uri, 1);
    assert!(diagnostics_of(&published).is_empty(), "the initialization options ignore API004, the document's only finding: {published:#}");

    // The new settings replace the old ones; an empty `ignore` adds nothing to the (default)
    // file configuration, so API004 runs again, and the open document is re-checked.
    server.notify("workspace/didChangeConfiguration", json!({ "settings": { "rules": { "ignore": [] } } }));
    let published =
        server.wait_for_notification(PUBLISH, |params| params["uri"] == uri && !with_code(params, "API004").is_empty(), TIMEOUT);
    assert_eq!(published["version"], 1, "{published:#}");
    assert_eq!(codes(&published), ["API004"], "{published:#}");
    let diagnostic = the_diagnostic(&published, "API004");
    assert_eq!(diagnostic["range"], range(PATH_LINE, 2, 9));
    assert_eq!(diagnostic["severity"], 2, "API004 is a warning by default: {diagnostic:#}");

    // A severity override.
    server.notify("workspace/didChangeConfiguration", json!({ "settings": { "rules": { "severity": { "API004": "error" } } } }));
    let published = server.wait_for_notification(
        PUBLISH,
        |params| params["uri"] == uri && with_code(params, "API004").iter().any(|diagnostic| diagnostic["severity"] != 2),
        TIMEOUT,
    );
    assert_eq!(published["version"], 1, "{published:#}");
    assert_eq!(codes(&published), ["API004"], "{published:#}");
    let diagnostic = the_diagnostic(&published, "API004");
    assert_eq!(diagnostic["severity"], 1, "overridden to error: {diagnostic:#}");
    assert_eq!(diagnostic["range"], range(PATH_LINE, 2, 9));
}

#[test]
fn archlens_toml_configures_the_rules() {
    let workspace = Workspace::new();
    workspace.write("archlens.toml", "[rules]\nignore = [\"trailing-slash-path\"]\n");
    // A trailing slash (API004, ignored) and no operationId (API012, still on).
    let text = api_document("/users/", "listUsers").replace("      operationId: listUsers\n", "");
    assert!(!text.contains("operationId"), "{text}");
    let uri = workspace.write("openapi.yaml", &text);
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    server.open(&uri, 1, &text);
    let published = server.wait_for_publish(&uri, 1);
    assert!(with_code(&published, "API004").is_empty(), "archlens.toml ignores trailing-slash-path: {published:#}");
    assert_eq!(codes(&published), ["API012"], "the other rules still run: {published:#}");
    let diagnostic = the_diagnostic(&published, "API012");
    assert_eq!(diagnostic["range"]["start"]["line"], PATH_LINE + 1, "the `get` without an operationId: {diagnostic:#}");
}

#[test]
fn did_close_clears_files_that_are_not_checked_otherwise() {
    let workspace = Workspace::new();
    // The disk holds a clean document; the editor buffer adds a trailing slash.
    let uri = workspace.write("openapi.yaml", &api_document("/users", "listUsers"));
    let in_memory = api_document("/users/", "listUsers");
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    server.open(&uri, 1, &in_memory);
    let published = server.wait_for_publish(&uri, 1);
    assert_eq!(codes(&published), ["API004"], "{published:#}");
    // Anything queued for the URI came before the open buffer's check.
    server.discard_publishes(&uri);

    server.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    let published = server.wait_for_notification(PUBLISH, |params| params["uri"] == uri && diagnostics_of(params).is_empty(), TIMEOUT);
    assert!(published["version"].is_null(), "a closed document has no version: {published:#}");
    // And nothing brings the buffer's finding back.
    server.collect_for(Duration::from_secs(1));
    let stale: Vec<&Value> =
        server.queued_notifications(PUBLISH).filter(|params| params["uri"] == uri && !diagnostics_of(params).is_empty()).collect();
    assert!(stale.is_empty(), "the closed buffer's findings were published again: {stale:#?}");
}

#[test]
fn did_close_clears_a_buffer_whose_file_is_not_an_openapi_document() {
    let workspace = Workspace::new();
    // On disk a plain YAML file, which no check reads on its own; the editor buffer holds an
    // OpenAPI document with a trailing slash that was never saved.
    let uri = workspace.write("notes.yaml", "name: x\n");
    let in_memory = api_document("/users/", "listUsers");
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    server.open(&uri, 1, &in_memory);
    let published = server.wait_for_publish(&uri, 1);
    assert_eq!(codes(&published), ["API004"], "{published:#}");
    server.discard_publishes(&uri);

    server.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    // Every publish for the file after the close: the last must be empty, and none may carry
    // findings of the file on disk, which is not an OpenAPI document.
    server.collect_for(Duration::from_secs(1));
    let after: Vec<&Value> = server.queued_notifications(PUBLISH).filter(|params| params["uri"] == uri).collect();
    assert!(!after.is_empty(), "no publish cleared the closed buffer's findings");
    for params in &after {
        assert!(
            diagnostics_of(params).is_empty(),
            "a file that is not an OpenAPI document got findings after its buffer closed: {params:#}"
        );
    }
}

#[test]
fn versions_never_go_backwards_in_publishes() {
    let text = api_document("/users/", "listUsers");
    let (_workspace, mut server, uri, published) = open_one(&text);
    assert_eq!(codes(&published), ["API004"], "{published:#}");
    server.discard_publishes(&uri);

    // Versions 2 to 31 without waiting: even ones remove the trailing slash, odd ones put it
    // back, so the text of an odd version has API004 and that of an even one is clean.
    let slash = PATH_COLUMN + "/users".len();
    for version in 2..=31 {
        let change = if version % 2 == 0 {
            json!({ "range": range(PATH_LINE, slash, slash + 1), "text": "" })
        } else {
            insertion(PATH_LINE, slash, "/")
        };
        server.change(&uri, version, vec![change]);
    }
    let mut publishes = server.publishes_until(&uri, 31);
    // A stale publish arriving after the final one would go backwards too.
    server.collect_for(Duration::from_millis(500));
    publishes.extend(server.queued_notifications(PUBLISH).filter(|params| params["uri"] == uri).cloned());

    let mut previous = 1;
    for params in &publishes {
        let version = params["version"].as_i64().unwrap_or_else(|| panic!("a publish for an open document without a version: {params:#}"));
        assert!(
            version >= previous,
            "version {version} published after version {previous}: {:?}",
            publishes.iter().map(|params| params["version"].clone()).collect::<Vec<_>>()
        );
        previous = version;
        let expected: &[&str] = if version % 2 == 1 { &["API004"] } else { &[] };
        assert_eq!(codes(params), expected, "the publish does not match the text of its version: {params:#}");
    }
    let last = publishes.last().expect("at least the final publish");
    assert_eq!(last["version"], 31, "{last:#}");
    let diagnostic = the_diagnostic(last, "API004");
    assert_eq!(diagnostic["range"], range(PATH_LINE, 2, 9), "{diagnostic:#}");
    assert!(diagnostic["message"].as_str().unwrap_or_default().contains("`/users/`"), "{diagnostic:#}");
}

#[test]
fn workspace_scan_reports_files_that_are_not_open() {
    let workspace = Workspace::new();
    let uri = workspace.write("specs/users.yaml", &api_document("/users/", "listUsers"));
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());

    // Nothing is opened: the scan after `initialized` checks the file and pushes its findings.
    let published = server.wait_for_notification(PUBLISH, |params| params["uri"] == uri, TIMEOUT);
    assert!(published["version"].is_null(), "a file that is not open has no version: {published:#}");
    assert_eq!(codes(&published), ["API004"], "{published:#}");
    assert_eq!(the_diagnostic(&published, "API004")["range"], range(PATH_LINE, 2, 9));
}

#[test]
fn workspace_scan_reports_progress_when_the_client_shows_it() {
    let workspace = Workspace::new();
    let uri = workspace.write("specs/users.yaml", &api_document("/users/", "listUsers"));
    let mut server = Client::start();
    let capabilities = json!({
        "general": { "positionEncodings": ["utf-16"] },
        "window": { "workDoneProgress": true }
    });
    server.initialize_with(&workspace.root, capabilities, Value::Null);

    let begin = server.wait_for_notification("$/progress", |params| params["value"]["kind"] == "begin", TIMEOUT);
    assert_eq!(begin["token"], "archlens/workspace-scan", "{begin:#}");
    assert_eq!(begin["value"]["title"], "archlens", "{begin:#}");
    let end = server.wait_for_notification("$/progress", |params| params["value"]["kind"] == "end", TIMEOUT);
    assert_eq!(end["value"]["message"], "checked 1 OpenAPI document", "{end:#}");
    let published = server.wait_for_notification(PUBLISH, |params| params["uri"] == uri, TIMEOUT);
    assert_eq!(codes(&published), ["API004"], "{published:#}");
}

#[test]
fn the_editor_hides_what_the_baseline_knows() {
    let workspace = Workspace::new();
    workspace.write("archlens.toml", "baseline = \"known-findings.json\"\n");
    // The trailing slash is known; the missing operationId is new.
    workspace.write(
        "known-findings.json",
        &json!({"version": 1, "findings": [{"rule": "API004", "file": "openapi.yaml", "pointer": "/paths/~1users~1", "count": 1}]})
            .to_string(),
    );
    let text = api_document("/users/", "listUsers").replace("      operationId: listUsers\n", "");
    let uri = workspace.write("openapi.yaml", &text);
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    server.open(&uri, 1, &text);
    let published = server.wait_for_publish(&uri, 1);
    assert_eq!(codes(&published), ["API012"], "the baselined API004 is hidden, the new API012 shows: {published:#}");
}

#[test]
fn fix_all_applies_every_preferred_fix_at_once() {
    let text = api_document("/users/", "listUsers")
        .replace("      operationId: listUsers\n", "")
        .replace("https://api.example.com/v1", "http://api.example.com/v1");
    let (_workspace, mut server, uri, published) = open_one(&text);
    let before = codes(&published);
    for code in ["API004", "API012", "SEC005"] {
        assert!(before.contains(&code), "{code} must fire first: {published:#}");
    }
    let actions = server.call(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
            "context": { "diagnostics": [], "only": ["source.fixAll"] }
        }),
    );
    let actions = actions.as_array().expect("a list of actions");
    assert_eq!(actions.len(), 1, "only the source action is asked for: {actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.archlens");
    let edits = actions[0]["edit"]["changes"][uri.as_str()].as_array().expect("edits for the file").clone();
    let (fixed, changes) = apply_edits(&text, &edits, Encoding::Utf16);
    server.change(&uri, 2, changes);
    let after = server.wait_for_publish(&uri, 2);
    let remaining = codes(&after);
    for code in ["API004", "API012", "SEC005"] {
        assert!(!remaining.contains(&code), "{code} is fixed: {after:#}\n{fixed}");
    }
    assert!(!remaining.contains(&"API024"), "the fixed document is valid: {after:#}\n{fixed}");
}

#[test]
fn a_mistake_in_archlens_toml_is_shown_where_it_is() {
    let workspace = Workspace::new();
    let text = "[rules]\nignroe = [\"API001\"]\n";
    let uri = workspace.write("archlens.toml", text);
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    server.open(&uri, 1, text);
    let published = server.wait_for_publish(&uri, 1);
    let diagnostics = published["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{published:#}");
    assert_eq!(diagnostics[0]["range"], range(1, 0, 6), "the unknown key: {published:#}");
    assert!(diagnostics[0]["message"].as_str().is_some_and(|message| message.contains("unknown field")), "{published:#}");
    // Fixed: the diagnostic goes.
    server.change(&uri, 2, vec![json!({ "text": "[rules]\nignore = [\"API001\"]\n" })]);
    let fixed = server.wait_for_publish(&uri, 2);
    assert_eq!(fixed["diagnostics"], json!([]), "{fixed:#}");
}

#[test]
fn workspace_diagnostics_can_be_turned_off() {
    let workspace = Workspace::new();
    let uri = workspace.write("specs/users.yaml", &api_document("/users/", "listUsers"));
    let mut server = Client::start();
    server.initialize_with(&workspace.root, utf16_client(), json!({ "archlens": { "diagnostics": { "workspace": false } } }));
    // An open document is still checked…
    let opened = workspace.write("openapi.yaml", &api_document("/items/", "listItems"));
    server.open(&opened, 1, &api_document("/items/", "listItems"));
    let published = server.wait_for_publish(&opened, 1);
    assert_eq!(codes(&published), ["API004"], "{published:#}");
    // …but the document that is not open is not.
    server.collect_for(Duration::from_millis(1500));
    assert!(
        !server.queue.iter().any(|message| message["params"]["uri"] == uri),
        "the workspace scan ran although it is off: {}",
        server.describe_queue()
    );
}

#[test]
fn workspace_pull_reports_files_that_are_not_open_and_what_did_not_change() {
    let workspace = Workspace::new();
    let uri = workspace.write("specs/users.yaml", &api_document("/users/", "listUsers"));
    let clean = workspace.write("specs/orders.yaml", &api_document("/orders", "listOrders"));
    let mut server = Client::start();
    let capabilities = json!({
        "general": { "positionEncodings": ["utf-16"] },
        "textDocument": { "diagnostic": { "dynamicRegistration": false } },
        "workspace": { "diagnostics": { "refreshSupport": true } }
    });
    let result = server.initialize(&workspace.root, capabilities);
    assert_eq!(result["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"], true, "{result:#}");

    // Nothing is open: the pull waits for the start-up scan and reports both documents.
    let report = server.call("workspace/diagnostic", json!({ "previousResultIds": [] }));
    let items = report["items"].as_array().unwrap_or_else(|| panic!("no items: {report:#}"));
    let users = items.iter().find(|item| item["uri"] == uri).unwrap_or_else(|| panic!("{uri} missing: {report:#}"));
    assert_eq!(users["kind"], "full", "{users:#}");
    assert!(users["version"].is_null(), "a file that is not open has no version: {users:#}");
    assert_eq!(codes(users), ["API004"], "{users:#}");
    assert_eq!(users["items"][0]["range"], range(PATH_LINE, 2, 9));
    let orders = items.iter().find(|item| item["uri"] == clean).unwrap_or_else(|| panic!("{clean} missing: {report:#}"));
    assert!(diagnostics_of(orders).is_empty(), "{orders:#}");

    // Asked again with the result ids it got, the server says nothing changed.
    let previous: Vec<Value> = items.iter().map(|item| json!({ "uri": item["uri"], "value": item["resultId"] })).collect();
    let again = server.call("workspace/diagnostic", json!({ "previousResultIds": previous }));
    let kinds: Vec<&Value> = again["items"].as_array().unwrap().iter().map(|item| &item["kind"]).collect();
    assert!(!kinds.is_empty() && kinds.iter().all(|kind| *kind == "unchanged"), "{again:#}");
}

#[test]
fn a_referenced_file_changed_on_disk_rechecks_its_document() {
    let workspace = Workspace::new();
    let root = SPLIT_ROOT;
    let fragment = &users_fragment("operationId: listUsers");
    let root_uri = workspace.write("openapi.yaml", root);
    let fragment_uri = workspace.write("paths/users.yaml", fragment);
    let mut server = Client::start();
    let capabilities = json!({
        "general": { "positionEncodings": ["utf-16"] },
        "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } }
    });
    server.initialize(&workspace.root, capabilities);
    let registration = server.wait_for("client/registerCapability", TIMEOUT, |message| message["method"] == "client/registerCapability");
    let registered = &registration["params"]["registrations"][0];
    assert_eq!(registered["method"], "workspace/didChangeWatchedFiles", "{registration:#}");
    let patterns: Vec<&Value> =
        registered["registerOptions"]["watchers"].as_array().unwrap().iter().map(|watcher| &watcher["globPattern"]).collect();
    assert!(patterns.contains(&&json!("**/*.{yaml,yml,json}")), "{patterns:?}");
    server.open(&root_uri, 1, root);
    let published = server.wait_for_publish(&root_uri, 1);
    assert!(diagnostics_of(&published).is_empty(), "{published:#}");
    server.discard_publishes(&fragment_uri);

    // The fragment (not open) loses its operationId on disk: the document that reads it is
    // checked again and the finding lands on the fragment.
    workspace.write("paths/users.yaml", &fragment.replace("  operationId: listUsers\n", ""));
    server.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": fragment_uri, "type": 2 }] }));
    let rechecked =
        server.wait_for_notification(PUBLISH, |params| params["uri"] == fragment_uri && !with_code(params, "API012").is_empty(), TIMEOUT);
    assert_eq!(the_diagnostic(&rechecked, "API012")["range"], range(0, 0, 3), "{rechecked:#}");

    // Deleted: the reference is broken, which the document reports at its `$ref`.
    std::fs::remove_file(workspace.root.join("paths/users.yaml")).unwrap();
    server.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": fragment_uri, "type": 3 }] }));
    let broken =
        server.wait_for_notification(PUBLISH, |params| params["uri"] == root_uri && !with_code(params, "API025").is_empty(), TIMEOUT);
    assert_eq!(the_diagnostic(&broken, "API025")["range"]["start"]["line"], 10, "{broken:#}");
}

/// A document large enough to be parsed in pieces (and so kept between edits), with findings
/// all over it and non-ASCII prose before them on the same lines.
fn large_document() -> String {
    let mut text = String::from("openapi: 3.0.3\ninfo:\n  title: Big\n  version: '1'\n  description: Ünïcödé 😀 prose\npaths:\n");
    let mut index = 0;
    while text.len() < 300 * 1024 {
        let slash = if index % 7 == 0 { "/" } else { "" };
        text.push_str(&format!(
            "  /items-{index}{slash}:\n    get:\n      operationId: listItems{index}\n      summary: Lists the items 😀 of group {index}\n      description: \"Ça liste les éléments {index}\"\n      responses:\n        '200':\n          description: the items ✓\n"
        ));
        index += 1;
    }
    text.push_str("components:\n  schemas:\n    Item:\n      type: object\n      description: An item ✓\n      properties:\n        email: {type: string}\n");
    text
}

#[test]
fn edits_of_prose_in_a_large_document_publish_what_a_full_check_finds() {
    let text = large_document();
    let workspace = Workspace::new();
    let uri = workspace.write("openapi.yaml", &text);
    let mut server = Client::start_with_env(&[("ARCHLENS_LOG", "archlens::lsp::incremental=debug")]);
    server.initialize(&workspace.root, utf16_client());
    server.open(&uri, 1, &text);
    let first = server.wait_for_publish(&uri, 1);
    assert!(with_code(&first, "API004").len() > 10, "{}", diagnostics_of(&first).len());

    // Type non-ASCII into descriptions and summaries all over the document, break a quoted
    // one over two lines (every finding below moves down a line), then delete some.
    let mut current = text.clone();
    let mut version = 1;
    let mut edit = |server: &mut Client, current: &mut String, at: usize, end: usize, new_text: &str| {
        version += 1;
        let edit = json!({ "range": { "start": position(current, at, Encoding::Utf16), "end": position(current, end, Encoding::Utf16) }, "newText": new_text });
        let (edited, changes) = apply_edits(current, &[edit], Encoding::Utf16);
        server.change(&uri, version, changes);
        *current = edited;
        // Each edit is checked from the last one's report.
        server.wait_for_publish(&uri, version)
    };
    for (needle, typed) in [
        ("Ça liste les éléments 3\"", "é😀"),
        ("Lists the items 😀 of group 40\n", "é😀"),
        ("the items ✓", "é😀"),
        ("Ça liste les éléments 5\"", "\n        more "),
        ("Ça liste les éléments 200", "é😀"),
        ("Ünïcödé", "é😀"),
    ] {
        let at = current.find(needle).unwrap_or_else(|| panic!("{needle} is in the document")) + 2;
        let at = (at..).find(|at| current.is_char_boundary(*at)).unwrap();
        edit(&mut server, &mut current, at, at, typed);
    }
    let deleted = current.find("é😀").unwrap();
    let edited = edit(&mut server, &mut current, deleted, deleted + "é😀".len(), "");
    let moved = server.stderr_tail().matches("findings moved").count();
    assert_eq!(moved, 7, "every edit keeps its findings:{}", server.stderr_tail());

    // The same text, opened afresh, is checked in full.
    let mut fresh = Client::start();
    fresh.initialize(&workspace.root, utf16_client());
    fresh.open(&uri, 1, &current);
    let checked = fresh.wait_for_publish(&uri, 1);
    let without_data = |published: &Value| -> Vec<Value> {
        diagnostics_of(published)
            .iter()
            .map(|diagnostic| {
                let mut diagnostic = diagnostic.clone();
                diagnostic.as_object_mut().unwrap().remove("data");
                diagnostic
            })
            .collect()
    };
    assert_eq!(without_data(&edited), without_data(&checked));
    assert_ne!(without_data(&first), without_data(&checked), "the findings moved with the text");
}

#[test]
fn rust_files_get_diagnostics_and_fixes() {
    let text = "pub async fn create(body: String) -> String {\n    println!(\"created {body}\");\n    body\n}\n";
    let workspace = Workspace::new();
    workspace.extend_select(&["PRC002"]);
    let uri = workspace.write("src/routes.rs", text);
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    server.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri, "languageId": "rust", "version": 1, "text": text } }));
    let published = server.wait_for_publish(&uri, 1);
    let diagnostic = the_diagnostic(&published, "PRC002");
    assert_eq!(diagnostic["range"], range(1, 4, 30), "{diagnostic:#}");
    let actions = server.code_actions(&uri, &diagnostic);
    let fix = action(&actions, "Use `tracing::info!`");
    let (fixed, changes) = apply_edits(text, edits_for(fix, &uri), Encoding::Utf16);
    assert!(fixed.contains("    tracing::info!(\"created {body}\");"), "{fixed}");
    server.change(&uri, 2, changes);
    let published = server.wait_for_publish(&uri, 2);
    assert!(diagnostics_of(&published).is_empty(), "{published:#}");
}

#[test]
fn rust_handlers_follow_the_router_of_their_crate_as_it_is_edited() {
    let workspace = Workspace::new();
    workspace.extend_select(&["PRC005"]);
    // A service that logs through tracing and instruments its handlers one by one: the one
    // left out is reported.
    workspace.write(
        "Cargo.toml",
        "[package]\nname = \"shop\"\nversion = \"0.1.0\"\nedition = \"2024\"\n[dependencies]\naxum = \"0.8\"\ntracing = \"0.1\"\ntracing-subscriber = \"0.3\"\n",
    );
    let router = "mod handlers;\n\nfn app() -> axum::Router {\n    axum::Router::new().route(\"/status\", get(handlers::status)).route(\"/version\", get(handlers::version))\n}\n";
    let main_uri = workspace.write("src/main.rs", router);
    let handlers = "pub async fn status() -> &'static str {\n    \"ok\"\n}\n#[tracing::instrument]\npub async fn version() -> &'static str {\n    \"1\"\n}\n";
    let handlers_uri = workspace.write("src/handlers.rs", handlers);
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": handlers_uri, "languageId": "rust", "version": 1, "text": handlers } }),
    );
    let published = server.wait_for_publish(&handlers_uri, 1);
    let diagnostic = the_diagnostic(&published, "PRC005");
    assert_eq!(diagnostic["range"], range(0, 13, 19), "routed in main.rs, so a handler: {diagnostic:#}");
    server
        .notify("textDocument/didOpen", json!({ "textDocument": { "uri": main_uri, "languageId": "rust", "version": 1, "text": router } }));
    server.wait_for_publish(&main_uri, 1);
    // A tracing layer typed into the router, not saved: the handler is traced now.
    let at = router.find(")\n}").unwrap() + 1;
    let line = router[..at].matches('\n').count();
    let column = at - router[..at].rfind('\n').unwrap() - 1;
    let layer = ".layer(tower_http::trace::TraceLayer::new_for_http())";
    server.change(&main_uri, 2, vec![json!({ "range": range(line, column, column), "text": layer })]);
    server.wait_for_notification(PUBLISH, |params| params["uri"] == handlers_uri.as_str() && !codes(params).contains(&"PRC005"), TIMEOUT);
}

#[test]
fn references_lead_to_their_definitions_and_summarise_them() {
    let workspace = Workspace::new();
    let root = "openapi: 3.1.0\ninfo: {title: Shop, version: '1'}\npaths:\n  /orders/{orderId}:\n    $ref: './paths/order.yaml'\ncomponents:\n  schemas:\n    Money:\n      type: object\n      description: |\n        An amount in a currency.\n\n        Always in minor units.\n      required: [amount]\n      properties:\n        amount: {type: integer}\n        currency: {type: string}\n";
    let fragment = "get:\n  parameters:\n    - $ref: '#/components/parameters/OrderId'\n  responses:\n    '200':\n      description: The order.\n      content:\n        application/json:\n          schema:\n            $ref: '../openapi.yaml#/components/schemas/Money'\ncomponents:\n  parameters:\n    OrderId: {name: orderId, in: path, required: true, schema: {type: string}}\n";
    let root_uri = workspace.write("openapi.yaml", root);
    let fragment_uri = workspace.write("paths/order.yaml", fragment);
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    server.open(&root_uri, 1, root);
    server.open(&fragment_uri, 1, fragment);

    // Across files: the fragment's reference to a schema of the root document.
    let line = 9;
    let column = fragment.lines().nth(line).unwrap().find("../openapi").unwrap() + 3;
    let definition = server.call(
        "textDocument/definition",
        json!({ "textDocument": { "uri": fragment_uri }, "position": { "line": line, "character": column } }),
    );
    assert_eq!(definition["uri"], root_uri.as_str(), "{definition:#}");
    assert_eq!(definition["range"], range(7, 4, 9), "the `Money` key: {definition:#}");
    assert!(!hover_text(&server.hover(&fragment_uri, line, column)).contains(&*workspace.root.to_string_lossy()), "paths are relative");
    let hover = server.hover(&fragment_uri, line, column);
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    for expected in [
        "**`Money`** · object",
        "`components/schemas/Money` in `openapi.yaml`, line 8",
        "An amount in a currency.",
        "`amount`*, `currency`",
    ] {
        assert!(value.contains(expected), "the hover lacks {expected:?}:\n{value}");
    }
    assert!(!value.contains("minor units"), "only the first paragraph: {value}");

    // In the same file.
    let definition = server
        .call("textDocument/definition", json!({ "textDocument": { "uri": fragment_uri }, "position": { "line": 2, "character": 16 } }));
    assert_eq!(definition["uri"], fragment_uri.as_str(), "{definition:#}");
    assert_eq!(definition["range"], range(12, 4, 11), "{definition:#}");
    let hover = server.hover(&fragment_uri, 2, 16);
    assert!(hover["contents"]["value"].as_str().unwrap_or_default().contains("path parameter"), "{hover:#}");

    // A whole file.
    let definition =
        server.call("textDocument/definition", json!({ "textDocument": { "uri": root_uri }, "position": { "line": 4, "character": 14 } }));
    assert_eq!(definition["uri"], fragment_uri.as_str(), "{definition:#}");

    // Not on a reference: nothing.
    let nothing =
        server.call("textDocument/definition", json!({ "textDocument": { "uri": root_uri }, "position": { "line": 0, "character": 2 } }));
    assert!(nothing.is_null(), "{nothing:#}");
}

#[test]
fn hover_explains_rules_named_in_allow_comments_and_the_configuration() {
    let workspace = Workspace::new();
    let config = "[rules]\nignore = [\"API004\"]\n\n[rules.severity]\nsingular-collection = \"error\"\n";
    let config_uri = workspace.write("archlens.toml", config);
    let code = "// archlens: allow(PRC002)\nfn main() {}\n";
    let code_uri = workspace.write("src/main.rs", code);
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    for (uri, line, column, expected) in [
        (&config_uri, 1, 12, "**API004** `trailing-slash-path`"),
        (&config_uri, 4, 3, "**API003** `singular-collection`"),
        (&code_uri, 0, 21, "**PRC002**"),
    ] {
        let hover = server.hover(uri, line, column);
        let value = hover["contents"]["value"].as_str().unwrap_or_default();
        assert!(value.contains(expected) && value.contains("Why it matters") && value.contains("by default"), "{value}");
    }
    let elsewhere = server.hover(&code_uri, 1, 4);
    assert!(elsewhere.is_null(), "{elsewhere:#}");
}

fn hover_text(hover: &Value) -> String {
    hover["contents"]["value"].as_str().unwrap_or_default().to_owned()
}

/// The client capabilities Helix sends in `initialize` (helix-lsp's `Client::initialize`).
fn helix_capabilities() -> Value {
    json!({
        "workspace": {
            "configuration": true,
            "didChangeConfiguration": { "dynamicRegistration": false },
            "workspaceFolders": true,
            "applyEdit": true,
            "symbol": { "dynamicRegistration": false },
            "executeCommand": { "dynamicRegistration": false },
            "inlayHint": { "refreshSupport": false },
            "workspaceEdit": {
                "documentChanges": true,
                "resourceOperations": ["create", "rename", "delete"],
                "failureHandling": "abort",
                "normalizesLineEndings": false
            },
            "didChangeWatchedFiles": { "dynamicRegistration": true, "relativePatternSupport": false },
            "fileOperations": { "willRename": true, "didRename": true }
        },
        "textDocument": {
            "completion": {
                "completionItem": {
                    "snippetSupport": true,
                    "resolveSupport": { "properties": ["documentation", "detail", "additionalTextEdits"] },
                    "insertReplaceSupport": true,
                    "deprecatedSupport": true,
                    "tagSupport": { "valueSet": [1] }
                },
                "completionItemKind": {}
            },
            "hover": { "contentFormat": ["markdown"] },
            "signatureHelp": {
                "signatureInformation": {
                    "documentationFormat": ["markdown"],
                    "parameterInformation": { "labelOffsetSupport": true },
                    "activeParameterSupport": true
                }
            },
            "rename": { "dynamicRegistration": false, "prepareSupport": true, "honorsChangeAnnotations": false },
            "formatting": { "dynamicRegistration": false },
            "codeAction": {
                "codeActionLiteralSupport": { "codeActionKind": { "valueSet": ["", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite", "source", "source.organizeImports"] } },
                "isPreferredSupport": true,
                "disabledSupport": true,
                "dataSupport": true,
                "resolveSupport": { "properties": ["edit", "command"] }
            },
            "publishDiagnostics": { "versionSupport": true, "tagSupport": { "valueSet": [1, 2] } },
            "inlayHint": { "dynamicRegistration": false }
        },
        "window": { "workDoneProgress": true },
        "general": { "positionEncodings": ["utf-8", "utf-32", "utf-16"] }
    })
}

#[test]
fn helix_session_gets_diagnostics_hover_and_fixes() {
    // The shipped languages.toml: archlens next to each language's usual server, and its settings.
    let shipped = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../editors/helix/languages.toml")).unwrap();
    let languages: toml::Value = toml::from_str(&shipped).expect("languages.toml parses");
    let server_table = &languages["language-server"]["archlens"];
    assert_eq!((server_table["command"].as_str(), server_table["args"].as_array().map(Vec::len)), (Some("archlens"), Some(1)));
    assert_eq!(server_table["args"][0].as_str(), Some("lsp"));
    let names: Vec<&str> = languages["language"].as_array().unwrap().iter().map(|language| language["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["yaml", "json", "rust", "toml", "sql"]);
    for language in languages["language"].as_array().unwrap() {
        let servers = language["language-servers"].as_array().unwrap();
        // Helix has a usual server for each language but SQL.
        let usual = if language["name"].as_str() == Some("sql") { 0 } else { 1 };
        assert!(servers.len() > usual && servers.iter().any(|server| server.as_str() == Some("archlens")), "{language:?}");
    }
    let settings: Value = serde_json::to_value(&server_table["config"]).unwrap();

    let workspace = Workspace::new();
    workspace.extend_select(&["PRC002"]);
    let text = "pub async fn create(body: String) -> String {\n    println!(\"créé {body}\");\n    body\n}\n";
    let uri = workspace.write("src/routes.rs", text);
    let mut server = Client::start();
    let root = file_uri(&workspace.root);
    let result = server.call(
        "initialize",
        json!({
            "processId": std::process::id(),
            "workspaceFolders": [{ "uri": root, "name": "shop" }],
            "rootPath": workspace.root.to_str(),
            "rootUri": root,
            "initializationOptions": settings,
            "capabilities": helix_capabilities(),
            "clientInfo": { "name": "helix", "version": "25.07.1" },
        }),
    );
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8", "Helix offers UTF-8 first: {result:#}");
    assert!(result["capabilities"]["diagnosticProvider"].is_null(), "Helix gets pushed diagnostics, as it does not pull");
    server.notify("initialized", json!({}));
    server.notify("workspace/didChangeConfiguration", json!({ "settings": settings }));
    server.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri, "languageId": "rust", "version": 0, "text": text } }));
    let published = server.wait_for_publish(&uri, 0);
    let diagnostic = the_diagnostic(&published, "PRC002");
    // UTF-8 columns: each `é` is two bytes (27 characters in UTF-16).
    assert_eq!(diagnostic["range"], range(1, 4, 29), "{diagnostic:#}");

    let hover = server.hover(&uri, 1, 6);
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(hover_text(&hover).contains("**PRC002**") && hover_text(&hover).contains("Why it matters"));

    // Helix sends the diagnostics under the cursor and no `only`.
    let actions = server.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": range(1, 6, 6), "context": { "diagnostics": [diagnostic], "triggerKind": 1 } }),
    );
    let fix = action(actions.as_array().unwrap(), "Use `tracing::info!`");
    let edits = fix["edit"]["changes"][uri.as_str()].as_array().expect("edits for the file").clone();
    assert_eq!(edits.len(), 1);
    // Helix applies the edit and sends it as an incremental change.
    server.change(&uri, 1, vec![json!({ "range": edits[0]["range"], "text": edits[0]["newText"] })]);
    let published = server.wait_for_publish(&uri, 1);
    assert!(with_code(&published, "PRC002").is_empty(), "{published:#}");
    let shutdown = server.request("shutdown", Value::Null);
    assert!(shutdown.get("error").is_none());
    server.notify("exit", Value::Null);
}

#[test]
fn a_design_choice_can_be_recorded_as_an_adr() {
    let workspace = Workspace::new();
    workspace.write("docs/adr/0001-record-architecture-decisions.md", "# 1. Record decisions\n");
    let text = "use sqlx::PgPool;\n\npub struct Orders {\n    pool: PgPool,\n}\n";
    let uri = workspace.write("src/domain/orders.rs", text);
    let mut server = Client::start();
    let capabilities = json!({ "general": { "positionEncodings": ["utf-16"] }, "window": { "showDocument": { "support": true } } });
    server.initialize(&workspace.root, capabilities);
    server.open(&uri, 1, text);
    let published = server.wait_for_publish(&uri, 1);
    let diagnostic = the_diagnostic(&published, "ARC001");
    let actions = server.code_actions(&uri, &diagnostic);
    let record = action(&actions, "Record an ADR for this decision");
    let command = &record["command"];
    server.call("workspace/executeCommand", json!({ "command": command["command"], "arguments": command["arguments"] }));
    let shown = server.wait_for("window/showDocument", TIMEOUT, |message| message["method"] == "window/showDocument");
    let expected = workspace.uri("docs/adr/0002-layer-violation-arc001-in-src-domain-orders-rs.md");
    assert_eq!(shown["params"]["uri"], expected.as_str(), "{shown:#}");
    let written = std::fs::read_to_string(workspace.root.join("docs/adr/0002-layer-violation-arc001-in-src-domain-orders-rs.md")).unwrap();
    for expected in [
        "status: proposed",
        "# layer violation (ARC001) in src/domain/orders.rs",
        "uses `sqlx::PgPool`",
        "## Decision Outcome",
        "### Consequences",
    ] {
        assert!(written.contains(expected), "{expected:?} is missing:\n{written}");
    }
    // The record it writes is a complete record.
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_archlens"))
        .args(["check", "--select", "PRC010"])
        .arg(workspace.root.join("docs/adr/0002-layer-violation-arc001-in-src-domain-orders-rs.md"))
        .output()
        .unwrap();
    assert!(
        check.status.success() && String::from_utf8_lossy(&check.stdout).contains("no findings"),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn a_migration_is_checked_again_when_an_earlier_one_changes() {
    let workspace = Workspace::new();
    workspace.extend_select(&["DB003"]);
    // A repository where the migrations are not committed yet: unreleased, so judged.
    let git = std::process::Command::new("git").args(["init", "-q"]).current_dir(&workspace.root).status();
    assert!(git.is_ok_and(|status| status.success()), "git init");
    let create = "CREATE TABLE orders (id uuid PRIMARY KEY);\n";
    let first = workspace.write("migrations/20240101000000_create_orders.sql", create);
    let add = "ALTER TABLE orders ADD COLUMN channel text NOT NULL;\n";
    let second = workspace.write("migrations/20240102000000_add_channel.sql", add);
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    server.open(&second, 1, add);
    let published = server.wait_for_publish(&second, 1);
    let diagnostic = the_diagnostic(&published, "DB003");
    assert_eq!(diagnostic["range"], range_of(add, "channel", Encoding::Utf16));
    let actions = server.code_actions(&second, &diagnostic);
    let allow = action(&actions, "Allow DB003 (not-null-without-default) for this statement");
    let (allowed, _) = apply_edits(add, edits_for(allow, &second), Encoding::Utf16);
    assert_eq!(allowed, format!("-- archlens: allow(DB003)\n{add}"));

    // In the editor, unsaved: the table is created under another name, so the later migration
    // no longer alters a table with rows.
    server.open(&first, 1, create);
    server.change(&first, 2, vec![json!({ "text": create.replace("orders", "purchases") })]);
    server.wait_for_notification(PUBLISH, |params| params["uri"] == second && with_code(params, "DB003").is_empty(), TIMEOUT);
}

#[test]
fn a_referenced_file_opened_while_its_document_is_checked_gets_its_findings() {
    // The editor restores a session: the document and the file it references open at once,
    // so the referenced file opens while the document's first check still runs and no report
    // holds it yet. Its findings come from that check, or from one it asks for afterwards.
    for _ in 0..5 {
        let workspace = Workspace::new();
        // Enough operations that the check takes a while.
        let mut document = String::from("openapi: 3.0.3\ninfo: {title: Orders, version: '1'}\npaths:\n");
        for number in 0..400 {
            document.push_str(&format!(
                "  /orders{number}:\n    get:\n      operationId: listOrders{number}\n      responses:\n        '200':\n          description: The orders.\n          content:\n            application/json:\n              schema: {{$ref: 'schemas.yaml#/Order'}}\n"
            ));
        }
        let document = document.as_str();
        let schemas = "Order:\n  type: object\n  properties: {id: {type: string}\n";
        let document_uri = workspace.write("openapi.yaml", document);
        let schemas_uri = workspace.write("schemas.yaml", schemas);
        let mut server = Client::start();
        server.initialize(&workspace.root, utf16_client());
        server.open(&document_uri, 1, document);
        std::thread::sleep(Duration::from_millis(30));
        server.open(&schemas_uri, 1, schemas);
        let published = server.wait_for_notification(
            PUBLISH,
            |params| params["uri"] == schemas_uri.as_str() && codes(params).contains(&"API024"),
            TIMEOUT,
        );
        assert_eq!(published["version"], 1, "{published:#}");
    }
}

#[test]
fn spec_drift_follows_both_files_and_the_fix_adds_the_operation() {
    let workspace = Workspace::new();
    workspace.extend_select(&["ARC002", "ARC003"]);
    workspace.write("Cargo.toml", "[package]\nname = \"shop\"\nversion = \"0.1.0\"\nedition = \"2024\"\n");
    let spec = "openapi: 3.1.0\ninfo: {title: Shop, version: '1'}\nservers:\n  - url: https://shop.example.com/v1\npaths:\n  /orders:\n    get:\n      operationId: listOrders\n      responses:\n        '200': {description: OK}\n";
    let spec_uri = workspace.write("openapi.yaml", spec);
    let router = "fn app() -> axum::Router {\n    let api = axum::Router::new()\n        .route(\"/orders\", get(list_orders))\n        .route(\"/orders/:order_id/refund\", post(refund_order));\n    axum::Router::new().route(\"/healthz\", get(health)).nest(\"/v1\", api)\n}\n";
    let main_uri = workspace.write("src/main.rs", router);
    let mut server = Client::start();
    server.initialize(&workspace.root, utf16_client());
    server.open(&main_uri, 1, router);
    server.open(&spec_uri, 1, spec);
    let published =
        server.wait_for_notification(PUBLISH, |params| params["uri"] == main_uri.as_str() && codes(params).contains(&"ARC002"), TIMEOUT);
    let diagnostic = the_diagnostic(&published, "ARC002");
    assert_eq!(diagnostic["range"], range(3, 15, 41), "{diagnostic:#}");
    assert!(diagnostic["message"].as_str().unwrap().contains("`POST /v1/orders/{order_id}/refund`"), "{diagnostic:#}");
    assert_eq!(diagnostic["relatedInformation"][0]["location"]["uri"], spec_uri.as_str());

    // The fix edits the document, not the Rust file.
    let actions = server.code_actions(&main_uri, &diagnostic);
    let fix = action(&actions, "Add POST /orders/{order_id}/refund to `openapi.yaml`");
    let (fixed, changes) = apply_edits(spec, edits_for(fix, &spec_uri), Encoding::Utf16);
    assert!(
        fixed.ends_with("  /orders/{order_id}/refund:\n    post:\n      summary: Refund order\n      operationId: refundOrder\n      parameters:\n        - name: order_id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        \"201\":\n          description: Created\n        \"400\":\n          description: The request is not valid\n        \"404\":\n          description: Not found\n"),
        "{fixed}"
    );
    // Typed into the open document, unsaved: the route is described now.
    server.change(&spec_uri, 2, changes);
    server.wait_for_notification(PUBLISH, |params| params["uri"] == main_uri.as_str() && !codes(params).contains(&"ARC002"), TIMEOUT);

    // A route typed away in the code: the document's operation is no longer served.
    let at = router.find(".route(\"/orders\", get(list_orders))").unwrap();
    let line = router[..at].matches('\n').count();
    let column = at - router[..at].rfind('\n').unwrap() - 1;
    let removed = ".route(\"/orders\", get(list_orders))".len();
    server.change(&main_uri, 2, vec![json!({ "range": range(line, column, column + removed), "text": "" })]);
    let published =
        server.wait_for_notification(PUBLISH, |params| params["uri"] == spec_uri.as_str() && codes(params).contains(&"ARC003"), TIMEOUT);
    let diagnostic = the_diagnostic(&published, "ARC003");
    assert!(diagnostic["message"].as_str().unwrap().starts_with("`GET /orders` is described here"), "{diagnostic:#}");
    assert_eq!(diagnostic["relatedInformation"][0]["location"]["uri"], main_uri.as_str());
}
