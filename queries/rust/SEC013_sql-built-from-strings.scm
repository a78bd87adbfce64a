; SEC013 sql-built-from-strings: the first argument of a query function or method. Whether it
; was built from strings (format!, concatenation, a variable bound to one) is decided in Rust.
(call_expression
  function: [(identifier) (scoped_identifier) (generic_function) (field_expression)] @function
  (#match? @function "(^|::)(query|query_as|query_scalar|query_with|query_as_with|query_scalar_with|sql_query)(::<.*>)?$|\\.(execute|query|query_one|query_opt|batch_execute|simple_query)$")
  arguments: (arguments . (_) @sql)) @call
