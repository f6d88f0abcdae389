-- The schema pg_stat_statements is installed in, or no row when the extension is not installed.
SELECT n.nspname AS schema
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname = 'pg_stat_statements'
