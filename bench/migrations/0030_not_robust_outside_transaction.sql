-- No transaction, and statements that fail when re-run.
SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE accounts ADD COLUMN timezone text;
CREATE INDEX CONCURRENTLY accounts_timezone_idx ON accounts (timezone);
