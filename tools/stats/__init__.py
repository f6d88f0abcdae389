"""Workload statistics: pg_stat_statements and friends."""

from .pgss import PgssStatus, pgss_status
from .top_queries import TopQueries, TopQuery, top_queries

__all__ = ["PgssStatus", "TopQueries", "TopQuery", "pgss_status", "top_queries"]
