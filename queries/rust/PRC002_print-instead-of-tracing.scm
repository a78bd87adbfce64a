; PRC002 print-instead-of-tracing: printing macros. Tests, build scripts, examples and the
; `main` function are left out in Rust.
(macro_invocation
  macro: (identifier) @macro
  (#match? @macro "^(println|eprintln|print|eprint|dbg)$")) @call
