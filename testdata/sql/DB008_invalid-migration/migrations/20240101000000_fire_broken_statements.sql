CREATE TABLE customers (
    id    uuid PRIMARY KEY,
    email text NOT NULL UNIQUE,,
    name  text
);

-- Still checked: the broken statement above does not hide this one.
CREATE TABLE orders (id uuid PRIMARY KEY, customer_id uuid NOT NULL REFERENCES customers (id));

ALTER TABLE orders ADD COLUMN note text NOT NULL DEFALT '';
