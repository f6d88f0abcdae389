BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE accounts RENAME COLUMN display_name TO full_name;
COMMIT;
