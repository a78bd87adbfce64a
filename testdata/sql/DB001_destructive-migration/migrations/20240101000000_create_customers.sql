CREATE TABLE customers (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    legacy_code text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    id          uuid PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES customers (id),
    note        text,
    fax         text
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);

CREATE TABLE legacy_notes (id bigint PRIMARY KEY, body text);
