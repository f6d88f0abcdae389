-- unused-indexes: valid indexes never scanned since statistics were reset, that enforce nothing.
-- $1 = maximum rows, $2 = minimum size in bytes.
SELECT s.schemaname AS schema, s.indexrelname AS index, s.relname AS table, s.idx_scan AS scans,
       pg_relation_size(s.indexrelid) AS bytes,
       EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = s.indexrelid) AS is_partition,
       (SELECT d.stats_reset FROM pg_stat_database d WHERE d.datname = current_database()) AS stats_reset,
       pg_get_indexdef(s.indexrelid) AS definition
FROM pg_stat_user_indexes s
JOIN pg_index i ON i.indexrelid = s.indexrelid
WHERE s.idx_scan = 0
  AND i.indisvalid
  AND NOT i.indisunique
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = s.indexrelid AND k.contype IN ('p', 'u', 'x'))
  AND pg_relation_size(s.indexrelid) >= $2
ORDER BY pg_relation_size(s.indexrelid) DESC
LIMIT $1
