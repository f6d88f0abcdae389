BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE orders ADD CONSTRAINT orders_currency_upper CHECK (currency = upper(currency));
COMMIT;
