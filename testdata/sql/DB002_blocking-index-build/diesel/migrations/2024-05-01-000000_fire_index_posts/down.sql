DROP INDEX posts_published_at;
