CREATE TABLE customers (id bigint PRIMARY KEY, fax text, phone text, email text);
