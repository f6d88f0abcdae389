-- activity: sessions that wait on a lock held by another session, and the sessions they wait on.
-- pg_blocking_pids() is evaluated once per backend (it takes the lock manager's locks, keep it rare).
WITH waits AS (
    SELECT a.pid, pg_blocking_pids(a.pid) AS blocked_by
    FROM pg_stat_activity a
    WHERE a.wait_event_type = 'Lock'
), involved AS (
    SELECT pid FROM waits WHERE cardinality(blocked_by) > 0
    UNION
    SELECT unnest(blocked_by) FROM waits
)
SELECT a.pid, coalesce(w.blocked_by, '{}') AS blocked_by, a.usename AS role, a.datname AS database,
       a.application_name AS application, a.state, a.wait_event_type AS wait_type, a.wait_event,
       round(extract(epoch FROM now() - a.query_start)::numeric, 1)::float8 AS query_seconds,
       round(extract(epoch FROM now() - a.xact_start)::numeric, 1)::float8 AS xact_seconds,
       round(extract(epoch FROM now() - a.state_change)::numeric, 1)::float8 AS state_seconds,
       (SELECT l.mode || ' on ' || coalesce(l.relation::regclass::text, l.locktype)
        FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted LIMIT 1) AS waiting_for,
       left(a.query, $2) AS query
FROM involved i
JOIN pg_stat_activity a ON a.pid = i.pid
LEFT JOIN waits w ON w.pid = a.pid AND cardinality(w.blocked_by) > 0
ORDER BY a.xact_start NULLS LAST
LIMIT $1
