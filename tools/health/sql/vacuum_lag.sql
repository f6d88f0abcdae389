-- vacuum-lag: tables whose dead tuples passed the point where autovacuum should have vacuumed them
-- (threshold + scale factor * rows, per-table storage parameters first). $1 = rows, $2 = min dead tuples.
WITH t AS (
    SELECT s.relid, s.schemaname AS schema, s.relname AS table, s.n_live_tup, s.n_dead_tup,
           s.last_vacuum, s.last_autovacuum, s.autovacuum_count,
           greatest(c.reltuples, 0) AS reltuples,
           (SELECT o.option_value FROM pg_options_to_table(c.reloptions) o
            WHERE o.option_name = 'autovacuum_enabled') AS enabled_option,
           coalesce((SELECT o.option_value::float8 FROM pg_options_to_table(c.reloptions) o
                     WHERE o.option_name = 'autovacuum_vacuum_threshold'),
                    current_setting('autovacuum_vacuum_threshold')::float8) AS base_threshold,
           coalesce((SELECT o.option_value::float8 FROM pg_options_to_table(c.reloptions) o
                     WHERE o.option_name = 'autovacuum_vacuum_scale_factor'),
                    current_setting('autovacuum_vacuum_scale_factor')::float8) AS scale_factor
    FROM pg_stat_user_tables s
    JOIN pg_class c ON c.oid = s.relid
    WHERE s.n_dead_tup >= $2
)
SELECT t.schema, t.table, t.n_live_tup, t.n_dead_tup,
       round((t.n_dead_tup::numeric / nullif(t.n_live_tup + t.n_dead_tup, 0)), 3)::float8 AS dead_fraction,
       (t.base_threshold + t.scale_factor * t.reltuples)::bigint AS autovacuum_threshold,
       coalesce(t.enabled_option::bool, true) AND current_setting('autovacuum')::bool AS autovacuum_enabled,
       t.last_vacuum, t.last_autovacuum, t.autovacuum_count,
       EXISTS (SELECT 1 FROM pg_stat_progress_vacuum p WHERE p.relid = t.relid) AS vacuum_running
FROM t
WHERE t.n_dead_tup > t.base_threshold + t.scale_factor * t.reltuples
ORDER BY t.n_dead_tup DESC
LIMIT $1
