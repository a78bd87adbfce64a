CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
-- SQLite refuses this even though the table is new and empty.
ALTER TABLE notes ADD COLUMN title TEXT NOT NULL;
