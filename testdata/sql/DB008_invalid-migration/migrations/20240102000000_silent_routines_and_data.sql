-- Statements the migration rules do not read are not parsed at all.
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at := now(); -- a `;` inside the body
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

DO $migration$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reporting') THEN
        CREATE ROLE reporting;
    END IF;
END
$migration$;

COMMENT ON TABLE orders IS 'One order; see ADR 0007.';
GRANT SELECT ON orders TO reporting;
INSERT INTO orders (id, customer_id) VALUES ('00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000001');

-- PostgreSQL syntax the parser reads only in part.
DROP INDEX CONCURRENTLY IF EXISTS orders_note_idx;
