-- unused-indexes: valid indexes never scanned since statistics were reset, that enforce nothing.
-- $1 = maximum rows, $2 = minimum size in bytes.
-- relpages (kept by CREATE INDEX, VACUUM and ANALYZE) screens candidates cheaply with a wide margin;
-- the exact size is then read only for those, not for every index of a large catalog.
WITH constraint_indexes AS (
    -- pg_constraint has no index on conindid: collect the set once instead of probing per index.
    SELECT DISTINCT conindid FROM pg_constraint WHERE contype IN ('p', 'u', 'x')
), candidates AS MATERIALIZED (
    SELECT s.schemaname AS schema, s.indexrelname AS index, s.relname AS table, s.idx_scan AS scans,
           s.indexrelid
    FROM pg_stat_user_indexes s
    JOIN pg_index i ON i.indexrelid = s.indexrelid
    JOIN pg_class c ON c.oid = s.indexrelid
    WHERE s.idx_scan = 0
      AND i.indisvalid
      AND NOT i.indisunique
      AND NOT EXISTS (SELECT 1 FROM constraint_indexes ci WHERE ci.conindid = s.indexrelid)
      AND c.relpages::float8 * current_setting('block_size')::float8 * 4 >= $2
)
SELECT c.schema, c.index, c.table, c.scans, pg_relation_size(c.indexrelid) AS bytes,
       EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = c.indexrelid) AS is_partition,
       (SELECT d.stats_reset FROM pg_stat_database d WHERE d.datname = current_database()) AS stats_reset,
       pg_get_indexdef(c.indexrelid) AS definition
FROM candidates c
WHERE pg_relation_size(c.indexrelid) >= $2
ORDER BY 5 DESC
LIMIT $1
