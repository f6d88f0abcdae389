SET lock_timeout = '5s';
SET statement_timeout = '1min';
DROP INDEX IF EXISTS orders_status_idx;
