CREATE TABLE shipments (
    id       uuid PRIMARY KEY,
    order_id uuid NOT NULL REFERENCES orders (id)
);
-- An index created later in the same migration counts.
CREATE INDEX shipments_order_id_idx ON shipments (order_id);

-- A key's first columns: the primary key of a join table, a unique constraint.
CREATE TABLE order_tags (
    order_id uuid NOT NULL REFERENCES orders (id),
    tag      text NOT NULL,
    PRIMARY KEY (order_id, tag)
);
CREATE TABLE invoices (
    id       uuid PRIMARY KEY,
    order_id uuid NOT NULL UNIQUE REFERENCES orders (id)
);

-- An index from an earlier migration counts: orders (customer_id) gets one here first.
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE TABLE returns (
    id uuid PRIMARY KEY,
    order_id uuid NOT NULL,
    customer_id uuid NOT NULL,
    FOREIGN KEY (customer_id, order_id) REFERENCES orders (customer_id, id)
);
CREATE INDEX returns_order_customer_idx ON returns (order_id, customer_id, id);

-- Temporary tables go away with the session.
CREATE TEMPORARY TABLE order_scratch (order_id uuid REFERENCES orders (id));
