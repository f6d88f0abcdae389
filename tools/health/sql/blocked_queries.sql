-- blocked-queries: sessions waiting on a lock held by others for at least $2 seconds, with the blockers.
WITH waiting AS (
    SELECT a.pid, pg_blocking_pids(a.pid) AS blocked_by, a.usename, a.datname, a.query, a.query_start,
           a.state_change
    FROM pg_stat_activity a
    WHERE a.wait_event_type = 'Lock' AND a.pid <> pg_backend_pid()
)
SELECT w.pid, w.blocked_by, w.usename AS role, w.datname AS database,
       round(extract(epoch FROM now() - w.state_change)::numeric, 1)::float8 AS waiting_seconds,
       (SELECT l.mode || ' on ' || coalesce(l.relation::regclass::text, l.locktype)
        FROM pg_locks l WHERE l.pid = w.pid AND NOT l.granted LIMIT 1) AS waiting_for,
       left(w.query, 300) AS query,
       (SELECT json_agg(json_build_object('pid', b.pid, 'state', b.state,
                                          'xact_seconds', round(extract(epoch FROM now() - b.xact_start)::numeric, 1),
                                          'query', left(b.query, 200)))
        FROM pg_stat_activity b WHERE b.pid = ANY (w.blocked_by)) AS blockers
FROM waiting w
WHERE cardinality(w.blocked_by) > 0
  AND now() - w.state_change >= make_interval(secs => $2)
ORDER BY w.state_change
LIMIT $1
