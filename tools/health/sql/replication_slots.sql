-- replication-slots: slots with how much WAL they hold back and the oldest transaction they pin.
-- On a standby the primary's current LSN is unknown; the last received LSN stands in.
SELECT s.slot_name AS slot, s.slot_type AS type, s.database, s.active, s.temporary, s.wal_status,
       pg_wal_lsn_diff(
           CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END,
           s.restart_lsn
       )::bigint AS retained_bytes,
       age(s.xmin)::bigint AS xmin_age, age(s.catalog_xmin)::bigint AS catalog_xmin_age,
       current_setting('max_slot_wal_keep_size') AS max_slot_wal_keep_size
FROM pg_replication_slots s
ORDER BY s.slot_name
LIMIT $1
