CREATE TABLE sessions (
    id          text PRIMARY KEY,
    created_at  timestamp NOT NULL DEFAULT now(),
    expires_at  TIMESTAMP(3) WITHOUT TIME ZONE NOT NULL,
    seen_at     timestamp[],
    started_at  timestamptz NOT NULL
);
