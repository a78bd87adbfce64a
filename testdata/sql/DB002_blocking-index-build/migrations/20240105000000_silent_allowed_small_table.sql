CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);

-- `orders` is still small: the lock lasts milliseconds.
-- archlens: allow(blocking-index-build)
CREATE INDEX orders_customer_status_idx ON orders (customer_id, status);
