-- autovacuum-disabled: tables whose storage parameters switch autovacuum off (or the TOAST part of it).
-- Anti-wraparound vacuums still run, but dead rows and stale statistics are left to manual jobs.
SELECT n.nspname AS schema, c.relname AS table,
       nullif(c.reltuples, -1)::bigint AS row_estimate,
       pg_stat_get_dead_tuples(c.oid) AS n_dead_tup,
       pg_stat_get_last_vacuum_time(c.oid) AS last_vacuum,
       pg_stat_get_last_analyze_time(c.oid) AS last_analyze,
       array_to_string(ARRAY(SELECT o.option_name || '=' || o.option_value
                             FROM pg_options_to_table(c.reloptions) o
                             WHERE o.option_name = 'autovacuum_enabled'), ',') AS table_option,
       array_to_string(ARRAY(SELECT o.option_name || '=' || o.option_value
                             FROM pg_class tc, pg_options_to_table(tc.reloptions) o
                             WHERE tc.oid = c.reltoastrelid AND o.option_name = 'autovacuum_enabled'), ',')
           AS toast_option
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  -- reloptions are NULL for almost every table: test that first, the option parsing only for the rest.
  AND ((c.reloptions IS NOT NULL
        AND EXISTS (SELECT 1 FROM pg_options_to_table(c.reloptions) o
                    WHERE o.option_name = 'autovacuum_enabled' AND NOT o.option_value::bool))
       OR EXISTS (SELECT 1 FROM pg_class tc, pg_options_to_table(tc.reloptions) o
                  WHERE tc.oid = c.reltoastrelid AND tc.reloptions IS NOT NULL
                    AND o.option_name = 'autovacuum_enabled' AND NOT o.option_value::bool))
ORDER BY c.reltuples DESC, 1, 2
LIMIT $1
