-- describe_object: indexes of relation $1 with method, size, usage and validity.
SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition, am.amname AS method,
       pg_relation_size(i.indexrelid) AS bytes, s.idx_scan AS scans,
       i.indisprimary AS primary, i.indisunique AS unique, i.indisvalid AS valid,
       (SELECT k.conname FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid
        AND k.contype IN ('p', 'u', 'x') LIMIT 1) AS constraint
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_am am ON am.oid = c.relam
LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
WHERE i.indrelid = $1
ORDER BY i.indisprimary DESC, c.relname
LIMIT $2
