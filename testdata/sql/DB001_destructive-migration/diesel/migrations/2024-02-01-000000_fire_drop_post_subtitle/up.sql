ALTER TABLE posts DROP COLUMN subtitle;
