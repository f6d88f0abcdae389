-- activity: lock counts by type, mode and granted, in this database and shared objects.
SELECT l.locktype, l.mode, l.granted, count(*) AS locks,
       count(DISTINCT l.pid) AS sessions
FROM pg_locks l
WHERE l.pid <> pg_backend_pid()
  AND (l.database IS NULL OR l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
GROUP BY 1, 2, 3
ORDER BY 3, 4 DESC
LIMIT $1
