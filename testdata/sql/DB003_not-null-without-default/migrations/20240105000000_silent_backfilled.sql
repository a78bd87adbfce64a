-- The safe way: nullable, backfilled, then required.
ALTER TABLE orders ADD COLUMN country text;
UPDATE orders SET country = 'DE' WHERE country IS NULL;
ALTER TABLE orders ALTER COLUMN country SET NOT NULL;
