; SCL001 http-client-without-timeout: where a reqwest client is made. Whether a builder
; chain sets a timeout, or requests set their own, is decided in Rust.
(call_expression
  function: (scoped_identifier) @function
  (#match? @function "^(::)?(reqwest::)?Client::(new|builder)$")) @call
