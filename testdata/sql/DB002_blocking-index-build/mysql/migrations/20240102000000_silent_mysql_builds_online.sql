-- InnoDB builds secondary indexes online: CONCURRENTLY is PostgreSQL's.
CREATE INDEX orders_status_idx ON orders (status);
