; ARC001 layer-violation: the paths a module depends on: `use` declarations, and paths in
; code and types that start with the crate or an infrastructure crate (`sqlx::query`,
; `axum::Json`, `crate::db::Pool`). Which layer each side is in is decided in Rust; crates
; that `[[layers]]` name besides these are seen through the `use` declarations.
(use_declaration argument: (_) @path) @use
(scoped_identifier
  path: (identifier) @root
  (#match? @root "^(crate|axum|actix_web|rocket|warp|sqlx|diesel|sea_orm|redis|reqwest|tower_http|hyper|tokio_postgres|deadpool_postgres|mongodb|lapin|rdkafka)$")) @scoped
(scoped_type_identifier
  path: (identifier) @type_root
  (#match? @type_root "^(crate|axum|actix_web|rocket|warp|sqlx|diesel|sea_orm|redis|reqwest|tower_http|hyper|tokio_postgres|deadpool_postgres|mongodb|lapin|rdkafka)$")) @scoped_type
