; SCL007 dependency-built-per-request: HTTP clients, pools and connections made on the spot.
; Whether that happens inside a handler is decided in Rust.
(call_expression
  function: (scoped_identifier) @function
  (#match? @function "(^|::)(Client::(new|builder)|(PgPool|MySqlPool|SqlitePool|AnyPool|Pool)::connect(_lazy|_with)?|(PgConnection|MySqlConnection|SqliteConnection)::connect(_with)?|redis::Client::open|PgPoolOptions::new|MySqlPoolOptions::new)$")) @call
