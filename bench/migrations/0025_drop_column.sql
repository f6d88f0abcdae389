BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE accounts DROP COLUMN IF EXISTS legacy_flags;
COMMIT;
