"""Progress of long runs (Rich, on a terminal only) and the run's closing figures.

:class:`Tracker` counts documents and errors and keeps the slowest documents;
:func:`show` wraps a stream of records with a live line on standard error —
documents, documents/s, errors so far and, once the input's size is known, an
ETA — only when standard error is a terminal and ``CI`` is not set, so pipes,
logs and CI stay quiet.
"""

from __future__ import annotations

import heapq
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import CodedDocument
from ..sources.files import format_for

#: How many of the slowest documents the summary names.
SLOWEST = 5


@dataclass
class Tracker:
    """Documents, errors and the slowest documents of a run (fed by the engines)."""

    documents: int = 0
    errors: int = 0
    started: float = field(default_factory=time.perf_counter)
    _slow: list[tuple[float, str]] = field(default_factory=list)

    def add(self, record: CodedDocument, seconds: float) -> None:
        self.documents += 1
        self.errors += 1 if record.errors else 0
        item = (seconds, record.id)
        if len(self._slow) < SLOWEST:
            heapq.heappush(self._slow, item)
        elif item > self._slow[0]:
            heapq.heapreplace(self._slow, item)

    def merge(self, documents: int, errors: int, slowest: Iterable[tuple[str, float]]) -> None:
        """Add the counts and slowest documents of a partition coded elsewhere."""
        self.documents += documents
        self.errors += errors
        for doc_id, seconds in slowest:
            item = (seconds, doc_id)
            if len(self._slow) < SLOWEST:
                heapq.heappush(self._slow, item)
            elif item > self._slow[0]:
                heapq.heapreplace(self._slow, item)

    def slowest(self) -> list[tuple[str, float]]:
        """(doc id, seconds) of the slowest documents, slowest first."""
        return [(doc_id, s) for s, doc_id in sorted(self._slow, reverse=True)]

    def slowest_line(self) -> str:
        if not self._slow:
            return ""
        return "slowest documents: " + ", ".join(f"{d} ({s:.2f} s)" for d, s in self.slowest())


def interactive() -> bool:
    """Whether to draw progress: standard error is a terminal and this is not CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")


class Live:
    """A live progress line on standard error (a no-op when not :func:`interactive`).

    ``advance(documents, errors)`` after each document or partition; ``total`` is
    asked for the number of documents expected (``None`` while unknown).
    """

    def __init__(self, *, total: Callable[[], int | None] | None = None, label: str = "coding") -> None:
        self.total = total
        self.label = label
        self.documents = 0
        self.errors = 0
        self._started = time.perf_counter()
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Live:
        if interactive():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn(f"[bold]{self.label}[/]"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:.2f} documents/s"),
                TextColumn("{task.fields[errors]} errors"), TimeElapsedColumn(),
                TextColumn("ETA"), TimeRemainingColumn(),
                console=Console(stderr=True), transient=True)
            self._progress.__enter__()
            self._task = self._progress.add_task(self.label, total=None, rate=0.0, errors=0)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)
            self._progress = None

    def advance(self, documents: int = 1, errors: int = 0) -> None:
        self.documents += documents
        self.errors += errors
        if self._progress is None:
            return
        elapsed = time.perf_counter() - self._started
        self._progress.update(
            self._task, completed=self.documents, total=self.total() if self.total else None,
            rate=self.documents / elapsed if elapsed > 0 else 0.0, errors=self.errors)


def show(records: Iterable[CodedDocument], *, total: Callable[[], int | None] | None = None,
         label: str = "coding") -> Iterator[CodedDocument]:
    """Yield ``records`` unchanged, drawing progress on a terminal (see :class:`Live`)."""
    if not interactive():
        yield from records
        return
    with Live(total=total, label=label) as live:
        for record in records:
            live.advance(1, 1 if record.errors else 0)
            yield record


class Counter:
    """Counts the documents of file inputs in a background thread (for the ETA).

    URLs, feeds and standard input make the total unknown (``None``). Counting
    reads each file once more; it runs only when progress is drawn.
    """

    def __init__(self, inputs: Iterable[str | Path]) -> None:
        self._inputs = [str(i) for i in inputs]
        self._total: int | None = None
        self._thread = threading.Thread(target=self._run, name="dotterel-count", daemon=True)
        self._thread.start()

    def __call__(self) -> int | None:
        return self._total

    def _run(self) -> None:
        try:
            self._total = count_documents(self._inputs)
        except Exception:  # counting is only for the display
            self._total = None


def count_documents(inputs: Iterable[str]) -> int | None:
    """Documents in these inputs (JSONL non-blank lines, one per .txt/.html file), or None."""
    n = 0
    for raw in inputs:
        path = Path(raw)
        if raw == "-" or "://" in raw:
            return None
        files = sorted(p for p in path.rglob("*") if p.is_file() and format_for(p)) if path.is_dir() else [path]
        for file in files:
            fmt = format_for(file)
            if fmt is None:
                return None
            if fmt != "jsonl":
                n += 1
                continue
            n += count_lines(file)
    return n


def count_lines(path: Path) -> int:
    """Non-blank lines of a (possibly gzipped) file; stops quietly at a corrupt end."""
    import gzip
    import zlib

    n = 0
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as stream:
            for line in stream:
                if line.strip():
                    n += 1
    except (OSError, EOFError, zlib.error):
        pass
    return n
