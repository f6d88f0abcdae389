-- connections: client connections against max_connections (minus reserved superuser slots).
SELECT count(*) FILTER (WHERE a.backend_type = 'client backend') AS connections,
       count(*) FILTER (WHERE a.state = 'active' AND a.backend_type = 'client backend') AS active,
       count(*) FILTER (WHERE a.state = 'idle' AND a.backend_type = 'client backend') AS idle,
       count(*) FILTER (WHERE a.state LIKE 'idle in transaction%') AS idle_in_transaction,
       current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int AS reserved_connections
FROM pg_stat_activity a
