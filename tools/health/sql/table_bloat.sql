-- table-bloat: estimated wasted space in tables, from planner statistics (no table is read).
-- Expected pages = rows / rows-per-page, rows-per-page from the average row width in pg_stats, the
-- 24-byte MAXALIGNed tuple header (+ null bitmap), the 4-byte line pointer, the page header and fillfactor.
-- $1 = maximum rows, $2 = minimum wasted bytes, $3 = minimum wasted fraction.
WITH widths AS (
    SELECT s.schemaname, s.tablename, count(*) AS ncols,
           sum((1 - s.null_frac) * s.avg_width) AS data_width, max(s.null_frac) AS max_null_frac
    FROM pg_stats s
    WHERE NOT s.inherited AND s.schemaname NOT IN ('pg_catalog', 'information_schema')
    GROUP BY 1, 2
), tables AS (
    SELECT n.nspname AS schema, c.relname AS table, c.relpages::float8 AS relpages, c.reltuples::float8 AS reltuples,
           current_setting('block_size')::float8 AS bs,
           coalesce((SELECT o.option_value::float8 FROM pg_options_to_table(c.reloptions) o
                     WHERE o.option_name = 'fillfactor'), 100) AS fillfactor,
           w.data_width, w.max_null_frac, w.ncols,
           (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
                                                 AND NOT a.attisdropped) AS natts
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN widths w ON w.schemaname = n.nspname AND w.tablename = c.relname
    WHERE c.relkind IN ('r', 'm') AND c.reltuples > 0 AND c.relpages > 0
), estimate AS (
    SELECT t.*,
           ceil((23 + CASE WHEN t.max_null_frac > 0 THEN ceil(t.natts / 8.0) ELSE 0 END) / 8.0) * 8
               + ceil(t.data_width / 8.0) * 8 + 4 AS tuple_bytes
    FROM tables t
    -- Every live column needs statistics, or the estimate would be too small and report false bloat.
    WHERE t.ncols = t.natts
), pages AS (
    SELECT e.*,
           ceil(e.reltuples / greatest(floor((e.bs - 24) * e.fillfactor / 100 / e.tuple_bytes), 1)) AS expected_pages
    FROM estimate e
)
SELECT p.schema, p.table,
       (p.relpages * p.bs)::bigint AS bytes,
       ((p.relpages - p.expected_pages) * p.bs)::bigint AS wasted_bytes,
       round((1 - p.expected_pages / p.relpages)::numeric, 3)::float8 AS wasted_fraction,
       p.reltuples::bigint AS row_estimate,
       p.relpages::bigint AS pages, p.expected_pages::bigint AS expected_pages
FROM pages p
WHERE (p.relpages - p.expected_pages) * p.bs >= $2
  AND 1 - p.expected_pages / p.relpages >= $3
ORDER BY 4 DESC
LIMIT $1
