-- A later migration gives these columns a time zone: nothing is left to report.
CREATE TABLE jobs (
    id          bigint PRIMARY KEY,
    queued_at   timestamp NOT NULL,
    finished_at timestamp
);
