-- Is pg_stat_statements loaded? (1.8 has no pg_stat_statements_info; showtext=false skips the text file.)
SELECT count(*) AS entries FROM pg_stat_statements(false)
