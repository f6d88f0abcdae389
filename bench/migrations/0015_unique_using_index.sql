SET lock_timeout = '5s';
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_display_name_key ON accounts (display_name);
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE accounts ADD CONSTRAINT accounts_display_name_key UNIQUE USING INDEX accounts_display_name_key;
COMMIT;
