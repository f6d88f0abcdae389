-- Columns of the resolved tables, with their type and planner statistics (n_distinct < 0 = fraction).
SELECT a.attrelid::bigint AS oid,
       a.attname AS name,
       t.typname AS typname,
       s.n_distinct::float8 AS n_distinct
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname
WHERE a.attrelid = ANY($1::oid[])
  AND a.attnum > 0
  AND NOT a.attisdropped
