; ARC001 layer-violation: the paths a module depends on: `use` declarations, and paths in
; code and types (`sqlx::query`, `axum::Json`). Which layer each side is in is decided in Rust.
(use_declaration argument: (_) @path) @use
(scoped_identifier path: (identifier) @root) @scoped
(scoped_type_identifier path: (identifier) @type_root) @scoped_type
