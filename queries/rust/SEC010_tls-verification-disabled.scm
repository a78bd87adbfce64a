; SEC010 tls-verification-disabled: certificate or host name checks turned off on a client
; builder (reqwest, native-tls), with a literal or a value decided at run time.
(call_expression
  function: (field_expression
    field: (field_identifier) @method
    (#match? @method "^danger_accept_invalid_(certs|hostnames)$"))
  arguments: (arguments . (_) @argument .)) @call
