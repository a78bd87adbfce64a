ALTER TABLE orders ADD COLUMN discount double precision;
ALTER TABLE orders ADD COLUMN shipped_at timestamp;
ALTER TABLE orders ADD COLUMN channel text NOT NULL;

CREATE INDEX orders_created_at ON orders (created_at);
