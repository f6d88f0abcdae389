"""plan_changes: the seed prompts' /plan step as a tool, built from search, review, index advice, lint, dry run."""

from .build import plan_changes
from .report import PlanReport

__all__ = ["PlanReport", "plan_changes"]
