CREATE TABLE orders (
    id          uuid PRIMARY KEY,
    total_cents bigint NOT NULL
);
