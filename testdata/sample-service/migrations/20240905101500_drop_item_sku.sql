-- Order items keep the product name as sold; the SKU column goes.
ALTER TABLE order_items ADD COLUMN product_name text;

ALTER TABLE order_items DROP COLUMN sku;

-- Deleting an order looked its items up row by row: the foreign key gets its index.
CREATE INDEX CONCURRENTLY order_items_order_id ON order_items (order_id);
