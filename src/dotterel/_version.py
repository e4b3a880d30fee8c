"""dotterel's version, in one place (the installed package's metadata)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("dotterel")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"
