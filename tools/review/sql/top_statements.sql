-- The most expensive statements of the current database. {relation} is the quoted
-- schema.pg_stat_statements (spliced with tools/sqlident.py); $1 int: how many.
SELECT s.query
FROM {relation} s
WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND s.query IS NOT NULL
ORDER BY s.total_exec_time DESC
LIMIT $1
