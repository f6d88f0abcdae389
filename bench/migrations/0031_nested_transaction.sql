BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE accounts ADD COLUMN locale text;
BEGIN;
ALTER TABLE accounts ADD COLUMN region text;
COMMIT;
COMMIT;
