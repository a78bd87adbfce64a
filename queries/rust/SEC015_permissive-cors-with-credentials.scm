; SEC015 permissive-cors-with-credentials: where credentials are allowed on a CORS layer
; (tower-http allow_credentials, actix-cors supports_credentials). Whether the same chain
; allows any or a mirrored origin is decided in Rust.
(call_expression
  function: (field_expression field: (field_identifier) @method
    (#match? @method "^(allow_credentials|supports_credentials)$"))) @call
