-- Fine on PostgreSQL 12+ (the value is not used in this transaction).
BEGIN;
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded';
COMMIT;
