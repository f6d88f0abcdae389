"""PostgreSQL's table lock levels and, in words, what each one blocks while it is held."""

from __future__ import annotations

__all__ = [
    "ACCESS_EXCLUSIVE",
    "BLOCKS",
    "EXCLUSIVE",
    "SHARE",
    "SHARE_ROW_EXCLUSIVE",
    "SHARE_UPDATE_EXCLUSIVE",
    "blocks",
]

ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE"
EXCLUSIVE = "EXCLUSIVE"
SHARE_ROW_EXCLUSIVE = "SHARE ROW EXCLUSIVE"
SHARE = "SHARE"
SHARE_UPDATE_EXCLUSIVE = "SHARE UPDATE EXCLUSIVE"

# From the conflict table in the "Explicit Locking" chapter; phrased as what running traffic experiences.
BLOCKS: dict[str, str] = {
    ACCESS_EXCLUSIVE: "every other access: SELECT, INSERT, UPDATE, DELETE and DDL wait (and queue behind it)",
    EXCLUSIVE: "INSERT, UPDATE, DELETE, SELECT FOR UPDATE/SHARE and DDL; only plain SELECT proceeds",
    SHARE_ROW_EXCLUSIVE: "INSERT, UPDATE, DELETE and DDL; plain SELECT proceeds",
    SHARE: "INSERT, UPDATE, DELETE and DDL; SELECT proceeds",
    SHARE_UPDATE_EXCLUSIVE: "VACUUM, ANALYZE, other concurrent index builds and most DDL; reads and writes proceed",
}


def blocks(lock: str | None) -> str | None:
    return BLOCKS.get(lock) if lock else None
