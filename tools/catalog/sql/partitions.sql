-- describe_object: direct partitions (or inheritance children) of relation $1, with the total count.
SELECT i.inhrelid::regclass::text AS name,
       pg_get_expr(c.relpartbound, c.oid) AS bound,
       c.relkind = 'p' AS partitioned,
       nullif(c.reltuples, -1)::bigint AS row_estimate,
       CASE WHEN c.relkind = 'r' THEN pg_total_relation_size(c.oid) END AS bytes,
       count(*) OVER () AS total
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = $1
ORDER BY c.relname
LIMIT $2
