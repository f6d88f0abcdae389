-- index-bloat: estimated wasted space in plain-column btree indexes, from planner statistics.
-- Leaf tuple = 8-byte header (+4 null bitmap) + MAXALIGNed key width + 4-byte line pointer; a page holds
-- (block size - 24 header - 16 btree special space) * fillfactor (default 90); plus the metapage.
-- Deduplication (PostgreSQL 13+) can make an index smaller than estimated, which is never reported.
-- $1 = maximum rows, $2 = minimum wasted bytes, $3 = minimum wasted fraction.
WITH idx AS (
    SELECT n.nspname AS schema, ic.relname AS index, tc.relname AS table, ic.relpages::float8 AS relpages,
           ic.reltuples::float8 AS reltuples, current_setting('block_size')::float8 AS bs,
           coalesce((SELECT o.option_value::float8 FROM pg_options_to_table(ic.reloptions) o
                     WHERE o.option_name = 'fillfactor'), 90) AS fillfactor,
           string_to_array(i.indkey::text, ' ')::int[] AS cols, i.indexrelid,
           tc.oid AS table_oid, ic.relkind
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_class tc ON tc.oid = i.indrelid
    JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'btree'
    JOIN pg_namespace n ON n.oid = ic.relnamespace
    WHERE i.indisvalid AND i.indexprs IS NULL AND i.indpred IS NULL
      AND ic.relpages > 1 AND ic.reltuples > 0
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
), widths AS (
    SELECT x.indexrelid, count(s.attname) AS with_stats, cardinality(x.cols) AS ncols,
           sum((1 - s.null_frac) * s.avg_width) AS data_width, max(s.null_frac) AS max_null_frac
    FROM idx x
    CROSS JOIN LATERAL unnest(x.cols) AS k(attnum)
    JOIN pg_attribute a ON a.attrelid = x.table_oid AND a.attnum = k.attnum
    LEFT JOIN pg_stats s ON s.schemaname = x.schema AND s.tablename = x.table AND s.attname = a.attname
                         AND NOT s.inherited
    GROUP BY x.indexrelid, x.cols
), pages AS (
    SELECT x.*, w.data_width,
           ceil(x.reltuples / greatest(floor(
               (x.bs - 40) * x.fillfactor / 100
               / (8 + CASE WHEN w.max_null_frac > 0 THEN 4 ELSE 0 END + ceil(w.data_width / 8.0) * 8 + 4)
           ), 1)) + 1 AS expected_pages
    FROM idx x
    JOIN widths w ON w.indexrelid = x.indexrelid AND w.with_stats = w.ncols
)
SELECT p.schema, p.index, p.table,
       (p.relpages * p.bs)::bigint AS bytes,
       ((p.relpages - p.expected_pages) * p.bs)::bigint AS wasted_bytes,
       round((1 - p.expected_pages / p.relpages)::numeric, 3)::float8 AS wasted_fraction,
       p.relpages::bigint AS pages, p.expected_pages::bigint AS expected_pages,
       p.relkind::text AS relkind
FROM pages p
WHERE (p.relpages - p.expected_pages) * p.bs >= $2
  AND 1 - p.expected_pages / p.relpages >= $3
ORDER BY 5 DESC
LIMIT $1
