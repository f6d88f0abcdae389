-- pg_stat_statements 1.11+ (PostgreSQL 17+): I/O time split into shared_blk_* and local_blk_* columns.
-- $1 = order (total|mean|calls|io), $2 = limit, $3 = max query text length. The caller has put the
-- extension's schema on search_path. Only this database's statements are read.
WITH stats AS (
    SELECT s.queryid, s.query, s.calls, s.rows, s.total_exec_time, s.mean_exec_time,
           s.shared_blks_hit, s.shared_blks_read, s.shared_blks_written, s.temp_blks_read, s.temp_blks_written,
           s.local_blks_read, s.wal_bytes,
           s.shared_blk_read_time + s.shared_blk_write_time + s.local_blk_read_time + s.local_blk_write_time AS io_time,
           s.shared_blks_read + s.local_blks_read + s.temp_blks_read + s.temp_blks_written AS io_blocks
    FROM pg_stat_statements AS s
    WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
), totals AS (
    SELECT sum(total_exec_time) AS all_time, count(*) AS statements FROM stats
)
SELECT st.queryid::text AS queryid,
       left(regexp_replace(st.query, '\s+', ' ', 'g'), $3) AS query,
       st.calls, st.rows,
       round(st.total_exec_time::numeric, 2)::float8 AS total_ms,
       round(st.mean_exec_time::numeric, 3)::float8 AS mean_ms,
       round((100 * st.total_exec_time / nullif(t.all_time, 0))::numeric, 1)::float8 AS percent_of_total_time,
       st.shared_blks_hit, st.shared_blks_read, st.shared_blks_written,
       st.temp_blks_read + st.temp_blks_written AS temp_blks,
       round(st.io_time::numeric, 2)::float8 AS io_ms,
       round((st.shared_blks_hit::float8 / nullif(st.shared_blks_hit + st.shared_blks_read, 0))::numeric, 4)::float8
           AS hit_ratio,
       st.wal_bytes::bigint AS wal_bytes,
       t.statements
FROM stats st CROSS JOIN totals t
ORDER BY CASE $1
             WHEN 'total' THEN st.total_exec_time
             WHEN 'mean' THEN st.mean_exec_time
             WHEN 'calls' THEN st.calls::float8
             ELSE st.io_blocks::float8
         END DESC NULLS LAST
LIMIT $2
