-- idle-in-transaction: sessions sitting in an open transaction doing nothing for at least $2 seconds;
-- they hold locks and their snapshot keeps vacuum from removing dead rows.
SELECT a.pid, a.usename AS role, a.datname AS database, a.application_name AS application, a.state,
       round(extract(epoch FROM now() - a.state_change)::numeric, 1)::float8 AS idle_seconds,
       round(extract(epoch FROM now() - a.xact_start)::numeric, 1)::float8 AS xact_seconds,
       age(a.backend_xmin) AS xmin_age,
       (SELECT count(*) FROM pg_locks l WHERE l.pid = a.pid AND l.granted) AS locks_held,
       left(a.query, 200) AS last_query
FROM pg_stat_activity a
WHERE a.state IN ('idle in transaction', 'idle in transaction (aborted)')
  AND a.pid <> pg_backend_pid()
  AND now() - a.state_change >= make_interval(secs => $2)
ORDER BY a.state_change
LIMIT $1
