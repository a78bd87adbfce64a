//! Rules over Rust backend source. Each has a tree-sitter query in `queries/rust/` for its
//! pattern and decides the context (async code, tests, start-up) in Rust.

pub mod blocking_call_in_async;
pub mod cache_without_ttl;
pub mod cpu_heavy_in_async;
pub mod database_tls_disabled;
pub mod dependency_built_per_request;
pub mod handler_without_span;
pub mod hardcoded_secret;
pub mod http_client_without_timeout;
pub mod internal_error_leaked;
pub mod jwt_validation_disabled;
pub mod layer_violation;
pub mod missing_transaction;
pub mod panic_in_handler;
pub mod permissive_cors_with_credentials;
pub mod personal_data_logged;
pub mod print_instead_of_tracing;
pub mod query_in_loop;
pub mod retry_without_backoff;
pub mod sensitive_data_logged;
pub mod sql_built_from_strings;
pub mod swallowed_error;
pub mod tls_verification_disabled;
pub mod unbounded_channel;

use tree_sitter::Node;

use crate::analysis::Finding;
use crate::project::FunctionId;
use crate::rust::RustFile;

/// How code at a node comes to run on the async executor.
pub(crate) enum OnExecutor {
    /// It is async code itself.
    Direct,
    /// It is in a sync function that async code calls (`caller`, through the call of index
    /// `call` in its summary), directly or through other sync functions.
    Through { caller: FunctionId, call: usize },
}

/// Whether blocking work at `node` runs on the async executor, in code that serves (not a
/// test, a build script, start-up, or a command-line tool, which serves nobody
/// concurrently).
pub(crate) fn on_executor(file: &RustFile<'_>, node: Node<'_>) -> Option<OnExecutor> {
    if file.is_start_up(node) || !file.in_service(node) {
        return None;
    }
    if file.is_async(node) {
        return Some(OnExecutor::Direct);
    }
    let function = file.enclosing_fn(node)?;
    // A closure given to `spawn_blocking` inside a sync function is still off the executor.
    if crate::rust::ancestors(node)
        .take_while(|ancestor| ancestor.id() != function.id())
        .any(|ancestor| ancestor.kind() == "closure_expression")
    {
        return None;
    }
    let (caller, call) = file.model.calls.async_caller(file.function_id(function)?)?;
    if file.model.calls.is_start_up(caller) {
        return None;
    }
    Some(OnExecutor::Through { caller, call })
}

/// Related information for work that reaches the executor through a sync function: where
/// async code calls into it.
pub(crate) fn add_async_caller(file: &RustFile<'_>, finding: &mut Finding, caller: FunctionId, call: usize) {
    let name = file.model.function(caller).name.clone();
    relate(
        file,
        finding,
        caller,
        |function| Some(function.calls.get(call)?.place.0.clone()),
        format!("async `{name}` calls it here, on the executor"),
    );
}

/// Points a finding at a place in a function of the model. In the file being checked, the
/// place is read from what the file says now: the model may date from an earlier text
/// whose edit moved things but said nothing new (see `workspace::model`).
pub(crate) fn relate(
    file: &RustFile<'_>,
    finding: &mut Finding,
    function: FunctionId,
    place: impl Fn(&crate::rust::summary::FunctionSummary) -> Option<std::ops::Range<usize>>,
    message: String,
) {
    let model = file.model;
    let other = &model.files[function.file];
    if other.path == file.path {
        if let Some(span) = file.summary().functions.get(function.index).and_then(&place) {
            finding.related(0, span, message);
        }
        return;
    }
    if let Some(span) = place(model.function(function)) {
        finding.elsewhere(other.path.clone(), other.text.clone(), span, message);
    }
}

#[cfg(test)]
mod fix_tests {
    use std::path::Path;
    use std::sync::Arc;

    use crate::config::Config;
    use crate::openapi::edit::apply_edits;

    /// Every rule on, whether on by default or not.
    fn every_rule() -> Config {
        Config { extend_select: vec!["ALL".to_owned()], ..Config::default() }
    }

