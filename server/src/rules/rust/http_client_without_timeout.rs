use tree_sitter::Node;

use crate::analysis::{Fix, Sink};
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for reqwest clients made without a timeout: `Client::new()`, and
    /// `Client::builder()` chains that set neither `timeout` nor `connect_timeout`. A
    /// builder kept in a local variable counts its later `.timeout(…)` calls; a client made
    /// with `Client::new()` in a file whose requests set their own `.timeout(…)` is left
    /// alone, as are tests. So is a client that nobody waits on forever: one built in a
    /// command-line tool or in a one-shot command of a binary (`admin`, `migrate`: code
    /// that `main` reaches through neither the server nor a worker loop), and one that
    /// serves only requests the same binaries bound with a `TimeoutLayer`. A client that a
    /// worker's loop reaches is always checked: a hung request there stops the worker.
    ///
    /// ## Why is this bad?
    /// reqwest waits forever by default. When a dependency hangs (a stuck connection, a
    /// server that accepts and never answers), every request that calls it hangs too, holds
    /// its connection and memory, and the hang spreads to the callers of this service:
    /// one slow dependency takes the whole system down.
    ///
    /// ## Example
    /// ```rust
    /// let client = reqwest::Client::builder().user_agent("orders/1.0").build()?;
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// let client = reqwest::Client::builder()
    ///     .timeout(Duration::from_secs(10))
    ///     .user_agent("orders/1.0")
    ///     .build()?;
    /// ```
    ///
    /// ## Fix
    /// Adds `.timeout(Duration::from_secs(10))` to the builder chain, and
    /// `use std::time::Duration;` when the file does not import it.
    pub struct HttpClientWithoutTimeout {
        code: "SCL001",
        name: "http-client-without-timeout",
        area: Scl,
        severity: Warning,
        input: Rust,
    }
}

const TIMEOUTS: [&str; 2] = ["timeout", "connect_timeout"];

impl Check for HttpClientWithoutTimeout {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let (Some(call), Some(function)) = (found.get("call"), found.get("function")) else { continue };
            if file.is_test(call) || !is_reqwest_client(file, function, call) || bounded_elsewhere(file, call) {
                continue;
            }
            let path = file.text_of(function).trim_start_matches("::");
            if path.ends_with("::new") {
                // Requests may set their own timeout.
                if !file.mentions(".timeout(") {
                    file.report(sink, call, format!("`{path}()` makes an HTTP client that waits forever; no request sets a timeout"));
                }
                continue;
            }
            let (methods, end) = chain(file, call);
            if methods.iter().any(|method| TIMEOUTS.contains(method)) || bound_and_timed_later(file, end) || returns_builder(file, call) {
                continue;
            }
            let finding =
                file.report(sink, call, "this HTTP client builder sets no `timeout` or `connect_timeout`: requests may wait forever");
            let mut edits = vec![TextEdit::insert(call.end_byte(), ".timeout(Duration::from_secs(10))")];
            edits.extend(duration_import(file));
            finding.fix(Fix::new("Add `.timeout(Duration::from_secs(10))`", edits).preferred());
        }
    }
}

/// Whether what runs the client bounds its requests anyway, or nobody waits on it: code
/// that runs only in command-line tools or in one-shot commands of a binary (the user
/// watches it and can interrupt it), and code that serves only requests under a
/// `TimeoutLayer` of the same binaries. A worker's loop reaching it bounds nothing.
fn bounded_elsewhere(file: &RustFile<'_>, call: Node<'_>) -> bool {
    let kind = file.code_kind();
    if kind.is_command_line_only() {
        return true;
    }
    let Some(function) = file.enclosing_fn(call).and_then(|function| file.function_id(function)) else { return false };
    let runs = file.model.calls.runs_in(function);
    if runs.worker {
        return false;
    }
    (kind.command_line && runs.one_shot()) || (runs.server && file.model.layer_around(file.path, "TimeoutLayer"))
}

/// Whether `Client::new()` / `Client::builder()` is reqwest's: the path says so, or the file
/// imports `Client` from reqwest (a project's own `Client::new(url, timeout)` is not), and
/// `new` takes no argument.
fn is_reqwest_client(file: &RustFile<'_>, function: Node<'_>, call: Node<'_>) -> bool {
    let canonical = file.canonical_path(file.text_of(function), call);
    let arguments = call.child_by_field_name("arguments").map_or(0, |arguments| arguments.named_child_count());
    canonical.first().is_some_and(|first| first == "reqwest") && !(canonical.last().is_some_and(|last| last == "new") && arguments > 0)
}

/// Whether the builder is what its function returns (`fn client_builder() ->
/// reqwest::ClientBuilder`): its callers finish it, timeouts included.
fn returns_builder(file: &RustFile<'_>, call: Node<'_>) -> bool {
    file.enclosing_fn(call)
        .and_then(|function| function.child_by_field_name("return_type"))
        .is_some_and(|kind| file.text_of(kind).contains("ClientBuilder"))
}

/// The methods called on a builder, in order, and the outermost call of the chain.
fn chain<'f, 't>(file: &RustFile<'f>, start: Node<'t>) -> (Vec<&'f str>, Node<'t>) {
    let mut methods = Vec::new();
    let mut end = start;
    while let Some(field) = end.parent().filter(|parent| parent.kind() == "field_expression")
        && let Some(call) = field.parent().filter(|parent| parent.kind() == "call_expression")
    {
        if let Some(name) = field.child_by_field_name("field") {
            methods.push(file.text_of(name));
        }
        end = call;
    }
    (methods, end)
}

/// `let builder = Client::builder();` and a `builder.timeout(…)` (or `connect_timeout`)
/// later in the same block.
fn bound_and_timed_later(file: &RustFile<'_>, end: Node<'_>) -> bool {
    let Some(declaration) = end.parent().filter(|parent| parent.kind() == "let_declaration") else { return false };
    let Some(name) = declaration.child_by_field_name("pattern").map(|pattern| file.text_of(pattern).trim_start_matches("mut ").trim())
    else {
        return false;
    };
    let rest = declaration.parent().map_or("", |block| &file.text[declaration.end_byte()..block.end_byte()]);
    // Each later statement that continues the builder: `builder = builder.timeout(…);`,
    // `builder\n    .timeout(…)`.
    rest.split(';').any(|statement| {
        let compact: String = statement.split_whitespace().collect();
        (compact.starts_with(name) || compact.contains(&format!("={name}.")))
            && TIMEOUTS.iter().any(|method| compact.contains(&format!("{name}.{method}(")) || compact.contains(&format!(".{method}(")))
    })
}

/// `use std::time::Duration;` where the file needs it: before its first `use`, or after
/// its inner attributes and doc comments.
fn duration_import(file: &RustFile<'_>) -> Option<TextEdit> {
    let root = file.tree.root_node();
    let mut cursor = root.walk();
    let items: Vec<Node<'_>> = root.named_children(&mut cursor).collect();
    let uses: Vec<&Node<'_>> = items.iter().filter(|item| item.kind() == "use_declaration").collect();
    if uses.iter().any(|item| file.text_of(**item).contains("Duration")) {
        return None;
    }
    let at = match uses.first() {
        Some(first) => first.start_byte(),
        None => items
            .iter()
            .take_while(|item| {
                item.kind() == "inner_attribute_item" || (item.kind() == "line_comment" && file.text_of(**item).starts_with("//!"))
            })
            .last()
            .map_or(0, |item| file.text[item.end_byte()..].find('\n').map_or(file.text.len(), |newline| item.end_byte() + newline + 1)),
    };
    Some(TextEdit::insert(at, "use std::time::Duration;\n"))
}
