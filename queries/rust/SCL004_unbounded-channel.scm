; SCL004 unbounded-channel: channels without a bound (tokio, std, crossbeam, flume,
; async-channel), with or without a type (`unbounded_channel::<Event>()`).
(call_expression
  function: [
    (scoped_identifier) @function
    (identifier) @function
    (generic_function function: [(scoped_identifier) (identifier)] @function)
  ]
  (#match? @function "(^|::)(unbounded_channel|unbounded)$|^(std::sync::)?mpsc::channel$")) @call
