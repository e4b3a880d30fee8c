"""The one registry of output formats: adding a format is one function and one ``@writer`` line.

Three kinds of output share it:

- ``records``: coded documents, as ``dotterel code`` writes them
  (``write(records, stream, include_text=...)``, in :mod:`dotterel.render`);
- ``table``: a pandas DataFrame of ``query`` or ``aggregate``
  (``write(frame, stream)``, below);
- ``events``: stored events, as ``export`` writes them
  (``write(store, event_filter, stream) -> count``, in :mod:`dotterel.export`).

A writer registered with ``path_only=True`` writes a binary file and is given a
path instead of a text stream (Parquet).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from .errors import UsageError

KINDS = ("records", "table", "events")


@dataclass(frozen=True)
class Writer:
    """One output format of one kind."""

    kind: str
    name: str
    write: Callable[..., Any]
    path_only: bool = False
    help: str = ""


_REGISTRY: dict[tuple[str, str], Writer] = {}
F = TypeVar("F", bound=Callable[..., Any])


def writer(kind: str, name: str, *, path_only: bool = False, help: str = "") -> Callable[[F], F]:
    """Register the decorated function as the ``name`` format of ``kind``."""
    if kind not in KINDS:
        raise ValueError(f"unknown output kind {kind!r}: one of {', '.join(KINDS)}")

    def register(function: F) -> F:
        _REGISTRY[(kind, name)] = Writer(kind, name, function, path_only, help)
        return function

    return register


def _load(kind: str) -> None:
    """Import the module whose writers are of ``kind`` (they register on import)."""
    if kind == "records":
        from . import render  # noqa: F401
    elif kind == "events":
        from . import export  # noqa: F401


def formats(kind: str) -> tuple[str, ...]:
    """The format names of ``kind``, in registration order."""
    _load(kind)
    return tuple(name for k, name in _REGISTRY if k == kind)


def get(kind: str, name: str, *, option: str = "--format") -> Writer:
    """The writer of ``name``, or :class:`UsageError` naming the formats there are."""
    _load(kind)
    found = _REGISTRY.get((kind, name))
    if found is None:
        raise UsageError(f"{option} {name!r}: choose one of {', '.join(formats(kind))}")
    return found


# -- tables of query and aggregate ----------------------------------------------------------


def _dates_as_text(frame: Any) -> Any:
    frame = frame.copy()
    for column in frame.columns:
        if str(frame[column].dtype).startswith("datetime64"):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    return frame


@writer("table", "table", help="aligned columns for reading (control characters escaped)")
def table_text(frame: Any, stream: IO[str]) -> None:
    from .render import printable

    frame = _dates_as_text(frame)
    if not len(frame):
        stream.write("(no rows)\n")
        return
    for column in frame.columns:  # no ANSI escapes from stored ids or titles to the terminal
        if frame[column].dtype.kind not in "biufcmM":
            frame[column] = frame[column].map(lambda v: printable(v) if isinstance(v, str) else v)
    stream.write(frame.to_string(index=False, max_colwidth=40) + "\n")


@writer("table", "csv", help="comma-separated, with a header")
def table_csv(frame: Any, stream: IO[str]) -> None:
    stream.write(_dates_as_text(frame).to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n"))


@writer("table", "json", help="JSON Lines, one row per line")
def table_json(frame: Any, stream: IO[str]) -> None:
    text = _dates_as_text(frame).to_json(orient="records", lines=True, date_format="iso", force_ascii=False)
    stream.write(text if text.endswith("\n") or not text else text + "\n")


@writer("table", "parquet", path_only=True, help="Apache Parquet (needs --output)")
def table_parquet(frame: Any, path: Path) -> None:
    frame.to_parquet(path, index=False)


def write_table(frame: Any, fmt: str, output: str | Path | None) -> None:
    """Write a query or aggregate DataFrame in ``fmt`` to ``output`` (standard output when None)."""
    from .outfile import atomic_path, atomic_text

    found = get("table", fmt)
    if found.path_only:
        if output is None:
            raise UsageError(f"{fmt} needs --output FILE")
        with atomic_path(output) as temp:
            found.write(frame, temp)
    elif output is None:
        found.write(frame, sys.stdout)
    else:
        with atomic_text(output) as stream:
            found.write(frame, stream)
