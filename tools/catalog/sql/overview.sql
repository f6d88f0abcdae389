-- db_overview: server, database and connected role in one row. $1 = names of the settings to report.
SELECT current_setting('server_version') AS server_version,
       current_setting('server_version_num')::int AS server_version_num,
       current_database() AS database,
       pg_database_size(current_database()) AS database_bytes,
       pg_is_in_recovery() AS in_recovery,
       extract(epoch FROM now() - pg_postmaster_start_time())::bigint AS uptime_seconds,
       current_user AS role,
       r.rolsuper AS superuser,
       r.rolbypassrls AS bypass_rls,
       r.rolcreaterole AS create_role,
       r.rolcreatedb AS create_db,
       r.rolreplication AS replication,
       ARRAY(
           SELECT b.rolname::text
           FROM pg_roles b
           WHERE b.rolname IN ('pg_monitor', 'pg_read_all_stats', 'pg_read_all_settings', 'pg_read_all_data',
                               'pg_write_all_data', 'pg_signal_backend', 'pg_stat_scan_tables')
             AND pg_has_role(current_user, b.oid, 'MEMBER')
           ORDER BY 1
       ) AS predefined_roles,
       (
           -- pg_settings hides settings this role may not read, so current_setting() cannot fail here.
           SELECT json_object_agg(s.name, current_setting(s.name) ORDER BY s.name)
           FROM pg_settings s
           WHERE s.name = ANY ($1::text[])
       ) AS settings
FROM pg_roles r
WHERE r.rolname = current_user
