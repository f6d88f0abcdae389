SET lock_timeout = '5s';
SET statement_timeout = '1h';
REINDEX INDEX orders_account_id_idx;
