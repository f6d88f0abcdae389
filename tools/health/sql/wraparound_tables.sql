-- xid-wraparound / multixact-wraparound: the current database's tables with the oldest unfrozen IDs.
-- $1 = maximum rows, $2 = minimum age (either kind) worth reporting.
SELECT n.nspname AS schema, c.relname AS table, age(c.relfrozenxid)::bigint AS xid_age,
       mxid_age(c.relminmxid)::bigint AS mxid_age,
       pg_total_relation_size(c.oid) AS bytes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm', 't')
  AND (age(c.relfrozenxid) >= $2 OR mxid_age(c.relminmxid) >= $2)
ORDER BY greatest(age(c.relfrozenxid), mxid_age(c.relminmxid)) DESC
LIMIT $1
