-- A migration tool template added BEGIN/COMMIT around a concurrent build.
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_total_idx ON orders (total);
COMMIT;
