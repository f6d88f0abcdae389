SET lock_timeout = '5s';
REINDEX INDEX CONCURRENTLY orders_account_id_idx;
