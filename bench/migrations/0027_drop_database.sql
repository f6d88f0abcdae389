DROP DATABASE IF EXISTS analytics_scratch;
