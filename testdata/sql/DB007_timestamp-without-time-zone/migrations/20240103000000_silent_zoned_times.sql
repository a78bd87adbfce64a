CREATE TABLE events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    logged_at   timestamp with time zone,
    day         date NOT NULL,
    opens       time,
    duration    interval
);
ALTER TABLE sessions ALTER COLUMN revoked_at TYPE timestamptz USING revoked_at AT TIME ZONE 'UTC';
