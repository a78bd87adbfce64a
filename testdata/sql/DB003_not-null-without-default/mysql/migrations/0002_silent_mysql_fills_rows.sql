-- MySQL fills the existing rows with the type's implicit default ('').
ALTER TABLE orders ADD COLUMN channel VARCHAR(20) NOT NULL;
