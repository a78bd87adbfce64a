-- A data migration through a staging table that only lives in this migration.
CREATE TABLE tmp_customer_import (id uuid PRIMARY KEY, full_name text);
INSERT INTO tmp_customer_import SELECT id, full_name FROM customers;
UPDATE customers c SET full_name = t.full_name FROM tmp_customer_import t WHERE t.id = c.id;
DROP TABLE IF EXISTS tmp_customer_import;

-- A column added and dropped again in the same migration.
ALTER TABLE customers ADD COLUMN import_batch integer;
ALTER TABLE customers DROP COLUMN import_batch;

-- Indexes, constraints and views lose no data.
DROP INDEX IF EXISTS orders_customer_id_idx;
ALTER TABLE purchases DROP CONSTRAINT IF EXISTS orders_customer_id_fkey;
DROP VIEW IF EXISTS customer_summaries;
