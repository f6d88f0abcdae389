"""Readable lines from each tool's structured result, for the demo report (agents get the JSON itself)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["render"]

Result = dict[str, Any]
_W = 110


def _cut(text: Any, width: int = _W) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def _status(r: Result) -> list[str]:
    db = r.get("database", {})
    if not db.get("reachable"):
        return [f"pgsage {r.get('pgsage_version')}: no database ({db.get('problem')})"]
    warn = " [superuser: use a least-privilege role in production]" if db.get("superuser") else ""
    return [
        f"pgsage {r.get('pgsage_version')} ({r.get('access_mode')}) connected to PostgreSQL "
        f"{db.get('server_version')} as {db.get('role')}{warn}"
    ]


def _sources(r: Result) -> list[str]:
    items = r.get("sources", [])
    pages = sum(s.get("pages", 0) for s in items)
    return [f"{len(items)} sources, {pages} pages: " + _cut(", ".join(s.get("source_id", "") for s in items))]


def _search(r: Result) -> list[str]:
    return [f"{h.get('score', 0):7.3f}  {_cut(h.get('title'), 60)}  <{h.get('url')}>" for h in r.get("results", [])]


def _code(r: Result) -> list[str]:
    return [
        f"[{h.get('language')}] {_cut(h.get('title'), 50)}: {_cut(h.get('summary'), 55)}" for h in r.get("results", [])
    ]


def _overview(r: Result) -> list[str]:
    ext = ", ".join(f"{e.get('name')} {e.get('version', '')}".strip() for e in r.get("extensions", []))
    lines = [
        f"PostgreSQL {r.get('server_version')}, database {r.get('database')} "
        f"({(r.get('database_bytes') or 0) / 1e6:.1f} MB); extensions: {ext or 'none'}"
    ]
    lines += [f"warning: {_cut(w)}" for w in r.get("warnings", [])[:3]]
    return lines


def _objects(r: Result) -> list[str]:
    return [
        f"{o.get('schema')}.{o.get('name'):<16} {o.get('kind'):<8} ~{o.get('row_estimate', 0):>7} rows "
        f"{(o.get('bytes') or 0) / 1e6:6.2f} MB"
        for o in r.get("objects", [])[:8]
    ]


def _describe(r: Result) -> list[str]:
    cols = ", ".join(f"{c.get('name')} {c.get('type')}" for c in r.get("columns", []))
    lines = [f"{r.get('schema')}.{r.get('name')}: {_cut(cols, 95)}"]
    lines += [f"index {i.get('name')}: {_cut(i.get('definition', ''), 80)}" for i in r.get("indexes", [])]
    return lines


def _execute(r: Result) -> list[str]:
    names = [c.get("name") for c in r.get("columns", [])]
    return [f"{r.get('row_count')} rows (untrusted data): {names}"] + [str(row) for row in r.get("rows", [])[:4]]


def _explain(r: Result) -> list[str]:
    lines = [f"{k}: {r[k]}" for k in ("total_cost", "execution_ms", "planning_ms") if r.get(k) is not None]
    plan = r.get("plan") or r.get("root")

    def walk(node: Any, depth: int) -> None:
        if not isinstance(node, dict) or len(lines) > 8:
            return
        label = " ".join(str(node[k]) for k in ("node", "node_type", "relation", "index") if node.get(k))
        rows = f" est {node.get('estimated_rows')} / actual {node.get('actual_rows')}" if "actual_rows" in node else ""
        lines.append("  " * depth + _cut(label + rows, 90))
        for child in node.get("children", []) or node.get("plans", []) or []:
            walk(child, depth + 1)

    walk(plan, 0)
    lines += [f"warning: {_cut(w)}" for w in r.get("warnings", [])[:3]]
    return lines


def _findings(r: Result) -> list[str]:
    items = r.get("findings", [])
    out = [f"{len(items)} findings " + str(r.get("counts") or r.get("summary") or "")]
    for f in items[:8]:
        label = f.get("rule") or f.get("check")
        where = f.get("object") or (f"line {f.get('line')}" if f.get("line") else "")
        text = f.get("why") or f.get("recommendation") or f.get("message") or ""
        lock = f" [{f.get('lock')}]" if f.get("lock") else ""
        out.append(f"{f.get('severity', ''):<8} {label}: {where}{lock} - {_cut(text, 60)}")
    return out


def _activity(r: Result) -> list[str]:
    sessions = r.get("sessions", [])
    return [
        f"{len(sessions)} session groups, {len(r.get('blocking', []))} blocked, {len(r.get('locks', []))} lock groups"
    ]


def _indexes(r: Result) -> list[str]:
    out = []
    if r.get("total_cost_before") is not None:
        out.append(f"workload cost {r.get('total_cost_before')} -> {r.get('total_cost_after')} (HypoPG)")
    for rec in r.get("recommendations", [])[:6]:
        how = "measured" if rec.get("measured") else "by query shape"
        out.append(f"{rec.get('severity'):<6} ({how}) {_cut(rec.get('statement'), 95)}")
    out += [f"note: {_cut(n)}" for n in r.get("notes", [])[:2]]
    return out


def _dry_run(r: Result) -> list[str]:
    out = [_cut(r.get("target"))]
    for s in r.get("statements", []):
        locks = ", ".join(f"{lk.get('mode')} on {lk.get('relation')}" for lk in s.get("locks", []))
        state = "ok " if s.get("ok") else "ERR"
        extra = f" rewrote {s.get('rewritten')}" if s.get("rewritten") else ""
        extra += f" error {s.get('sqlstate')}: {s.get('error')}" if s.get("error") else ""
        out.append(f"{state} line {s.get('line')}: {_cut(s.get('statement'), 50)} | {_cut(locks, 60)}{extra}")
    return out


def _plan(r: Result) -> list[str]:
    lines = (r.get("markdown") or "").splitlines()
    return [_cut(line, 120) for line in lines[:45]] + (["..."] if len(lines) > 45 else [])


RENDERERS: dict[str, Callable[[Result], list[str]]] = {
    "server_status": _status,
    "rag_get_available_sources": _sources,
    "rag_search_knowledge_base": _search,
    "rag_search_code_examples": _code,
    "db_overview": _overview,
    "list_objects": _objects,
    "describe_object": _describe,
    "execute_sql": _execute,
    "explain_query": _explain,
    "health_check": _findings,
    "activity": _activity,
    "review_schema": _findings,
    "lint_migration": _findings,
    "recommend_indexes": _indexes,
    "dry_run_migration": _dry_run,
    "plan_changes": _plan,
}


def render(tool: str, result: Result) -> list[str]:
    renderer = RENDERERS.get(tool)
    if renderer is None:
        return [_cut(result)]
    try:
        return renderer(result)
    except (AttributeError, TypeError, KeyError, ValueError):  # a changed output shape must not break the demo
        return [_cut(result, 300)]
