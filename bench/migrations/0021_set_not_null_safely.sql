-- The safe sequence: CHECK NOT VALID, validate separately, SET NOT NULL uses the check (PG 12+).
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE accounts ADD CONSTRAINT accounts_display_name_not_null CHECK (display_name IS NOT NULL) NOT VALID;
COMMIT;
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30min';
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_display_name_not_null;
COMMIT;
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE accounts ALTER COLUMN display_name SET NOT NULL;
ALTER TABLE accounts DROP CONSTRAINT accounts_display_name_not_null;
COMMIT;
