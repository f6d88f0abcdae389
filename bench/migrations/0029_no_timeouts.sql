-- Cheap DDL, but nothing bounds how long it waits for its lock.
BEGIN;
ALTER TABLE accounts ADD COLUMN nickname text;
COMMIT;
