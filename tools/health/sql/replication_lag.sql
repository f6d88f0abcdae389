-- replication-lag: on a primary, each standby's replay lag in bytes and seconds; on a standby, its own
-- receive-to-replay gap and the age of the last replayed transaction.
SELECT coalesce(r.application_name, '') AS standby, r.client_addr::text AS address, r.state, r.sync_state,
       pg_wal_lsn_diff(
           CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END,
           r.replay_lsn
       )::bigint AS lag_bytes,
       extract(epoch FROM r.replay_lag)::float8 AS lag_seconds
FROM pg_stat_replication r
UNION ALL
SELECT 'this standby', NULL, 'replaying', NULL,
       pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint,
       extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8
WHERE pg_is_in_recovery()
LIMIT $1
