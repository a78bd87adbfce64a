; DB010 missing-transaction: handler functions. Whether one writes several times outside a
; transaction is decided in Rust.
(function_item name: (identifier) @name body: (block) @body) @call
