CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE customers (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    email       text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX customers_name_trgm ON customers USING gin (name gin_trgm_ops);
CREATE INDEX customers_email_trgm ON customers USING gin (email gin_trgm_ops);

CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');

CREATE TABLE orders (
    id           uuid PRIMARY KEY,
    customer_id  uuid NOT NULL REFERENCES customers (id),
    status       order_status NOT NULL DEFAULT 'pending',
    total_cents  bigint NOT NULL CHECK (total_cents >= 0),
    currency     char(3) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX orders_customer_id ON orders (customer_id);

CREATE TABLE order_items (
    id                uuid PRIMARY KEY,
    order_id          uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    sku               text NOT NULL,
    quantity          integer NOT NULL CHECK (quantity > 0),
    unit_price_cents  bigint NOT NULL CHECK (unit_price_cents >= 0)
);
