"""Findings cite the rule's knowledge pages through the shared pgsage.knowledge.citations."""

from __future__ import annotations

from pgsage.knowledge.citations import Citation
from pgsage.knowledge.citations import cite as shared_cite

from .finding import Finding, RuleInfo, Severity

__all__ = ["cite", "new_finding"]


def cite(page_ids: tuple[str, ...] | list[str]) -> list[Citation]:
    return shared_cite(*page_ids)


def new_finding(
    rule: RuleInfo,
    obj: str,
    *,
    why: str,
    evidence: str,
    fix: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A finding of `rule`, citing the rule's knowledge pages."""
    return Finding(
        rule=rule.id,
        severity=severity or rule.severity,
        object=obj,
        why=why,
        evidence=evidence,
        fix=fix,
        citations=cite(rule.kb),
    )
