CREATE INDEX posts_published_at ON posts USING brin (published_at);
