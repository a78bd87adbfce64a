CREATE TABLE products (
    id             uuid PRIMARY KEY,
    name           text NOT NULL,
    price          double precision NOT NULL,
    "unitCost"     REAL,
    shipping_fee   float8 DEFAULT 0,
    price_cents    float,
    weight_kg      real,
    tax_rate       real NOT NULL DEFAULT 0.19
);
