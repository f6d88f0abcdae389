"""`health_check`: every check, or a chosen few, in one READ ONLY transaction with structured findings.

Each check module owns its SQL (`sql/*.sql`) and returns `Finding`s (check id, severity, object,
evidence, recommendation, safe_fix, citations = knowledge page ids). A check that fails, for example for
lack of privilege, is reported in `errors` and the others still run.
"""

from .base import Check, CheckContext, Finding, Thresholds
from .runner import ALL_CHECKS, CheckError, HealthReport, check_ids, health_check

__all__ = [
    "ALL_CHECKS",
    "Check",
    "CheckContext",
    "CheckError",
    "Finding",
    "HealthReport",
    "Thresholds",
    "check_ids",
    "health_check",
]
