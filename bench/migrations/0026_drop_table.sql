BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
DROP TABLE IF EXISTS old_sessions;
COMMIT;
