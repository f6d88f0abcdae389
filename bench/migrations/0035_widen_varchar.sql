-- Binary coercible: no rewrite (the column type is declared in this file).
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
CREATE TABLE IF NOT EXISTS coupons (id bigint PRIMARY KEY, code varchar(16) NOT NULL);
COMMIT;
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE coupons ALTER COLUMN code TYPE varchar(64);
COMMIT;
