CREATE TABLE customers (
    id    uuid PRIMARY KEY,
    email text NOT NULL UNIQUE
);

CREATE TABLE orders (
    id          uuid PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES customers (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
    id       uuid PRIMARY KEY,
    order_id uuid NOT NULL,
    sku      text NOT NULL,
    CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
);
