; PRC001 panic-in-handler: what panics. Whether it is inside a handler, and whether the
; value is known to be there (a literal parsed, a lock taken, a guard before), is decided
; in Rust.
[
  (call_expression
    function: (field_expression
      value: (_) @receiver
      field: (field_identifier) @method
      (#match? @method "^(unwrap|expect)$"))) @call
  (macro_invocation
    macro: (identifier) @macro
    (#match? @macro "^(panic|todo|unimplemented)$")) @call
]
