-- long-running-queries: client statements active for at least $2 seconds.
SELECT a.pid, a.usename AS role, a.datname AS database, a.application_name AS application,
       round(extract(epoch FROM now() - a.query_start)::numeric, 1)::float8 AS query_seconds,
       a.wait_event_type AS wait_type, a.wait_event,
       age(a.backend_xmin) AS xmin_age,
       left(a.query, 300) AS query
FROM pg_stat_activity a
WHERE a.state = 'active'
  AND a.backend_type = 'client backend'
  AND a.pid <> pg_backend_pid()
  AND now() - a.query_start >= make_interval(secs => $2)
ORDER BY a.query_start
LIMIT $1
