use crate::analysis::{Fix, Sink};
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;
use tree_sitter::Node;

declare_rule! {
    /// ## What it does
    /// Checks for `.unwrap()`, `.expect(…)`, `panic!`, `todo!` and `unimplemented!` in the body
    /// of an HTTP handler: a function with a route attribute, registered as a route, or
    /// taking a framework extractor. A handler's panicking calls are one finding, on the
    /// first, with the others in related information.
    ///
    /// Values known to be there are left alone:
    /// - constants: a string literal or a constant parsed (`"127.0.0.1:8080".parse()`,
    ///   `VERSION.parse()`, a local bound to a literal), a constructor given only literals and
    ///   constants (`StatusCode::from_u16(302)`, `HeaderName::from_str(HEADER)`), a date
    ///   made of literal numbers;
    /// - what cannot fail in practice: a `Mutex` or `RwLock` taken (`.lock()`, `.read()`,
    ///   `.write()`: a poisoned lock is already a bug elsewhere), `write!` into a `String`,
    ///   serializing with
    ///   `serde_json::to_string`, the time since the epoch, a template rendered, a builder
    ///   of static settings, state registered at start-up (`req.app_data()`, a static's
    ///   `.get()`), a send to a long-lived task (`tx.send(…).await`);
    /// - a value checked first: inside `if x.is_some()`, `is_ok()`, `is_some_and(…)`, after
    ///   `x.is_none()`, `is_err()`, `x.as_ref().err()` or a check helper
    ///   (`check_is_some(x.as_ref(), …)?`), or assigned `Some(…)` earlier (`as_ref()`,
    ///   `clone()` and the like in between count as the same value);
    /// - an identity in a route wrapped in an authentication middleware
    ///   (`#[post(…, wrap = "…")]`);
    /// - calls whose author says why they hold: an `expect` message or a comment beside it
    ///   that states the invariant ("always there", "cannot fail", "checked above");
    /// - debug-only functions (`#[cfg(debug_assertions)]`) and closures handed to a worker
    ///   or a spawned task, which run outside the request.
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
    /// In a handler that returns a `Result`, replaces each `.unwrap()` and `.expect(…)` of the
    /// handler with `?`, when it has no panicking macro left. The fix is not the preferred
    /// one: the error types must convert into the handler's.
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
        // The panicking calls of each handler, in order: one finding per handler.
        let mut handlers: Vec<(Node<'_>, Vec<Panicking<'_>>)> = Vec::new();
        for found in file.matches(self.meta().code) {
            let Some(call) = found.get("call") else { continue };
            let Some(function) = file.enclosing_fn(call) else { continue };
            if !file.is_handler(function) || is_debug_only(file, function) || in_deferred_closure(file, call, function) {
                continue;
            }
            let handler = function.child_by_field_name("name").map(|name| file.text_of(name)).unwrap_or_default();
            let entry = match handlers.iter_mut().find(|(known, _)| known.id() == function.id()) {
                Some(entry) => entry,
                None => {
                    handlers.push((function, Vec::new()));
                    handlers.last_mut().expect("just pushed")
                }
            };
            let Some(receiver) = found.get("receiver") else {
                let name = found.get("macro").map(|name| file.text_of(name)).unwrap_or("panic");
                entry.1.push((call, call, format!("`{name}!` in handler `{handler}` ends the request with a panic"), None));
                continue;
            };
            let Some(method) = found.get("method") else { continue };
            if is_known_present(file, receiver, call, function) || states_an_invariant(file, call, method) {
                continue;
            }
            let name = file.text_of(method);
            let returns_result = function
                .child_by_field_name("return_type")
                .is_some_and(|kind| file.text_of(kind).trim_start_matches(['(', ' ']).starts_with("Result"));
            let fix = returns_result
                .then(|| Fix::new("Return the error with `?`", vec![TextEdit::replace(receiver.end_byte()..call.end_byte(), "?")]));
            entry.1.push((method, call, format!("`.{name}()` in handler `{handler}` panics when the value is missing"), fix));
        }
        for (_, calls) in handlers {
            let Some(((from, call, message, fix), others)) = calls.split_first() else { continue };
            let message = match others.len() {
                0 => message.clone(),
                more => format!("{message} (and {more} more panicking call{} in it)", if more == 1 { "" } else { "s" }),
            };
            let finding = file.report_from(sink, *from, *call, message);
            // One fix for the handler: each call returns its error with `?`, when every one of
            // them can.
            if fix.is_some() && others.iter().all(|(_, _, _, other)| other.is_some()) {
                let edits = std::iter::once(fix)
                    .chain(others.iter().map(|(_, _, _, other)| other))
                    .flatten()
                    .flat_map(|fix| fix.edits.clone())
                    .collect();
                finding.fix(Fix::new("Return the errors with `?`", edits));
            }
            for (other_from, other_call, other_message, _) in others {
                finding.related(0, other_from.start_byte()..other_call.end_byte(), other_message.clone());
            }
        }
    }
}

