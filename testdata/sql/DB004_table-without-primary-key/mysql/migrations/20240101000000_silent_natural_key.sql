-- A unique key over columns that are never null names each row: InnoDB clusters the table on it.
CREATE TABLE group_members (
    group_id char(36) NOT NULL,
    user_id  char(36) NOT NULL,
    UNIQUE (group_id, user_id)
);
CREATE TABLE labels (
    name varchar(64) NOT NULL
);
CREATE UNIQUE INDEX labels_name ON labels (name);
