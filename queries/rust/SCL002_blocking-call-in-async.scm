; SCL002 blocking-call-in-async: calls whose name is one of the thread-blocking functions of
; std (sleep, the file functions, TcpStream::connect) or reqwest's blocking client, written
; with or without their path. Which of them are std's (through the file's imports) and which
; run on the async executor is decided in Rust.
(call_expression
  function: [(identifier) (scoped_identifier)] @function
  (#match? @function "(^|::)(sleep|read|read_to_string|read_dir|write|copy|remove_file|remove_dir|remove_dir_all|create_dir|create_dir_all|metadata|symlink_metadata|rename|canonicalize|set_permissions|hard_link|File::open|File::create|File::create_new|connect|get|post)$|^(::)?reqwest::blocking::")) @call
