-- Most of the schema's timestamps carry a time zone: the naive ones are reported one by one.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    acted_at    timestamptz NOT NULL,
    reviewed_at timestamptz
);
