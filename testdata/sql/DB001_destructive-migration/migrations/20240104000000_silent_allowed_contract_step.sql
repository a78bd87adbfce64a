-- The contract step of replacing `customer_id` with `buyer_id` (expanded in release 41):
-- no running code reads it since release 42.
-- archlens: allow(DB001)
ALTER TABLE purchases DROP COLUMN customer_id;
