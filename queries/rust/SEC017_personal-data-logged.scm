; SEC017 personal-data-logged: tracing and log macros. Which arguments carry personal data is
; decided in Rust.
(macro_invocation
  macro: [(identifier) (scoped_identifier)] @macro
  (#match? @macro "(^|::)(trace|debug|info|warn|error|event)$")
  (token_tree) @arguments) @call
