-- Storage identity of every user table, materialized view and index: a changed relfilenode = rewritten.
SELECT c.oid::bigint AS oid,
       format('%I.%I', n.nspname, c.relname) AS name,
       c.relkind::text AS kind,
       c.relfilenode::bigint AS relfilenode
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm', 'i')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp%'
