; SCL003 cpu-heavy-in-async: password hashing (bcrypt, scrypt, pbkdf2, argon2). Functions are
; matched by their last name, with or without their path; which crate they come from
; (through the file's imports) and whether they run on the async executor is decided in
; Rust. The two forms capture different names: a predicate applies to every match of the
; query, whichever branch matched.
[
  (call_expression
    function: [(identifier) (scoped_identifier)] @function
    (#match? @function "(^|::)(hash|hash_with_result|hash_with_salt|verify|scrypt|scrypt_simple|scrypt_check|pbkdf2|pbkdf2_hmac|pbkdf2_hmac_array)$")) @call
  (call_expression
    function: (field_expression field: (field_identifier) @method
      (#match? @method "^(hash_password|verify_password|hash_password_into)$"))) @call
]
