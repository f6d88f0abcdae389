-- Ordinary and partitioned tables of the chosen schemas (partitions and extension-owned tables left out).
-- $1 text[]: schemas; $2 text[] or NULL: table names.
SELECT c.oid AS oid,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind = 'p' AS partitioned,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND n.nspname = ANY ($1::text[])
  AND ($2::text[] IS NULL OR c.relname = ANY ($2::text[]))
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  )
ORDER BY n.nspname, c.relname
