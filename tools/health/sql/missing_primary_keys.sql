-- missing-primary-key: ordinary and partitioned tables (not partitions) with no primary key.
SELECT n.nspname AS schema, c.relname AS table, c.relkind::text AS relkind,
       nullif(c.reltuples, -1)::bigint AS row_estimate,
       CASE WHEN c.relkind = 'r' THEN pg_total_relation_size(c.oid) END AS bytes,
       c.relreplident::text AS replica_identity,
       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid
               AND i.indpred IS NULL AND i.indexprs IS NULL) AS has_unique_index
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND d.deptype = 'e')
ORDER BY c.reltuples DESC, 1, 2
LIMIT $1
