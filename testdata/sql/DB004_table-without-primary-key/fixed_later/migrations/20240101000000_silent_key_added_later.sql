-- The next migration adds the key: judged against the schema after every migration.
CREATE TABLE page_views (
    page_id bigint NOT NULL,
    viewed_at timestamptz NOT NULL
);
