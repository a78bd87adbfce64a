-- Released long ago: dropping the column already happened in production.
ALTER TABLE customers DROP COLUMN fax;
