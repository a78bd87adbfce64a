-- squawk-ignore ban-drop-column
ALTER TABLE customers DROP COLUMN legacy_code;

-- safety-assured:start
-- The contract step of an expand/contract change, reviewed.
ALTER TABLE customers RENAME COLUMN nickname TO display_name;
-- safety-assured:end
