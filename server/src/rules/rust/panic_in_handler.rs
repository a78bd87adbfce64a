use crate::analysis::{Fix, Sink};
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for `.unwrap()`, `.expect(…)`, `panic!`, `todo!` and `unimplemented!` in the body
    /// of an HTTP handler (see the handler detection in the Rust section of the README).
    /// Values known to be there are left alone: a string literal parsed
    /// (`"127.0.0.1:8080".parse().unwrap()`), `write!`/`writeln!` into a `String`, a
    /// `Mutex` or `RwLock` taken (`.lock()`, `.read()`, `.write()`: a poisoned lock is
    /// already a bug elsewhere), and a value checked first (inside `if x.is_some()` or
    /// `is_ok()`, or after an `x.is_none()` or `is_err()` check in the same function).
    ///
    /// ## Why is this bad?
    /// A panic in a handler ends the request without a response the client can use (the
    /// connection drops, or a bare 500 with no error body), skips the error handling and
    /// logging the service has, and, in code that holds a lock, poisons it for every later
    /// request. Input from the network makes "this cannot happen" happen.
    ///
    /// ## Example
    /// ```rust
    /// async fn get_order(State(db): State<PgPool>, Path(id): Path<Uuid>) -> Result<Json<Order>, ApiError> {
    ///     let order = find_order(&db, id).await.unwrap();
    ///     Ok(Json(order))
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// async fn get_order(State(db): State<PgPool>, Path(id): Path<Uuid>) -> Result<Json<Order>, ApiError> {
    ///     let order = find_order(&db, id).await?;
    ///     Ok(Json(order))
    /// }
    /// ```
    ///
    /// ## Fix
    /// In a handler that returns a `Result`, replaces `.unwrap()` or `.expect(…)` with `?`.
    /// The fix is not the preferred one: the error type must convert into the handler's.
    pub struct PanicInHandler {
        code: "PRC001",
        name: "panic-in-handler",
        area: Prc,
        severity: Warning,
        input: Rust,
    }
}

impl Check for PanicInHandler {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let Some(call) = found.get("call") else { continue };
            let Some(function) = file.enclosing_fn(call) else { continue };
            if !file.is_handler(function) {
                continue;
            }
            let handler = function.child_by_field_name("name").map(|name| file.text_of(name)).unwrap_or_default();
            let Some(receiver) = found.get("receiver") else {
                let name = found.get("macro").map(|name| file.text_of(name)).unwrap_or("panic");
                file.report(sink, call, format!("`{name}!` in handler `{handler}` ends the request with a panic"));
                continue;
            };
            if is_known_present(file, receiver, call, function) {
                continue;
            }
            let Some(method) = found.get("method") else { continue };
            let name = file.text_of(method);
            // `unwrap()` itself, not the chain before it.
            let finding =
                file.report_from(sink, method, call, format!("`.{name}()` in handler `{handler}` panics when the value is missing"));
            let returns_result = function
                .child_by_field_name("return_type")
                .is_some_and(|kind| file.text_of(kind).trim_start_matches(['(', ' ']).starts_with("Result"));
            if returns_result {
                finding.fix(Fix::new("Return the error with `?`", vec![TextEdit::replace(receiver.end_byte()..call.end_byte(), "?")]));
            }
        }
    }
}

/// Whether the value `receiver` is known to be there: see the rule's documentation.
fn is_known_present(
    file: &RustFile<'_>,
    receiver: tree_sitter::Node<'_>,
    call: tree_sitter::Node<'_>,
    function: tree_sitter::Node<'_>,
) -> bool {
    let text = file.text_of(receiver);
    // `"…".parse()` and `"…".parse::<T>()`.
    if let Some(rest) = text.strip_prefix('"')
        && let Some((_, method)) = rest.split_once('"')
        && method.trim_start().starts_with(".parse")
    {
        return true;
    }
    if receiver.kind() == "macro_invocation"
        && receiver.child_by_field_name("macro").is_some_and(|name| matches!(file.text_of(name), "write" | "writeln"))
    {
        return true;
    }
    if receiver.kind() == "call_expression"
        && let Some(method) = receiver.child_by_field_name("function").and_then(|function| function.child_by_field_name("field"))
        && matches!(file.text_of(method), "lock" | "read" | "write")
        && receiver.child_by_field_name("arguments").is_some_and(|arguments| arguments.named_child_count() == 0)
    {
        return true;
    }
    // A guard: `if x.is_some() { … x.unwrap() … }`, or `if x.is_none() { return … }` before.
    let guarded_inside = std::iter::successors(call.parent(), |node| node.parent())
        .take_while(|node| node.id() != function.id())
        .filter(|node| node.kind() == "if_expression")
        .filter_map(|node| node.child_by_field_name("condition"))
        .any(|condition| {
            let condition = file.text_of(condition);
            condition.contains(&format!("{text}.is_some()")) || condition.contains(&format!("{text}.is_ok()"))
        });
    let before = &file.text[function.start_byte()..call.start_byte()];
    guarded_inside || before.contains(&format!("{text}.is_none()")) || before.contains(&format!("{text}.is_err()"))
}
