-- activity: the oldest open transactions and running queries of client backends.
SELECT a.pid, a.usename AS role, a.datname AS database, a.application_name AS application, a.state,
       a.wait_event_type AS wait_type, a.wait_event,
       round(extract(epoch FROM now() - a.xact_start)::numeric, 1)::float8 AS xact_seconds,
       round(extract(epoch FROM now() - a.query_start)::numeric, 1)::float8 AS query_seconds,
       age(a.backend_xmin) AS xmin_age,
       left(a.query, $2) AS query
FROM pg_stat_activity a
WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
  AND a.xact_start IS NOT NULL
ORDER BY a.xact_start
LIMIT $1
