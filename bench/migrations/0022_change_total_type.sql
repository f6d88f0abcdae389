BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE orders ALTER COLUMN account_id TYPE bigint;
COMMIT;
