"""Index candidates from a workload's table uses: B-tree in the right column order (equality, then
range, then sort), partial indexes for constant predicates, INCLUDE for index-only scans, expression
indexes for `->>` equality; GIN for JSONB operators and unanchored LIKE; HNSW for vector ORDER BY."""

from __future__ import annotations

from dataclasses import dataclass

from ..sqlident import quote_ident
from .catalog import TableInfo
from .workload import VECTOR_OPS, QueryShape, TableUse

__all__ = ["Candidate", "generate_candidates"]

_MAX_KEY_COLUMNS = 4
_MAX_INCLUDE = 3
_MAX_PARTIAL_DISTINCT = 20
# HypoPG can simulate these access methods only; other candidates are advised by rule, not measured.
MEASURABLE_METHODS = {"btree", "hash", "brin"}


@dataclass(frozen=True)
class Candidate:
    schema: str
    table: str
    method: str
    keys: tuple[str, ...]  # SQL of each key: a quoted column (with opclass/order) or a parenthesised expression
    include: tuple[str, ...] = ()
    where: str | None = None
    name_hint: str = ""
    reason: str = ""
    kb: tuple[str, ...] = ()

    @property
    def measurable(self) -> bool:
        return self.method in MEASURABLE_METHODS

    def definition(self, *, concurrently: bool, name: str | None = None) -> str:
        parts = ["CREATE INDEX"]
        if concurrently:
            parts.append("CONCURRENTLY")
        if name:
            # IF NOT EXISTS: a migration that failed half-way can be re-run.
            parts.append(f"IF NOT EXISTS {quote_ident(name)}")
        parts.append(f"ON {quote_ident(self.schema)}.{quote_ident(self.table)}")
        if self.method != "btree":
            parts.append(f"USING {self.method}")
        parts.append(f"({', '.join(self.keys)})")
        if self.include:
            parts.append(f"INCLUDE ({', '.join(quote_ident(c) for c in self.include)})")
        if self.where:
            parts.append(f"WHERE {self.where}")
        return " ".join(parts)

    def index_name(self) -> str:
        base = f"{self.table}_{self.name_hint}_idx"
        return base if len(base) <= 63 else base[:59] + "_idx"


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _btree(info: TableInfo, cols: list[str], **kw: object) -> Candidate:
    keys = tuple(quote_ident(c) for c in cols[:_MAX_KEY_COLUMNS])
    hint = "_".join(cols[:_MAX_KEY_COLUMNS])
    return Candidate(info.schema, info.name, "btree", keys, name_hint=hint, **kw)  # type: ignore[arg-type]


def _covered(info: TableInfo, cand: Candidate) -> bool:
    """An existing valid, non-partial index of the same method already leads with these keys."""
    if cand.where or cand.include or not all(k.startswith(('"', *"abcdefghijklmnopqrstuvwxyz_")) for k in cand.keys):
        return False
    wanted = tuple(k.strip('"') for k in cand.keys)
    return any(
        idx.method == cand.method and not idx.partial and tuple(idx.columns[: len(wanted)]) == wanted
        for idx in info.indexes
    )


