-- settings (workload): checkpoints started by time vs by WAL volume, PostgreSQL 13-16 (pg_stat_bgwriter).
SELECT checkpoints_timed AS timed, checkpoints_req AS requested, stats_reset FROM pg_stat_bgwriter
