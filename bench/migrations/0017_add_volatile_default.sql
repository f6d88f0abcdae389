BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE accounts ADD COLUMN api_key uuid DEFAULT gen_random_uuid();
COMMIT;
