-- Clean-up after the billing rewrite.
DROP TABLE legacy_notes;

ALTER TABLE customers DROP COLUMN legacy_code;
ALTER TABLE customers RENAME COLUMN name TO full_name;

ALTER TABLE orders
    DROP COLUMN IF EXISTS note,
    DROP COLUMN fax;

ALTER TABLE orders RENAME TO purchases;
