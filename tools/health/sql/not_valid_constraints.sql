-- not-valid-constraints: CHECK, FOREIGN KEY (and, from PostgreSQL 18, NOT NULL) constraints added
-- NOT VALID and never validated, so existing rows are not known to satisfy them.
SELECT n.nspname AS schema, t.relname AS table, k.conname AS constraint, k.contype::text AS type,
       pg_get_constraintdef(k.oid) AS definition
FROM pg_constraint k
JOIN pg_class t ON t.oid = k.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE NOT k.convalidated
  AND k.contype IN ('c', 'f', 'n')
  AND k.conparentid = 0
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1, 2, 3
LIMIT $1
