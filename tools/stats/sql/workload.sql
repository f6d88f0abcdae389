-- The statements of the current database that cost the most in total: the workload the advisors read.
-- Runs with search_path set to the extension's schema (see workload.py); $1 int: how many.
SELECT query, calls::bigint AS calls, total_exec_time::float8 AS total_ms
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND calls > 0
  AND query IS NOT NULL
ORDER BY total_exec_time DESC
LIMIT $1
