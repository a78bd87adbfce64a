CREATE TABLE refunds (id uuid PRIMARY KEY);
ALTER TABLE refunds ADD COLUMN reason text NOT NULL;
