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
pub mod missing_transaction;
pub mod panic_in_handler;
pub mod permissive_cors_with_credentials;
pub mod print_instead_of_tracing;
pub mod query_in_loop;
pub mod retry_without_backoff;
pub mod sensitive_data_logged;
pub mod sql_built_from_strings;
pub mod swallowed_error;
pub mod tls_verification_disabled;
pub mod unbounded_channel;
