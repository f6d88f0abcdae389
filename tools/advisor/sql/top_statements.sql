-- The statements of this database that cost the most in total (schema of the extension spliced in,
-- quoted, by the caller). Calls weight each statement's cost in the advisor's objective.
SELECT query, calls::bigint AS calls, total_exec_time::float8 AS total_ms
FROM {schema}.pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND calls > 0
ORDER BY total_exec_time DESC
LIMIT $1
