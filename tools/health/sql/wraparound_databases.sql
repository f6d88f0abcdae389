-- xid-wraparound / multixact-wraparound: age of each database's oldest unfrozen transaction and
-- multixact ID (wraparound happens at 2^31; autovacuum forces freezing at autovacuum_*freeze_max_age).
SELECT d.datname AS database, age(d.datfrozenxid)::bigint AS xid_age, mxid_age(d.datminmxid)::bigint AS mxid_age,
       current_setting('autovacuum_freeze_max_age')::bigint AS freeze_max_age,
       current_setting('autovacuum_multixact_freeze_max_age')::bigint AS multixact_freeze_max_age,
       d.datname = current_database() AS current
FROM pg_database d
ORDER BY d.datname = current_database() DESC, greatest(age(d.datfrozenxid), mxid_age(d.datminmxid)) DESC
