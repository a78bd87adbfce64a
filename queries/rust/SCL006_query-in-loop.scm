; SCL006 query-in-loop: a query run (sqlx fetch*/execute on a query chain, tokio-postgres
; query/execute). Whether it runs once per item of a loop is decided in Rust.
(call_expression
  function: (field_expression field: (field_identifier) @method
    (#match? @method "^(fetch_one|fetch_all|fetch_optional|fetch|execute|query|query_one|query_opt)$"))) @call
