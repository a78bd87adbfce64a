CREATE TABLE invoices (
    id            uuid PRIMARY KEY,
    total         numeric(19, 4) NOT NULL,
    tax_cents     bigint NOT NULL,
    amount        decimal(12, 2),
    fee           money,
    discount_percent real,
    total_count   double precision,
    exchange_rate double precision,
    score         real
);
