-- The schema keeps naive timestamps everywhere: one decision, reported once, on the first.
CREATE TABLE accounts (
    id         bigint PRIMARY KEY,
    created_at timestamp NOT NULL DEFAULT now()
);
CREATE TABLE logins (
    id         bigint PRIMARY KEY,
    account_id bigint NOT NULL,
    at         timestamp NOT NULL
);
