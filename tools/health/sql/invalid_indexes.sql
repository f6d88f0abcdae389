-- invalid-indexes: indexes left INVALID (a failed CREATE INDEX CONCURRENTLY or REINDEX), excluding builds
-- still in progress.
SELECT n.nspname AS schema, ic.relname AS index, tc.relname AS table, ic.relkind::text AS relkind,
       pg_relation_size(i.indexrelid) AS bytes, i.indisready AS ready, i.indisunique AS unique,
       pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
WHERE NOT i.indisvalid
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
  AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid)
ORDER BY 1, 2
LIMIT $1
