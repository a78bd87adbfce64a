-- `audit_log` is created by the platform team's migrations, not by these.
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id);
