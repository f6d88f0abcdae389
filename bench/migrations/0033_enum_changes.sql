-- Retiring an enum label by renaming it, and a raw catalog edit.
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TYPE order_status RENAME VALUE 'canceled' TO 'cancelled';
DELETE FROM pg_enum WHERE enumlabel = 'legacy' AND enumtypid = 'order_status'::regtype;
COMMIT;
