-- db_overview: every extension the server offers, with the installed version and schema when installed.
SELECT a.name,
       a.default_version,
       e.extversion AS installed_version,
       n.nspname AS schema
FROM pg_available_extensions a
FULL JOIN pg_extension e ON e.extname = a.name
LEFT JOIN pg_namespace n ON n.oid = e.extnamespace
ORDER BY coalesce(a.name, e.extname)
