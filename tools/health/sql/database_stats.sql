-- settings (workload): temporary file volume and deadlocks of the current database since stats reset.
SELECT d.temp_files, d.temp_bytes, d.deadlocks, d.stats_reset
FROM pg_stat_database d
WHERE d.datname = current_database()
