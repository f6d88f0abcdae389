"""pgsage's configuration: one model, filled from command-line flags, then environment, then defaults.

Every setting is documented here and in `pgsage serve --help`; README lists the same table.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, Field, SecretStr, field_validator

from pgsage.tools.database import DatabaseSettings
from pgsage.tools.dsn import redact_dsn

__all__ = ["ENV_VARS", "Config", "default_data_dir"]

AccessMode = Literal["read-only", "write"]


def default_data_dir() -> Path:
    return Path(platformdirs.user_cache_dir("pgsage"))


class Config(BaseModel):
    """Settings for one pgsage process. Secrets are SecretStr so repr() and logs never show them."""

    dsn: SecretStr | None = Field(None, description="DSN of the database to inspect")
    sandbox: bool = Field(False, description="start the embedded PostgreSQL 18 + pgvector and use it")
    access_mode: AccessMode = Field("read-only", description="'write' lets execute_sql run writes")
    statement_timeout_ms: int = Field(15_000, ge=100, le=3_600_000)
    lock_timeout_ms: int = Field(2_000, ge=10, le=600_000)
    idle_in_transaction_timeout_ms: int = Field(30_000, ge=1_000, le=3_600_000)
    max_rows: int = Field(200, ge=1, le=100_000, description="row cap of any result")
    max_bytes: int = Field(64_000, ge=1_000, le=10_000_000, description="byte cap of any result")
    pool_min: int = Field(0, ge=0, le=100)
    pool_max: int = Field(4, ge=1, le=100)
    tenant_column: str = Field("project_id", min_length=1, max_length=63)
    safe_functions: list[str] = Field(default_factory=list, description="extra functions the guard allows")
    data_dir: Path = Field(default_factory=default_data_dir, description="index, sandbox and ingested docs")
    knowledge_dsn: SecretStr | None = Field(None, description="PostgreSQL for a shared knowledge store")
    scratch_dsn: SecretStr | None = Field(
        None, description="a scratch database dry runs may use instead of the sandbox"
    )
    allow_ingest: bool = Field(True, description="whether rag_add_source may add documents")
    ingest_roots: list[str] = Field(
        default_factory=list, description="folders rag_add_source may read (default: any over stdio, none over HTTP)"
    )
    embeddings_url: str | None = None
    embeddings_model: str = "text-embedding-3-small"
    embeddings_key: SecretStr | None = None
    transport: Literal["stdio", "http"] = "stdio"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65_535)
    auth_token: SecretStr | None = None

    @field_validator("safe_functions", "ingest_roots", mode="before")
    @classmethod
    def _split_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @property
    def dsn_value(self) -> str | None:
        return self.dsn.get_secret_value() if self.dsn else None

    @property
    def display_dsn(self) -> str:
        return redact_dsn(self.dsn_value)

    @property
    def read_only(self) -> bool:
        return self.access_mode == "read-only"

    def database_settings(self) -> DatabaseSettings:
        return DatabaseSettings(
            dsn=self.dsn_value,
            pool_min=self.pool_min,
            pool_max=max(self.pool_max, self.pool_min, 1),
            statement_timeout_ms=self.statement_timeout_ms,
            lock_timeout_ms=self.lock_timeout_ms,
            idle_in_transaction_timeout_ms=self.idle_in_transaction_timeout_ms,
        )

    @classmethod
    def load(cls, overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Config:
        """Flags (overrides, None meaning 'not given') win over environment variables, then defaults."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for field, names in ENV_VARS.items():
            for name in names:
                if env.get(name):
                    values[field] = env[name]
                    break
        for key, value in (overrides or {}).items():
            if value is not None:
                values[key] = value
        return cls.model_validate(values)


# field -> environment variables, first one set wins.
ENV_VARS: dict[str, tuple[str, ...]] = {
    "dsn": ("PGSAGE_DATABASE_URL", "DATABASE_URL"),
    "sandbox": ("PGSAGE_SANDBOX",),
    "access_mode": ("PGSAGE_ACCESS_MODE",),
    "statement_timeout_ms": ("PGSAGE_STATEMENT_TIMEOUT_MS",),
    "lock_timeout_ms": ("PGSAGE_LOCK_TIMEOUT_MS",),
    "idle_in_transaction_timeout_ms": ("PGSAGE_IDLE_IN_TRANSACTION_TIMEOUT_MS",),
    "max_rows": ("PGSAGE_MAX_ROWS",),
    "max_bytes": ("PGSAGE_MAX_BYTES",),
    "pool_min": ("PGSAGE_POOL_MIN",),
    "pool_max": ("PGSAGE_POOL_MAX",),
    "tenant_column": ("PGSAGE_TENANT_COLUMN",),
    "safe_functions": ("PGSAGE_SAFE_FUNCTIONS",),
    "data_dir": ("PGSAGE_DATA_DIR",),
    "knowledge_dsn": ("PGSAGE_KNOWLEDGE_DSN",),
    "scratch_dsn": ("PGSAGE_SCRATCH_DSN",),
    "allow_ingest": ("PGSAGE_ALLOW_INGEST",),
    "ingest_roots": ("PGSAGE_INGEST_ROOTS",),
    "embeddings_url": ("PGSAGE_EMBEDDINGS_URL",),
    "embeddings_model": ("PGSAGE_EMBEDDINGS_MODEL",),
    "embeddings_key": ("PGSAGE_EMBEDDINGS_KEY",),
    "auth_token": ("PGSAGE_AUTH_TOKEN",),
}
