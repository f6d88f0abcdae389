-- Where the extensions the advisor uses live (NULL when not installed).
SELECT (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname = 'hypopg') AS hypopg,
       (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname = 'pg_trgm') AS pg_trgm,
       current_setting('server_version_num')::int AS version_num
