ALTER TABLE products ADD COLUMN discount_amount float(53);
ALTER TABLE products ALTER COLUMN price TYPE FLOAT4;
ALTER TABLE products ADD COLUMN refunds double precision[];
