-- Relation locks this backend holds right now on user objects (the open transaction's locks).
SELECT format('%I.%I', n.nspname, c.relname) AS relation, l.mode
FROM pg_locks l
JOIN pg_class c ON c.oid = l.relation
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE l.pid = pg_backend_pid()
  AND l.granted
  AND l.locktype = 'relation'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
