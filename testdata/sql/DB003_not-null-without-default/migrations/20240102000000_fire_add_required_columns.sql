ALTER TABLE orders ADD COLUMN channel text NOT NULL;
ALTER TABLE orders
    ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR',
    ADD COLUMN region_code text NOT NULL;
