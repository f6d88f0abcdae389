-- describe_object: find objects by (schema, name) candidates, tried in order. $1 schemas (NULL = any),
-- $2 names; both bound, never spliced, so a name holding quotes, dots or SQL is only ever compared.
WITH cand AS (
    SELECT * FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS c(schema, name, ord)
)
SELECT cand.ord, 'relation' AS class, c.oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
       pg_table_is_visible(c.oid) AS visible,
       n.nspname IN ('pg_catalog', 'information_schema') AS system
FROM cand
JOIN pg_class c ON c.relname = cand.name AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c', 'i', 'I')
JOIN pg_namespace n ON n.oid = c.relnamespace AND (cand.schema IS NULL OR n.nspname = cand.schema)
UNION ALL
SELECT cand.ord, 'type', t.oid, n.nspname, t.typname, NULL, pg_type_is_visible(t.oid),
       n.nspname IN ('pg_catalog', 'information_schema')
FROM cand
JOIN pg_type t ON t.typname = cand.name AND t.typcategory <> 'A' AND t.typrelid = 0
JOIN pg_namespace n ON n.oid = t.typnamespace AND (cand.schema IS NULL OR n.nspname = cand.schema)
UNION ALL
SELECT DISTINCT ON (cand.ord, n.nspname) cand.ord, 'routine', p.oid, n.nspname, p.proname, NULL,
       pg_function_is_visible(p.oid), n.nspname IN ('pg_catalog', 'information_schema')
FROM cand
JOIN pg_proc p ON p.proname = cand.name
JOIN pg_namespace n ON n.oid = p.pronamespace AND (cand.schema IS NULL OR n.nspname = cand.schema)
ORDER BY 1, 7 DESC, 8, 4
LIMIT 100
