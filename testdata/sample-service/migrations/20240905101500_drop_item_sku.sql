-- Order items keep the product name as sold; the SKU column goes.
ALTER TABLE order_items ADD COLUMN product_name text;

ALTER TABLE order_items DROP COLUMN sku;
