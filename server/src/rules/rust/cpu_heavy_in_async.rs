use tree_sitter::Node;

use crate::analysis::{Fix, Sink};
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for password hashing on the async executor: `bcrypt::hash`/`verify`,
    /// `scrypt`, `pbkdf2` (matched through the file's imports: `use bcrypt::verify;` then
    /// `verify(…)`), and argon2's `hash_password`/`verify_password`, called in async code
    /// (an async fn or block, closures inside them included) or in a sync function that
    /// async code calls (the project model follows the calls; the async caller is in
    /// related information), rather than in a closure given to `spawn_blocking` or
    /// `block_in_place`. Tests, start-up code and command-line tools are left alone.
    ///
    /// ## Why is this bad?
    /// Password hashes are slow on purpose: tens to hundreds of milliseconds of CPU each.
    /// On an executor thread, that time is taken from every other task on the thread: a few
    /// logins at once stall unrelated requests, and a burst of logins (or an attacker
    /// trying passwords) stalls the service.
    ///
    /// ## Example
    /// ```rust
    /// async fn login(Json(form): Json<Login>) -> Result<StatusCode, ApiError> {
    ///     let ok = bcrypt::verify(&form.password, &stored_hash)?;
    ///     ...
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// async fn login(Json(form): Json<Login>) -> Result<StatusCode, ApiError> {
    ///     let ok = tokio::task::spawn_blocking(move || bcrypt::verify(&form.password, &stored_hash)).await??;
    ///     ...
    /// }
    /// ```
    ///
    /// ## Fix
    /// Wraps a hashing function whose error is already returned with `?` in
    /// `tokio::task::spawn_blocking(move || …).await??`, where the closure can own what the
    /// arguments name: literals, constants, and variables the function does not use after
    /// the call. The second `?` returns the task's `JoinError`, so the function's error type
    /// needs a `From<tokio::task::JoinError>` (anyhow's error and most `thiserror` enums with
    /// `#[from]` have one). argon2's methods borrow the parsed hash, so they have no automatic
    /// fix: clone what the closure needs first.
    pub struct CpuHeavyInAsync {
        code: "SCL003",
        name: "cpu-heavy-in-async",
        area: Scl,
        severity: Warning,
        input: Rust,
    }
}

impl Check for CpuHeavyInAsync {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let (Some(call), Some(function)) = (found.get("call"), found.get("function").or_else(|| found.get("method"))) else { continue };
            let is_function = found.get("function").is_some();
            let name =
                if is_function { file.canonical_path(file.text_of(function), call).join("::") } else { file.text_of(function).to_owned() };
            if is_function && !is_password_hash(&name) {
                continue;
            }
            let Some(context) = super::on_executor(file, call) else { continue };
            let finding = file.report(sink, call, format!("`{name}` hashes a password on the async executor: move it to `spawn_blocking`"));
            match context {
                super::OnExecutor::Through { caller, call: site } => super::add_async_caller(file, finding, caller, site),
                super::OnExecutor::Direct => {
                    if is_function
                        && let Some(tried) = call.parent().filter(|parent| parent.kind() == "try_expression")
                        && file.can_await(call)
                        && movable_arguments(file, call)
                    {
                        let wrapped = format!("tokio::task::spawn_blocking(move || {}).await??", file.text_of(call));
                        finding.fix(Fix::new(
                            "Run it with `tokio::task::spawn_blocking`",
                            vec![TextEdit::replace(tried.byte_range(), wrapped)],
                        ));
                    }
                }
            }
        }
    }
}

/// The password hashing functions of bcrypt, scrypt and pbkdf2, by their full path.
fn is_password_hash(path: &str) -> bool {
    let Some((krate, function)) = path.split_once("::") else { return false };
    match krate {
        "bcrypt" => matches!(function, "hash" | "hash_with_result" | "hash_with_salt" | "verify"),
        "scrypt" => matches!(function, "scrypt" | "scrypt_simple" | "scrypt_check"),
        "pbkdf2" => matches!(function, "pbkdf2" | "pbkdf2_hmac" | "pbkdf2_hmac_array"),
        _ => false,
    }
}

/// Whether the closure may take what the call's arguments name: each is a literal, a constant
/// or a (borrowed) variable or field that the function does not use again after the call.
fn movable_arguments(file: &RustFile<'_>, call: Node<'_>) -> bool {
    let Some(arguments) = call.child_by_field_name("arguments") else { return false };
    let Some(function) = file.enclosing_fn(call) else { return false };
    let after = &file.text[call.end_byte()..function.end_byte()];
    let mut cursor = arguments.walk();
    arguments.named_children(&mut cursor).all(|argument| {
        let text = file.text_of(argument).trim_start_matches('&');
        let root = text.split(['.', ':']).next().unwrap_or(text);
        let simple = text.chars().all(|character| character.is_alphanumeric() || matches!(character, '_' | '.' | ':' | '"' | ' '));
        let constant = root.chars().all(|character| character.is_ascii_uppercase() || character.is_ascii_digit() || character == '_')
            || text.starts_with('"')
            || text.contains("::");
        // A closure takes only the fields it uses (`form.password`), so other fields of the
        // same variable stay usable.
        let used_after = mentions(after, text, false) || (root != text && mentions(after, root, true));
        simple && (constant || !used_after)
    })
}

/// Whether `path` appears in `text` as a whole (`whole_only`: not followed by a field).
fn mentions(text: &str, path: &str, whole_only: bool) -> bool {
    text.match_indices(path).any(|(at, _)| {
        let before = text[..at].chars().next_back().is_some_and(|character| character.is_alphanumeric() || matches!(character, '_' | '.'));
        let next = text[at + path.len()..].chars().next();
        let after = next.is_some_and(|character| character.is_alphanumeric() || character == '_' || (whole_only && character == '.'));
        !before && !after
    })
}
