-- cache-hit-ratio: shared-buffer hit ratios of the current database's user tables and indexes.
SELECT coalesce(sum(heap_blks_hit), 0)::bigint AS heap_hit, coalesce(sum(heap_blks_read), 0)::bigint AS heap_read,
       coalesce(sum(idx_blks_hit), 0)::bigint AS index_hit, coalesce(sum(idx_blks_read), 0)::bigint AS index_read,
       current_setting('shared_buffers') AS shared_buffers
FROM pg_statio_user_tables
