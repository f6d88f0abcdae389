-- prepared-transactions: two-phase transactions prepared at least $2 seconds ago; they hold locks and
-- block vacuum's cleanup horizon until someone commits or rolls them back.
SELECT p.gid, p.owner, p.database, age(p.transaction)::bigint AS xid_age,
       round(extract(epoch FROM now() - p.prepared)::numeric, 1)::float8 AS prepared_seconds
FROM pg_prepared_xacts p
WHERE now() - p.prepared >= make_interval(secs => $2)
ORDER BY p.prepared
LIMIT $1
