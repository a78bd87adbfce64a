; SEC011 jwt-validation-disabled: jsonwebtoken validation switched off: an expiry check set
; to false (assignment or struct field), signature validation disabled, or insecure_decode
; (which counts only when nothing validates afterwards; decided in Rust).
[
  (assignment_expression
    left: (field_expression field: (field_identifier) @field (#match? @field "^(validate_exp|validate_nbf|validate_aud)$"))
    right: (boolean_literal) @value) @call
  (field_initializer
    field: (field_identifier) @field (#match? @field "^(validate_exp|validate_nbf|validate_aud)$")
    value: (boolean_literal) @value) @call
  (call_expression
    function: [
      (field_expression field: (field_identifier) @method)
      (scoped_identifier name: (identifier) @method)
      (identifier) @method
      (generic_function function: [(scoped_identifier name: (identifier) @method) (identifier) @method])]
    (#match? @method "^(insecure_disable_signature_validation|insecure_decode|dangerous_insecure_decode)$")) @call
]
