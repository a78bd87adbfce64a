-- archlens: allow(DB008)
ALTER TABLE orders ADD COLUMN during tstzrange, ADD CONSTRAINT no_overlap EXCLUDE USING gist (customer_id WITH =, during WITH &&);
