-- SQLite cannot drop a column with a constraint: the table is rebuilt under its own name.
PRAGMA foreign_keys = OFF;
CREATE TABLE items_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    price_cents INTEGER NOT NULL
);
INSERT INTO items_new (id, name, price_cents) SELECT id, name, price_cents FROM items;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;
PRAGMA foreign_keys = ON;
