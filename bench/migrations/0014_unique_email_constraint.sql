BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE accounts ADD CONSTRAINT accounts_email_unique UNIQUE (email);
COMMIT;
