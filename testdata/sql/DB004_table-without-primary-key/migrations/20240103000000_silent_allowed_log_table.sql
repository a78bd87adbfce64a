-- Append-only log, read by a batch job that scans it whole.
-- archlens: allow(DB004)
CREATE TABLE request_log (at timestamptz NOT NULL, line text NOT NULL);