/// One panicking call of a handler: where its report starts and ends, its message, and the
/// edit that returns its error instead.
type Panicking<'t> = (Node<'t>, Node<'t>, String, Option<Fix>);

/// A function that exists only in debug builds.
fn is_debug_only(file: &RustFile<'_>, function: Node<'_>) -> bool {
    file.attributes(function).any(|attribute| attribute.replace(' ', "").contains("cfg(debug_assertions)"))
}

/// Inside a closure handed to a worker or a spawned task (`execute_after(…, move || …)`,
/// `tokio::spawn(async move { … })` not awaited): it runs after the response, not in it.
fn in_deferred_closure(file: &RustFile<'_>, call: Node<'_>, function: Node<'_>) -> bool {
    crate::rust::ancestors(call).take_while(|node| node.id() != function.id()).any(|node| {
        if !matches!(node.kind(), "closure_expression" | "async_block") {
            return false;
        }
        let callee = node
            .parent()
            .filter(|parent| parent.kind() == "arguments")
            .and_then(|arguments| arguments.parent())
            .and_then(|outer| outer.child_by_field_name("function"))
            .map(|function| file.text_of(function));
        callee.is_some_and(|callee| {
            let last = callee.rsplit(['.', ':']).next().unwrap_or(callee);
            matches!(last, "execute" | "execute_after" | "spawn" | "spawn_local" | "spawn_blocking")
        })
    })
}

/// Whether the author says why the call cannot panic: an `expect` message that states an
/// invariant ("always there", "cannot fail"), or a comment on the line or the three lines
/// above that does ("unwrap is safe", "checked above").
fn states_an_invariant(file: &RustFile<'_>, call: Node<'_>, method: Node<'_>) -> bool {
    const SAYS: [&str; 14] = [
        "always",
        "never",
        "cannot",
        "can't",
        "can not",
        "must be",
        "has to",
        "guaranteed",
        "infallible",
        "checked",
        "should be",
        "should exist",
        "should never",
        "is safe",
    ];
    let says = |text: &str| {
        let lower = text.to_ascii_lowercase();
        SAYS.iter().any(|phrase| lower.contains(phrase))
    };
    if file.text_of(method) == "expect"
        && let Some(arguments) = call.child_by_field_name("arguments")
        && says(file.text_of(arguments))
    {
        return true;
    }
    let line_start = file.text[..call.start_byte()].rfind('\n').map_or(0, |at| at + 1);
    let line_end = file.text[call.end_byte()..].find('\n').map_or(file.text.len(), |at| call.end_byte() + at);
    let above_start = (0..3).fold(line_start, |start, _| file.text[..start.saturating_sub(1)].rfind('\n').map_or(0, |at| at + 1));
    let around = &file.text[above_start..line_end];
    around.lines().filter_map(|line| line.split_once("//").map(|(_, comment)| comment)).any(|comment| {
        let lower = comment.to_ascii_lowercase();
        (lower.contains("unwrap") || lower.contains("expect") || lower.contains("panic") || lower.contains("fail")) && says(comment)
    })
}

/// Adapters that keep what a value holds: `x.as_ref().unwrap()` is present when `x` is.
const ADAPTERS: [&str; 7] = [".as_ref()", ".as_deref()", ".as_mut()", ".as_deref_mut()", ".clone()", ".cloned()", ".copied()"];

/// Whether the value `receiver` is known to be there: see the rule's documentation.
fn is_known_present(file: &RustFile<'_>, receiver: Node<'_>, call: Node<'_>, function: Node<'_>) -> bool {
    let written = file.text_of(receiver);
    let mut text = written;
    while let Some(stripped) = ADAPTERS.iter().find_map(|adapter| text.strip_suffix(adapter)) {
        text = stripped;
    }
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
    let before = &file.text[function.start_byte()..call.start_byte()];
    if receiver.kind() == "call_expression" && known_present_call(file, receiver, before) {
        return true;
    }
    // The identity of a route wrapped in an authentication middleware
    // (`#[post(path = …, wrap = "…")]`): the middleware answered already if there is none.
    if text.ends_with(".identity()") && file.attributes(function).any(|attribute| attribute.contains("wrap")) {
        return true;
    }
    // `tx.send(event).await.unwrap()` to a long-lived task: it fails only when that task is
    // gone, which is a bug of its own.
    if receiver.kind() == "await_expression"
        && let Some(sent) = receiver.named_child(0).filter(|inner| inner.kind() == "call_expression")
        && let Some(send) = sent.child_by_field_name("function").filter(|callee| callee.kind() == "field_expression")
        && send.child_by_field_name("field").is_some_and(|field| matches!(file.text_of(field), "send" | "send_async"))
        && send.child_by_field_name("value").is_some_and(|channel| {
            let name = file.text_of(channel).rsplit(['.', ':']).next().unwrap_or_default().to_ascii_lowercase();
            name.starts_with("tx") || name.ends_with("tx") || name.contains("sender")
        })
    {
        return true;
    }
    // `ml.cookie = Some(value);` earlier in the function.
    if before.contains(&format!("{text} = Some(")) {
        return true;
    }
    // A guard: `if x.is_some() { … x.unwrap() … }`, or `if x.is_none() { return … }` before.
    let guarded_inside = std::iter::successors(call.parent(), |node| node.parent())
        .take_while(|node| node.id() != function.id())
        .filter(|node| node.kind() == "if_expression")
        .filter_map(|node| node.child_by_field_name("condition"))
        .any(|condition| {
            let condition = file.text_of(condition);
            condition.contains(&format!("{text}.is_some()"))
                || condition.contains(&format!("{text}.is_ok()"))
                || condition.contains(&format!("{text}.is_some_and("))
                || condition.contains(&format!("{text}.is_ok_and("))
                || (condition.starts_with(text) && condition.trim_end().ends_with(".unwrap_or(false)"))
        });
    guarded_inside
        || before.contains(&format!("{text}.is_none()"))
        || before.contains(&format!("{text}.is_err()"))
        || before.contains(&format!("{text}.as_ref().err()"))
        || checked_by_helper(before, text)
}

