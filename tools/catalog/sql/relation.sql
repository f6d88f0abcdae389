-- describe_object: one relation's header, sizes, RLS state, partitioning and statistics. $1 = oid.
SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
       pg_get_userbyid(c.relowner) AS owner,
       obj_description(c.oid, 'pg_class') AS comment,
       c.relpersistence::text AS persistence,
       c.relrowsecurity AS rls_enabled, c.relforcerowsecurity AS rls_forced,
       nullif(c.reltuples, -1)::bigint AS row_estimate,
       c.reloptions AS options,
       CASE WHEN c.relkind IN ('r', 'm', 'p', 'i', 'I') THEN pg_table_size(c.oid) END AS table_bytes,
       CASE WHEN c.relkind IN ('r', 'm', 'p') THEN pg_indexes_size(c.oid) END AS indexes_bytes,
       CASE WHEN c.relkind IN ('r', 'm', 'i') THEN pg_total_relation_size(c.oid)
            WHEN c.relkind = 'p' THEN (SELECT sum(pg_total_relation_size(t.relid))::bigint
                                       FROM pg_partition_tree(c.oid) t) END AS total_bytes,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       (SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid LIMIT 1) AS parent,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition,
       CASE WHEN c.relkind IN ('i', 'I') THEN pg_get_indexdef(c.oid) END AS index_definition,
       CASE WHEN c.relkind IN ('i', 'I') THEN (SELECT x.indrelid::regclass::text FROM pg_index x
                                              WHERE x.indexrelid = c.oid) END AS index_table,
       s.n_live_tup, s.n_dead_tup, s.n_mod_since_analyze,
       s.seq_scan, s.seq_tup_read, s.idx_scan, s.idx_tup_fetch,
       s.n_tup_ins, s.n_tup_upd, s.n_tup_del, s.n_tup_hot_upd,
       s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze,
       s.vacuum_count, s.autovacuum_count, s.analyze_count, s.autoanalyze_count,
       age(c.relfrozenxid) AS xid_age
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
WHERE c.oid = $1
