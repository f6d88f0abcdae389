-- Metadata-only since PostgreSQL 11: constant and stable defaults.
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE accounts ADD COLUMN is_active boolean NOT NULL DEFAULT true;
ALTER TABLE accounts ADD COLUMN last_seen_at timestamptz DEFAULT now();
COMMIT;
