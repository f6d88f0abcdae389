"""The index advisor: workload shapes -> candidates -> HypoPG costs -> a greedy choice under a budget."""

from .recommend import IndexAdvice, IndexRecommendation, QueryAdvice, WorkloadQuery, recommend_indexes

__all__ = ["IndexAdvice", "IndexRecommendation", "QueryAdvice", "WorkloadQuery", "recommend_indexes"]
