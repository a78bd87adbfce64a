; SEC012 hardcoded-secret: string literals that may be secrets: the value of a constant,
; static or variable with a secret-looking name, the argument of a key constructor, or any
; literal in a known key format. Which of them are secrets is decided in Rust.
[
  (const_item name: (identifier) @name value: [(string_literal) (raw_string_literal)] @value) @item
  (static_item name: (identifier) @name value: [(string_literal) (raw_string_literal)] @value) @item
  (let_declaration pattern: (identifier) @name value: [(string_literal) (raw_string_literal)] @value) @item
  (call_expression
    function: (scoped_identifier) @function
    (#match? @function "(EncodingKey|DecodingKey)::from_(secret|base64_secret)$|Hmac(<.*>)?::new_from_slice$|new_from_slice$")
    arguments: (arguments . [(string_literal) (raw_string_literal) (call_expression) (field_expression)] @value)) @item
  (string_literal) @literal
]
