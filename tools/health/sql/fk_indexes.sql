-- fk-without-index: foreign keys whose referencing columns are not the leading columns of any valid,
-- non-partial index, so each delete or key update on the referenced table scans the referencing table.
-- Names, sizes and statistics are looked up only for the rows returned. $1 = maximum rows.
WITH missing AS MATERIALIZED (
    SELECT k.oid, k.conrelid, k.conkey, t.reltuples
    FROM pg_constraint k
    JOIN pg_class t ON t.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE k.contype = 'f'
      AND k.conparentid = 0
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND NOT EXISTS (
          SELECT 1
          FROM pg_index i
          WHERE i.indrelid = k.conrelid
            AND i.indisvalid
            AND i.indpred IS NULL
            AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(k.conkey)] @> k.conkey
            AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(k.conkey)] <@ k.conkey
      )
    ORDER BY t.reltuples DESC, k.oid
    LIMIT $1
)
SELECT n.nspname AS schema, t.relname AS table, t.relkind::text AS relkind, k.conname AS constraint,
       ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS x(attnum, i)
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.attnum ORDER BY x.i) AS columns,
       k.confrelid::regclass::text AS references,
       k.confdeltype::text AS on_delete,
       nullif(t.reltuples, -1)::bigint AS row_estimate,
       CASE WHEN t.relkind = 'r' THEN pg_relation_size(t.oid) END AS bytes,
       pg_stat_get_numscans(t.oid) AS seq_scan
FROM missing m
JOIN pg_constraint k ON k.oid = m.oid
JOIN pg_class t ON t.oid = m.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
ORDER BY m.reltuples DESC, n.nspname, t.relname, k.conname
