-- list_objects: one page of relations, routines and types, keyset-paginated.
-- $1 schema (NULL = every non-system schema), $2 kinds (text[]), $3 ILIKE pattern on the name (NULL = all),
-- $4 include extension members, $5..$8 cursor (schema, name, kind, oid) or NULLs, $9 page size + 1.
-- Sizes and comments are computed for the returned page only, so the cost does not grow with the catalog.
WITH objects AS (
    SELECT c.relnamespace AS nsp, c.relname::text AS name,
           CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned_table' WHEN 'v' THEN 'view'
                          WHEN 'm' THEN 'materialized_view' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign_table'
           END AS kind,
           c.oid, 'pg_class'::regclass AS classid, NULL::text AS detail
    FROM pg_class c
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    UNION ALL
    SELECT p.pronamespace, p.proname::text,
           CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
           p.oid, 'pg_proc'::regclass, NULL
    FROM pg_proc p
    UNION ALL
    SELECT t.typnamespace, t.typname::text, 'type', t.oid, 'pg_type'::regclass,
           CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' WHEN 'c' THEN 'composite'
                          WHEN 'r' THEN 'range' WHEN 'm' THEN 'multirange' WHEN 'p' THEN 'pseudo' ELSE 'base' END
    FROM pg_type t
    LEFT JOIN pg_class r ON r.oid = t.typrelid
    WHERE t.typcategory <> 'A'
      AND (t.typrelid = 0 OR r.relkind = 'c')
), filtered AS (
    SELECT n.nspname::text AS schema, o.name, o.kind, o.oid, o.classid, o.detail
    FROM objects o
    JOIN pg_namespace n ON n.oid = o.nsp
    WHERE o.kind = ANY ($2::text[])
      AND (CASE WHEN $1::text IS NULL
                THEN n.nspname NOT IN ('pg_catalog', 'information_schema')
                     AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
                ELSE n.nspname = $1::text END)
      AND ($3::text IS NULL OR o.name ILIKE $3::text)
      AND ($4::bool OR NOT EXISTS (
              SELECT 1 FROM pg_depend d
              WHERE d.classid = o.classid AND d.objid = o.oid AND d.deptype = 'e'))
), page AS (
    SELECT f.*
    FROM filtered f
    WHERE $5::text IS NULL
       OR (f.schema COLLATE "C", f.name COLLATE "C", f.kind COLLATE "C", f.oid)
          > ($5::text COLLATE "C", $6::text COLLATE "C", $7::text COLLATE "C", $8::oid)
    ORDER BY f.schema COLLATE "C", f.name COLLATE "C", f.kind COLLATE "C", f.oid
    LIMIT $9
)
SELECT p.schema, p.name, p.kind, p.oid, p.detail,
       (SELECT count(*) FROM filtered) AS total,
       CASE WHEN p.classid = 'pg_proc'::regclass
            THEN pg_get_function_identity_arguments(p.oid) END AS arguments,
       CASE WHEN p.classid = 'pg_proc'::regclass
            THEN (SELECT pg_get_function_result(p.oid)) END AS returns,
       CASE WHEN p.kind IN ('table', 'materialized_view') THEN pg_total_relation_size(p.oid)
            WHEN p.kind = 'partitioned_table'
            THEN (SELECT sum(pg_total_relation_size(t.relid))::bigint FROM pg_partition_tree(p.oid) t)
       END AS bytes,
       CASE WHEN p.kind IN ('table', 'materialized_view', 'foreign_table')
            THEN (SELECT nullif(c.reltuples, -1)::bigint FROM pg_class c WHERE c.oid = p.oid)
            WHEN p.kind = 'partitioned_table'
            THEN (SELECT sum(greatest(c.reltuples, 0))::bigint
                  FROM pg_partition_tree(p.oid) t JOIN pg_class c ON c.oid = t.relid WHERE t.isleaf)
       END AS row_estimate,
       CASE WHEN p.classid = 'pg_class'::regclass
            THEN (SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = p.oid LIMIT 1)
       END AS partition_of,
       left(obj_description(p.oid, (SELECT relname FROM pg_class WHERE oid = p.classid)), $10) AS comment
FROM page p
ORDER BY p.schema COLLATE "C", p.name COLLATE "C", p.kind COLLATE "C", p.oid
