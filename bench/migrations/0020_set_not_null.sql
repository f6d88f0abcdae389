BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE accounts ALTER COLUMN display_name SET NOT NULL;
COMMIT;
