ALTER TABLE sessions ADD COLUMN revoked_at timestamp without time zone;
ALTER TABLE sessions ALTER COLUMN started_at SET DATA TYPE timestamp USING started_at AT TIME ZONE 'UTC';
