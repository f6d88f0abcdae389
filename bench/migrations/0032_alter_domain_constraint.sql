BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER DOMAIN money_amount ADD CONSTRAINT money_amount_nonnegative CHECK (VALUE >= 0);
COMMIT;
