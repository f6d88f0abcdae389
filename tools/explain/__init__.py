"""EXPLAIN with summaries, warnings and HypoPG hypothetical indexes (reused by the index advisor)."""

from __future__ import annotations

from .hypothetical import HypotheticalIndex, hypopg_schema, validate_index_statement
from .run import PLANNER_SETTINGS, explain, plan_cost
from .summary import PlanNode, PlanSummary, summarize_plan

__all__ = [
    "PLANNER_SETTINGS",
    "HypotheticalIndex",
    "PlanNode",
    "PlanSummary",
    "explain",
    "hypopg_schema",
    "plan_cost",
    "summarize_plan",
    "validate_index_statement",
]
