; SCL004 unbounded-channel: channels without a bound (tokio, std, crossbeam, flume,
; async-channel).
(call_expression
  function: [(scoped_identifier) (identifier)] @function
  (#match? @function "(^|::)(unbounded_channel|unbounded)$|^(std::sync::)?mpsc::channel$")) @call
