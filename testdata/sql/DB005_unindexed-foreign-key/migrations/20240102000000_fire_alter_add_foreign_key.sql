CREATE TABLE coupons (code text PRIMARY KEY);
CREATE TABLE warehouses (id uuid PRIMARY KEY);

ALTER TABLE orders ADD COLUMN coupon_code text;
ALTER TABLE orders ADD CONSTRAINT orders_coupon_fk FOREIGN KEY (coupon_code) REFERENCES coupons (code);
ALTER TABLE order_items ADD COLUMN warehouse_id uuid REFERENCES warehouses (id)
