; PRC004 internal-error-leaked: an error's text in a 500 response: a tuple with
; StatusCode::INTERNAL_SERVER_ERROR, or actix's InternalServerError() builder.
[
  (tuple_expression . (_) @status (#match? @status "INTERNAL_SERVER_ERROR$") . (_) @body .) @call
  (call_expression
    function: (field_expression
      value: (call_expression function: (_) @builder (#match? @builder "InternalServerError$"))
      field: (field_identifier) @method (#match? @method "^(body|json)$"))
    arguments: (arguments . (_) @body .)) @call
]
