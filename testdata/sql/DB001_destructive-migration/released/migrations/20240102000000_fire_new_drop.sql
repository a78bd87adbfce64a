-- Not released yet: the running version may still read the column.
ALTER TABLE customers DROP COLUMN phone;
