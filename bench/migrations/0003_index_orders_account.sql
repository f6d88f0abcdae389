-- Index added later to a busy table, without CONCURRENTLY.
SET lock_timeout = '5s';
SET statement_timeout = '30min';
CREATE INDEX orders_account_id_idx ON orders (account_id);
