-- More of the same choice: listed in the first finding's related information.
ALTER TABLE accounts ADD COLUMN closed_at timestamp;
CREATE TABLE invoices (
    id       bigint PRIMARY KEY,
    due_at   timestamp NOT NULL,
    paid_at  timestamptz
);
