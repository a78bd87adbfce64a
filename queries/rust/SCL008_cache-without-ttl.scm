; SCL008 cache-without-ttl: Redis SET without an expiry: the redis crate's set and mset
; commands, and a SET built with cmd("SET") (an EX or PX argument in the chain silences it,
; decided in Rust).
[
  (call_expression
    function: (field_expression field: (field_identifier) @method (#match? @method "^(set|set_multiple|mset)$"))
    arguments: (arguments)) @call
  (call_expression
    function: [(identifier) (scoped_identifier)] @function (#match? @function "(^|::)cmd$")
    arguments: (arguments . (string_literal) @command (#match? @command "^\"(SET|set|MSET|mset)\"$"))) @call
]
