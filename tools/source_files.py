"""Reading files a caller names (schema files, migrations): only regular files, bounded in size and number.

Tools that take `files` run with the server's filesystem rights on paths chosen by an agent, so every
reader goes through here: a path must be a regular file with an allowed suffix (so /etc/passwd,
/proc/self/environ, /dev/zero or a FIFO are refused before they are opened), a folder is walked without
following symlinks and gives up after a bounded number of entries (so "/" fails fast instead of walking
the whole disk), and a file is read up to a byte cap and must be UTF-8 text.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import InvalidInput, NotFound

__all__ = ["MAX_ENTRIES", "MAX_FILES", "MAX_FILE_BYTES", "expand_paths", "read_text_file"]

MAX_FILE_BYTES = 5_000_000
MAX_FILES = 2_000  # a folder with more is almost certainly not a migrations folder (e.g. "/" by mistake)
MAX_ENTRIES = 50_000  # directory entries looked at while searching folders
_MAX_PATH_CHARS = 4_096


def _checked(raw: str | Path) -> Path:
    text = str(raw)
    if not text.strip():
        raise InvalidInput("an empty path was given: name a file or folder")
    if "\x00" in text or len(text) > _MAX_PATH_CHARS:
        raise InvalidInput(f"{text[:80]!r}...: not a usable path (NUL byte or longer than {_MAX_PATH_CHARS})")
    return Path(text)


def _stat(path: Path) -> os.stat_result:
    try:
        return path.stat()  # follows symlinks: what matters is what would be read
    except (OSError, ValueError) as exc:
        reason = "no such file or folder" if isinstance(exc, FileNotFoundError) else "cannot be read"
        raise NotFound(f"{path}: {reason}") from None


def _walk(folder: Path, suffixes: tuple[str, ...], budget: list[int]) -> list[Path]:
    found: list[Path] = []
    for root, dirs, names in os.walk(folder, onerror=None, followlinks=False):
        dirs.sort()
        budget[0] -= len(dirs) + len(names)
        if budget[0] < 0:
            raise InvalidInput(
                f"{folder} holds more than {MAX_ENTRIES} files and folders: name the migrations or schema folder"
            )
        for name in names:
            candidate = Path(root, name)
            if candidate.suffix in suffixes:
                try:
                    regular = stat.S_ISREG(candidate.stat().st_mode)
                except OSError:
                    continue  # broken symlink or symlink loop inside a folder: not a migration
                if regular:
                    found.append(candidate)
    return sorted(found)


def expand_paths(
    paths: Iterable[str | Path], suffixes: Sequence[str], *, max_files: int = MAX_FILES
) -> list[tuple[Path, bool]]:
    """(file, named explicitly) for each path; a folder gives its files with these suffixes in name order.

    Raises NotFound for a missing path and InvalidInput for anything that is not a regular file with one
    of `suffixes` (or a folder), or when the folders hold too many files.
    """
    wanted = tuple(suffixes)
    listed = " and ".join(f"{suffix} files" for suffix in wanted)
    out: list[tuple[Path, bool]] = []
    budget = [MAX_ENTRIES]
    for raw in paths:
        path = _checked(raw)
        mode = _stat(path).st_mode
        if stat.S_ISDIR(mode):
            out.extend((p, False) for p in _walk(path, wanted, budget))
        elif path.suffix not in wanted:
            raise InvalidInput(f"{path}: only {listed} (or folders of them) can be read")
        elif not stat.S_ISREG(mode):
            raise InvalidInput(f"{path}: not a regular file (a device, FIFO or socket cannot be read)")
        else:
            out.append((path, True))
        if len(out) > max_files:
            raise InvalidInput(f"more than {max_files} {listed} given: name the migrations or schema folder")
    return out


def read_text_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of a regular file of at most `max_bytes`; InvalidInput/NotFound otherwise."""
    # O_NONBLOCK: if the path was swapped for a FIFO after expand_paths looked at it, open must not hang.
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise NotFound(f"{path}: no such file") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InvalidInput(f"{path}: not a regular file (a device, FIFO or socket cannot be read)")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InvalidInput(f"{path}: larger than {max_bytes} bytes; split it or lint the migrations one by one")
    if b"\x00" in data:
        raise InvalidInput(f"{path}: a binary file (contains NUL bytes), not SQL text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text (invalid byte at offset {exc.start})") from None
