; SEC016 database-tls-disabled: connection strings with TLS off, and sqlx's SSL mode set to
; Disable. Loopback hosts and tests are left out in Rust.
([(string_literal) (raw_string_literal) (scoped_identifier)] @call
  (#match? @call "sslmode=disable|ssl-mode=DISABLED|sslmode=DISABLED|SslMode::Disabled?$"))
