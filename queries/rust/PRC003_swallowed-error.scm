; PRC003 swallowed-error: a result thrown away: `let _ = …`, `….ok();` as a statement, and
; an `Err(_)` arm that does nothing (the wildcard, the empty call and the empty arm are
; checked in Rust). Whether it is in a handler is decided in Rust too.
[
  (let_declaration pattern: _ @pattern value: (_) @value) @call
  (expression_statement
    (call_expression
      function: (field_expression field: (field_identifier) @ok (#eq? @ok "ok"))
      arguments: (arguments) @arguments)) @call
  (match_arm
    pattern: (match_pattern (tuple_struct_pattern type: (identifier) @variant (#eq? @variant "Err")))
    value: (_) @arm) @call
]
