-- Is pg_stat_statements loaded? The view's function raises 55000 when the library is not preloaded.
-- pg_stat_statements_info (1.9+) is one row, so the probe is cheap.
SELECT dealloc, stats_reset FROM pg_stat_statements_info
