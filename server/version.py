"""The installed pgsage version, read from the package metadata."""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("pgsage")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
