-- MySQL stores TIMESTAMP in UTC and converts it for the session.
CREATE TABLE sessions (id VARCHAR(64) PRIMARY KEY, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB;