    /// The text after applying the first fix of the first finding of `code`.
    fn fixed(code: &str, text: &str) -> String {
        let report =
            crate::analysis::rust_source::check_file(Path::new("/w/src/app.rs"), Arc::from(text), &every_rule(), &Default::default());
        let diagnostic = report.files[0].diagnostics.iter().find(|diagnostic| diagnostic.rule.code == code).expect("a finding");
        apply_edits(text, &diagnostic.fixes.first().expect("a fix").edits)
    }

    #[test]
    fn fixes_write_what_the_documentation_says() {
        assert_eq!(
            fixed(
                "SEC013",
                "use sqlx::PgPool;\nasync fn f(pool: &PgPool, id: i64) { sqlx::query(&format!(\"DELETE FROM t WHERE id = {id}\")).execute(pool).await; }\n"
            ),
            "use sqlx::PgPool;\nasync fn f(pool: &PgPool, id: i64) { sqlx::query(\"DELETE FROM t WHERE id = $1\").bind(&id).execute(pool).await; }\n"
        );
        assert_eq!(
            fixed(
                "SCL003",
                "async fn register(Json(form): Json<Form>) -> Result<(), E> {\n    let hash = bcrypt::hash(&form.password, 12)?;\n    save(&form.email, &hash).await\n}\n"
            ),
            "async fn register(Json(form): Json<Form>) -> Result<(), E> {\n    let hash = tokio::task::spawn_blocking(move || bcrypt::hash(&form.password, 12)).await??;\n    save(&form.email, &hash).await\n}\n"
        );
        assert_eq!(
            fixed("SCL004", "fn q() { let (tx, rx) = flume::unbounded::<Job>(); }\n"),
            "fn q() { let (tx, rx) = flume::bounded::<Job>(1024); }\n"
        );
        assert_eq!(
            fixed("SEC012", "fn key() -> EncodingKey { EncodingKey::from_secret(b\"0123456789abcdef\") }\n"),
            "fn key() -> EncodingKey { EncodingKey::from_secret(std::env::var(\"JWT_SECRET\").expect(\"JWT_SECRET must be set\").as_bytes()) }\n"
        );
        assert_eq!(
            fixed("PRC005", "#[get(\"/\")]\n    async fn index() -> &'static str { \"ok\" }\n"),
            "#[get(\"/\")]\n    #[tracing::instrument(skip_all)]\n    async fn index() -> &'static str { \"ok\" }\n"
        );
    }

    #[test]
    fn no_fix_where_it_would_not_compile() {
        let fixes = |code: &str, text: &str| {
            let report =
                crate::analysis::rust_source::check_file(Path::new("/w/src/app.rs"), Arc::from(text), &every_rule(), &Default::default());
            let found: Vec<_> = report.files[0].diagnostics.iter().filter(|diagnostic| diagnostic.rule.code == code).collect();
            assert!(!found.is_empty(), "{code} reports {text}");
            found.iter().map(|diagnostic| diagnostic.fixes.len()).sum::<usize>()
        };
        // The password is used again after the call: a `move` closure would take it.
        assert_eq!(
            fixes(
                "SCL003",
                "async fn h(Json(f): Json<F>) -> Result<(), E> { let h = bcrypt::hash(&f.password, 12)?; check(&f.password); Ok(()) }"
            ),
            0
        );
        // tokio's bounded channel is another type.
        assert_eq!(fixes("SCL004", "fn q() { let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<u8>(); }"), 0);
        // A table name cannot be bound; neither can an unknown database's placeholder.
        assert_eq!(
            fixes(
                "SEC013",
                "use sqlx::PgPool;\nasync fn f(p: &PgPool, t: &str) { sqlx::query(&format!(\"SELECT * FROM {t}\")).execute(p).await; }"
            ),
            0
        );
        assert_eq!(
            fixes(
                "SEC013",
                "async fn f(p: &Pool, id: i64) { sqlx::query(&format!(\"SELECT * FROM t WHERE id = {id}\")).execute(p).await; }"
            ),
            0
        );
        // Secrets in handlers are read at start-up, not with `expect` per request.
        assert_eq!(fixes("SEC012", "async fn h(Json(b): Json<B>) { let api_key = \"Zx8pQ2rT9vW4yB6n\"; call(api_key); }"), 0);
    }
}
