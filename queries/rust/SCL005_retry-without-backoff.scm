; SCL005 retry-without-backoff: loops. Whether a loop retries an operation, and how it waits
; between attempts, is decided in Rust.
(loop_expression body: (block) @body) @loop
(for_expression value: (range_expression) body: (block) @body) @loop
(while_expression body: (block) @body) @loop
