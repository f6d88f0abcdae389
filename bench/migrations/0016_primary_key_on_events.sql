BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE events ADD PRIMARY KEY (id);
COMMIT;
