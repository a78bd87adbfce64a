CREATE TABLE tags (name text PRIMARY KEY);

CREATE TABLE customer_tags (
    customer_id uuid NOT NULL REFERENCES customers (id),
    tag         text NOT NULL REFERENCES tags (name),
    CONSTRAINT customer_tags_pkey PRIMARY KEY (customer_id, tag)
);

CREATE TABLE invoices (id uuid NOT NULL, total numeric(19, 4) NOT NULL);
ALTER TABLE invoices ADD CONSTRAINT invoices_pkey PRIMARY KEY (id);

CREATE TABLE payments (id bigint GENERATED ALWAYS AS IDENTITY, amount numeric(19, 4));
ALTER TABLE payments ADD PRIMARY KEY (id);

CREATE TEMPORARY TABLE seen_ids (id uuid);
CREATE TABLE customers_backup AS SELECT * FROM customers;
CREATE TABLE customers_copy (LIKE customers);

CREATE TABLE measurements (id bigint NOT NULL, at timestamptz NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

-- A staging table that this migration drops again.
CREATE TABLE staging_rows (payload jsonb);
DROP TABLE staging_rows;
