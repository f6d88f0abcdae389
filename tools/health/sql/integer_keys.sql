-- integer-key-overflow: smallint/integer columns in primary, unique or foreign keys, with the largest
-- value the planner statistics know of (histogram upper bound or most common values); no table is read.
SELECT DISTINCT ON (n.nspname, c.relname, a.attname)
       n.nspname AS schema, c.relname AS table, a.attname AS column, format_type(a.atttypid, NULL) AS type,
       k.contype::text AS constraint_type, k.conname AS constraint,
       greatest(
           (SELECT max(v) FROM unnest(s.histogram_bounds::text::bigint[]) v),
           (SELECT max(v) FROM unnest(s.most_common_vals::text::bigint[]) v)
       ) AS max_seen,
       least(
           (SELECT min(v) FROM unnest(s.histogram_bounds::text::bigint[]) v),
           (SELECT min(v) FROM unnest(s.most_common_vals::text::bigint[]) v)
       ) AS min_seen
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname
                AND NOT s.inherited
WHERE k.contype IN ('p', 'u', 'f')
  AND a.atttypid IN ('int2'::regtype, 'int4'::regtype)
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY n.nspname, c.relname, a.attname, k.contype