/// `check_is_some(x.as_ref(), …)?;`, `require(x)?`, `ensure_present(&x)?`: a project's own
/// check helper that returns early when the value is missing.
fn checked_by_helper(before: &str, value: &str) -> bool {
    before.split(';').any(|statement| {
        let statement = statement.trim();
        let Some(open) = statement.find('(') else { return false };
        let callee = statement[..open].rsplit([' ', '=', '.', ':']).next().unwrap_or_default().to_ascii_lowercase();
        ["check", "require", "ensure", "validate", "verify"].iter().any(|word| callee.contains(word))
            && statement.ends_with(")?")
            && statement[open..].contains(value)
    })
}

/// Calls whose result is there by construction: see the rule's documentation.
fn known_present_call(file: &RustFile<'_>, call: Node<'_>, before: &str) -> bool {
    let Some(function) = call.child_by_field_name("function") else { return false };
    let arguments = crate::rust::call_arguments(call);
    let constant = |argument: &Node<'_>| {
        let argument =
            if argument.kind() == "reference_expression" { argument.child_by_field_name("value").unwrap_or(*argument) } else { *argument };
        let text = file.text_of(argument);
        matches!(
            argument.kind(),
            "string_literal" | "raw_string_literal" | "integer_literal" | "float_literal" | "boolean_literal" | "char_literal"
        ) || is_constant_name(text.rsplit("::").next().unwrap_or(text))
    };
    let callee = file.text_of(function);
    match function.kind() {
        // `StatusCode::from_u16(302)`, `HeaderName::from_str(HEADER)`, `serde_json::to_string(&x)`.
        "scoped_identifier" | "identifier" => {
            let last = callee.rsplit("::").next().unwrap_or(callee);
            (!arguments.is_empty() && arguments.iter().all(constant))
                || (callee.starts_with("serde_json::to_") && !callee.contains("writer"))
                || (last == "default" && callee.contains("Builder"))
        }
        "field_expression" => {
            let Some(method) = function.child_by_field_name("field").map(|field| file.text_of(field)) else { return false };
            let Some(value) = function.child_by_field_name("value") else { return false };
            let value_text = file.text_of(value);
            match method {
                // `CONSTANT.parse()`, `version.parse()` after `let version = "…";`.
                "parse" | "try_into" | "try_from" => {
                    is_constant_name(value_text.rsplit("::").next().unwrap_or(value_text))
                        || before.contains(&format!("let {value_text} = \""))
                }
                "and_hms_opt" | "from_hms_opt" | "from_ymd_opt" | "with_hms" => !arguments.is_empty() && arguments.iter().all(constant),
                // Time since the epoch, templates, builders of static settings, state set at
                // start-up, statics initialised once.
                // A lock taken: a poisoned lock is already a bug elsewhere.
                "lock" | "read" | "write" => arguments.is_empty(),
                "duration_since" | "elapsed" => true,
                "render_once" | "render" => true,
                "build" => value_text.contains("Builder::default()") || value_text.contains("Builder::new()"),
                "app_data" | "app_state" => true,
                "get" => arguments.is_empty() && is_constant_name(value_text.rsplit("::").next().unwrap_or(value_text)),
                "identity" => false,
                // `.send(..).await` to a long-lived task: fails only when that task is gone.
                _ => false,
            }
        }
        _ => false,
    }
}

/// `TABLE`, `HEADER_DPOP_NONCE`: a constant's or a static's name.
fn is_constant_name(name: &str) -> bool {
    let name = name.split('<').next().unwrap_or(name);
    name.chars().any(|character| character.is_ascii_uppercase())
        && name.chars().all(|character| character.is_ascii_uppercase() || character.is_ascii_digit() || character == '_')
}
