; SCL002 blocking-call-in-async: calls that block the thread they run on.
; Which of them run inside async code is decided in Rust (an async fn or block, not a
; `spawn_blocking` closure, not a test).
(call_expression
  function: (scoped_identifier) @function
  (#match? @function "^(::)?(std::)?thread::sleep$|^(::)?std::fs::[a-z_]+$|^(::)?fs::(read|read_to_string|read_dir|write|copy|remove_file|remove_dir_all|create_dir_all|metadata|rename)$|^(::)?reqwest::blocking::|^(::)?std::net::TcpStream::connect$")) @call
