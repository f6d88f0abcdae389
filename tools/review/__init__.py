"""Schema review: cited design findings on a schema model, from the live database or SQL files."""

from .engine import review, select_rules
from .finding import Citation, Finding, ReviewReport, RuleInfo, Severity, TenancySummary
from .rules import REGISTRY

__all__ = [
    "REGISTRY",
    "Citation",
    "Finding",
    "ReviewReport",
    "RuleInfo",
    "Severity",
    "TenancySummary",
    "review",
    "select_rules",
]
