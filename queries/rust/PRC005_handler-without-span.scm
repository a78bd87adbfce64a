; PRC005 handler-without-span: every function with a name. Whether it is a handler, carries
; `#[instrument]` or sits under a tracing layer of its crate is decided in Rust.
(function_item
  name: (identifier) @name) @function
