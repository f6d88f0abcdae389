"""A regular (non-editable) install must ship every subpackage and every data file the code loads."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_wheel_contains_all_code_and_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path),
         str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next(tmp_path.glob("pgsage-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = set()
    for top in ("server", "tools", "knowledge"):
        for path in (ROOT / top).rglob("*"):
            if path.is_file() and path.suffix in (".py", ".sql", ".md", ".toml") and "__pycache__" not in path.parts:
                expected.add(f"pgsage/{path.relative_to(ROOT)}")
    missing = sorted(expected - names)
    assert not missing, missing[:20]


def test_only_the_pgsage_namespace_is_installed() -> None:
    import pgsage.knowledge
    import pgsage.server
    import pgsage.tools

    for module in (pgsage.server, pgsage.tools, pgsage.knowledge):
        assert module.__name__.startswith("pgsage.")
    for bare in ("server", "tools", "knowledge"):
        spec = __import__("importlib.util").util.find_spec(bare)
        assert spec is None or "pgsage" not in str(spec.origin), bare
