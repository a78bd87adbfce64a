; SEC014 sensitive-data-logged: tracing and log macros. Which arguments carry secrets or
; personal data is decided in Rust.
(macro_invocation
  macro: [(identifier) (scoped_identifier)] @macro
  (#match? @macro "(^|::)(trace|debug|info|warn|error|event)$")
  (token_tree) @arguments) @call
