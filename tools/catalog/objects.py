"""`list_objects`: a paginated inventory of relations, routines and types with sizes and row estimates."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Literal

import asyncpg

from ..database import Database
from ..errors import InvalidInput
from ..plumbing import CompactModel, load_sql, read_only, shrink_lists

__all__ = ["KINDS", "ObjectKind", "ObjectList", "ObjectSummary", "like_pattern", "list_objects"]

_PKG = "pgsage.tools.catalog"
_COMMENT_CHARS = 120

ObjectKind = Literal[
    "table",
    "partitioned_table",
    "view",
    "materialized_view",
    "sequence",
    "foreign_table",
    "function",
    "procedure",
    "aggregate",
    "type",
]
KINDS: tuple[str, ...] = ObjectKind.__args__  # type: ignore[attr-defined]
_DEFAULT_KINDS = (
    "table",
    "partitioned_table",
    "view",
    "materialized_view",
    "sequence",
    "foreign_table",
    "function",
    "procedure",
    "type",
)


class ObjectSummary(CompactModel):
    schema: str
    name: str
    kind: str
    detail: str | None = None
    arguments: str | None = None
    returns: str | None = None
    bytes: int | None = None
    row_estimate: int | None = None
    partition_of: str | None = None
    comment: str | None = None


class ObjectList(CompactModel):
    objects: list[ObjectSummary]
    total: int
    next_cursor: str | None = None
    truncated: bool = False


def like_pattern(pattern: str) -> str:
    """A user pattern as an ILIKE pattern: `*` and `?` are wildcards (anchored); otherwise a substring."""
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if "*" in pattern or "?" in pattern:
        return escaped.replace("*", "%").replace("?", "_")
    return f"%{escaped}%"


def _encode_cursor(schema: str, name: str, kind: str, oid: int) -> str:
    raw = json.dumps([schema, name, kind, oid], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[str, str, str, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        schema, name, kind, oid = json.loads(raw)
        if not (isinstance(schema, str) and isinstance(name, str) and isinstance(kind, str) and isinstance(oid, int)):
            raise ValueError
        # A tampered cursor must be this error, not a PostgreSQL one about oid range or NUL bytes.
        if isinstance(oid, bool) or not 0 <= oid < 2**32 or any("\x00" in text for text in (schema, name, kind)):
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("cursor is not one returned by list_objects; omit it to start from the top.") from None
    return schema, name, kind, oid


def _kinds(kind: str | list[str] | None) -> list[str]:
    if kind is None:
        return list(_DEFAULT_KINDS)
    wanted = [kind] if isinstance(kind, str) else list(kind)
    unknown = [k for k in wanted if k not in KINDS]
    if unknown or not wanted:
        raise InvalidInput(f"kind must be among {', '.join(KINDS)}; got {unknown or wanted}.")
    return wanted


async def list_objects(
    db: Database,
    schema: str | None = None,
    kind: str | list[str] | None = None,
    pattern: str | None = None,
    limit: int = 100,
    cursor: str | None = None,
    include_extensions: bool = False,
    max_limit: int = 1000,
    max_bytes: int = 64_000,
) -> ObjectList:
    """One page of objects ordered by schema, name; pass `next_cursor` back to continue."""
    kinds = _kinds(kind)
    if not 1 <= limit <= max_limit:
        raise InvalidInput(f"limit must be between 1 and {max_limit}.")
    after: tuple[str | None, str | None, str | None, int | None] = (None, None, None, None)
    if cursor:
        after = _decode_cursor(cursor)
    like = like_pattern(pattern) if pattern else None

    async def work(conn: asyncpg.Connection) -> list[asyncpg.Record]:
        return await conn.fetch(
            load_sql(_PKG, "list_objects"),
            schema,
            kinds,
            like,
            include_extensions,
            *after,
            limit + 1,
            _COMMENT_CHARS,
        )

    rows = await read_only(db, work)
    page = rows[:limit]
    more = len(rows) > limit
    objects = [ObjectSummary(**{k: v for k, v in dict(r).items() if k not in ("oid", "total")}) for r in page]
    result = ObjectList(objects=objects, total=rows[0]["total"] if rows else 0)
    if shrink_lists(result, ("objects",), max_bytes):
        # Fewer rows than asked fit the byte cap: the cursor continues right after the last one returned.
        page, more = page[: len(result.objects)], True
    if more and page:
        last = page[-1]
        result.next_cursor = _encode_cursor(last["schema"], last["name"], last["kind"], int(last["oid"]))
    result.truncated = more
    return result
