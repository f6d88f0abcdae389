-- db_overview: user schemas with object counts (one pass over pg_class and pg_proc, no per-schema loop).
WITH rels AS (
    SELECT relnamespace AS nsp,
           count(*) FILTER (WHERE relkind = 'r') AS tables,
           count(*) FILTER (WHERE relkind = 'p') AS partitioned_tables,
           count(*) FILTER (WHERE relkind = 'v') AS views,
           count(*) FILTER (WHERE relkind = 'm') AS materialized_views,
           count(*) FILTER (WHERE relkind = 'S') AS sequences,
           count(*) FILTER (WHERE relkind = 'f') AS foreign_tables,
           count(*) FILTER (WHERE relkind IN ('i', 'I')) AS indexes
    FROM pg_class
    GROUP BY relnamespace
), procs AS (
    SELECT pronamespace AS nsp, count(*) AS functions
    FROM pg_proc
    GROUP BY pronamespace
)
SELECT n.nspname AS schema,
       pg_get_userbyid(n.nspowner) AS owner,
       coalesce(r.tables, 0) AS tables,
       coalesce(r.partitioned_tables, 0) AS partitioned_tables,
       coalesce(r.views, 0) AS views,
       coalesce(r.materialized_views, 0) AS materialized_views,
       coalesce(r.sequences, 0) AS sequences,
       coalesce(r.foreign_tables, 0) AS foreign_tables,
       coalesce(r.indexes, 0) AS indexes,
       coalesce(p.functions, 0) AS functions,
       (SELECT e.extname FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
        WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e' LIMIT 1) AS extension
FROM pg_namespace n
LEFT JOIN rels r ON r.nsp = n.oid
LEFT JOIN procs p ON p.nsp = n.oid
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
ORDER BY n.nspname
LIMIT $1
