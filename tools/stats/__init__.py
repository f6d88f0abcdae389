"""Workload statistics: pg_stat_statements and friends."""

from .pgss import PgssStatus, pgss_status
from .top_queries import TopQueries, TopQuery, top_queries
from .workload import RecordedStatement, recorded_workload

__all__ = [
    "PgssStatus",
    "RecordedStatement",
    "TopQueries",
    "TopQuery",
    "pgss_status",
    "recorded_workload",
    "top_queries",
]
