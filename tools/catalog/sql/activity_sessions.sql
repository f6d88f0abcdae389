-- activity: client sessions grouped by database, state and wait type, with the oldest age in each group.
SELECT coalesce(a.datname, '') AS database,
       coalesce(a.state, 'unknown') AS state,
       a.wait_event_type AS wait_type,
       count(*) AS sessions,
       round(max(extract(epoch FROM now() - a.state_change))::numeric, 1)::float8 AS oldest_state_seconds,
       round(max(extract(epoch FROM now() - a.xact_start))::numeric, 1)::float8 AS oldest_xact_seconds
FROM pg_stat_activity a
WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
GROUP BY 1, 2, 3
ORDER BY 4 DESC, 1, 2
LIMIT $1
