CREATE TABLE customers (id uuid PRIMARY KEY, email text NOT NULL UNIQUE);

CREATE TABLE order_events (
    order_id uuid NOT NULL,
    kind     text NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);

-- A unique index is not a primary key.
CREATE TABLE IF NOT EXISTS audit.login_attempts (
    email text NOT NULL,
    at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX login_attempts_email_at ON audit.login_attempts (email, at);
