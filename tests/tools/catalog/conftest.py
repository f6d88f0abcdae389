"""A `connect(dsn)` fixture giving a pgsage Database that is closed after the test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from pgsage.tools.database import Database, DatabaseSettings


@pytest.fixture
async def connect() -> AsyncIterator[Callable[[str], Database]]:
    opened: list[Database] = []

    def make(dsn: str) -> Database:
        db = Database(DatabaseSettings(dsn))
        opened.append(db)
        return db

    yield make
    for db in opened:
        await db.close()
