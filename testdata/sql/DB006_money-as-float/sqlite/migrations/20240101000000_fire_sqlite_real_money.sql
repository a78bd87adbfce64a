-- SQLite has no exact decimal type: no fix is offered, store cents in an INTEGER.
CREATE TABLE IF NOT EXISTS expenses (id INTEGER PRIMARY KEY, amount REAL NOT NULL, note TEXT);