def _table_candidates(info: TableInfo, use: TableUse, shape: QueryShape) -> list[Candidate]:
    known = set(info.types)
    eq = [c for c in _dedupe(use.eq) if c in known]
    eq.sort(key=info.distinct, reverse=True)  # most selective first
    rng = [c for c in _dedupe(use.range) if c in known and c not in eq]
    sort = [c for c, _ in use.sort if c in known and c not in eq]
    out: list[Candidate] = []
    order_kb = ("multicolumn-index-order",)

    def describe(keys: list[str], tail: str | None, tail_kind: str) -> str:
        parts = [f"equality on {', '.join(keys)}"] if keys else []
        if tail:
            parts.append(f"{tail_kind} on {tail}")
        return " then ".join(parts)

    if eq:
        out.append(_btree(info, eq, reason=describe(eq, None, ""), kb=order_kb))
    if rng:
        out.append(_btree(info, [*eq, rng[0]], reason=describe(eq, rng[0], "range"), kb=order_kb))
    if sort:
        out.append(_btree(info, [*eq, *sort], reason=describe(eq, ", ".join(sort), "ORDER BY"), kb=order_kb))
    for col in [*eq, *rng]:
        kind = "equality" if col in eq else "range"
        out.append(_btree(info, [col], reason=f"{kind} on {col}", kb=order_kb))
    if out and not use.select_star:
        best = out[1] if rng and eq else out[0]
        key_cols = {k.strip('"') for k in best.keys}
        extra = sorted(c for c in use.selected if c in known and c not in key_cols)
        if 0 < len(extra) <= _MAX_INCLUDE:
            out.append(
                Candidate(
                    best.schema,
                    best.table,
                    "btree",
                    best.keys,
                    include=tuple(extra),
                    name_hint=best.name_hint + "_incl",
                    reason=best.reason + ", covering the selected columns for an index-only scan",
                    kb=("covering-indexes",),
                )
            )
    for col, literal in use.eq_literals.items():
        # A partial index pays off for a few-valued column (status = 'active'), not for an id.
        if col not in known or not 1 < info.distinct(col) <= _MAX_PARTIAL_DISTINCT:
            continue
        rest = [c for c in eq if c != col] + rng[:1] + [c for c in sort if c not in rng[:1]]
        if rest:
            out.append(
                _btree(
                    info,
                    rest,
                    where=f"{quote_ident(col)} = {literal}",
                    reason=f"constant predicate {col} = {literal} as a partial index",
                    kb=("partial-indexes",),
                )
            )
    for col, key in use.json_key_eq:
        if info.types.get(col) == "jsonb":
            keys = (f"({quote_ident(col)} ->> {key})",)
            hint = f"{col}_{key.strip(chr(39))}"[:30]
            out.append(
                Candidate(
                    info.schema,
                    info.name,
                    "btree",
                    keys,
                    name_hint=hint,
                    reason=f"equality on {col} ->> {key}",
                    kb=("jsonb-gin-operator-classes",),
                )
            )
    for col, ops in use.jsonb.items():
        if info.types.get(col) != "jsonb":
            continue
        path_ops = ops <= {"@>", "@?", "@@"}
        opclass = " jsonb_path_ops" if path_ops else ""
        out.append(
            Candidate(
                info.schema,
                info.name,
                "gin",
                (f"{quote_ident(col)}{opclass}",),
                name_hint=col,
                reason=f"JSONB operators {', '.join(sorted(ops))} on {col}",
                kb=("jsonb-gin-operator-classes",),
            )
        )
    for col in sorted(use.like):
        if info.types.get(col) in ("text", "varchar", "bpchar"):
            out.append(
                Candidate(
                    info.schema,
                    info.name,
                    "gin",
                    (f"{quote_ident(col)} gin_trgm_ops",),
                    name_hint=f"{col}_trgm",
                    reason=f"unanchored LIKE/ILIKE on {col}",
                    kb=("trigram-indexes",),
                )
            )
    if shape.has_limit:
        for col, op in use.vector:
            typname = info.types.get(col)
            if typname in ("vector", "halfvec"):
                opclass = VECTOR_OPS[op].replace("vector_", f"{typname}_")
                out.append(
                    Candidate(
                        info.schema,
                        info.name,
                        "hnsw",
                        (f"{quote_ident(col)} {opclass}",),
                        name_hint=f"{col}_hnsw",
                        reason=f"ORDER BY {col} {op} ... LIMIT",
                        kb=("pgvector-hnsw", "pgvector-distance-operators"),
                    )
                )
    return [c for c in out if not _covered(info, c)]


def generate_candidates(shapes: list[QueryShape], tables: dict) -> list[Candidate]:  # type: ignore[type-arg]
    """All distinct candidates for the workload, in a stable order."""
    seen: dict[str, Candidate] = {}
    for shape in shapes:
        for ref, use in shape.uses:
            info = tables.get(ref)
            if info is None:
                continue
            for cand in _table_candidates(info, use, shape):
                seen.setdefault(cand.definition(concurrently=False), cand)
    return list(seen.values())
