-- cache-hit-ratio: shared-buffer hit ratios of the current database's user tables (with their TOAST)
-- and indexes. One pass over pg_class with the per-relation counters: the pg_statio_user_tables view
-- re-aggregates every table's indexes separately, which is slow on large catalogs.
-- pg_stat_get_blocks_*(0) is 0, so tables without TOAST need no special case.
SELECT coalesce(sum(pg_stat_get_blocks_hit(c.oid) + pg_stat_get_blocks_hit(c.reltoastrelid))
                FILTER (WHERE c.relkind IN ('r', 'm')), 0)::bigint AS heap_hit,
       coalesce(sum(pg_stat_get_blocks_fetched(c.oid) - pg_stat_get_blocks_hit(c.oid)
                    + pg_stat_get_blocks_fetched(c.reltoastrelid) - pg_stat_get_blocks_hit(c.reltoastrelid))
                FILTER (WHERE c.relkind IN ('r', 'm')), 0)::bigint AS heap_read,
       coalesce(sum(pg_stat_get_blocks_hit(c.oid)) FILTER (WHERE c.relkind = 'i'), 0)::bigint AS index_hit,
       coalesce(sum(pg_stat_get_blocks_fetched(c.oid) - pg_stat_get_blocks_hit(c.oid))
                FILTER (WHERE c.relkind = 'i'), 0)::bigint AS index_read,
       current_setting('shared_buffers') AS shared_buffers
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm', 'i')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
