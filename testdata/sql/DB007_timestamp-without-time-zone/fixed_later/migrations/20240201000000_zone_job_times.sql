ALTER TABLE jobs ALTER COLUMN queued_at TYPE timestamptz USING queued_at AT TIME ZONE 'UTC';
ALTER TABLE jobs ALTER COLUMN finished_at TYPE timestamptz USING finished_at AT TIME ZONE 'UTC';
