-- migrate:up
CREATE TABLE sessions (
    id text PRIMARY KEY,
    user_id bigint NOT NULL,
    expires_at timestamptz NOT NULL
);

-- migrate:down
DROP TABLE sessions;
