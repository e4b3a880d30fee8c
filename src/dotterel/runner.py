"""Coding inputs (files, directories, stdin) end to end, with a run summary.

:func:`code_inputs` is what ``dotterel code`` calls: it reads, codes in input
order, reports skipped lines through a callback and counts everything.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .coder import Coder
from .model import CodedDocument, normalize_pub_date
from .sources.items import ReadDocument, Skipped

if TYPE_CHECKING:
    from .sources import Fetcher


@dataclass
class RunSummary:
    """Counts of one run, printed as the closing line of ``dotterel code``."""

    documents: int = 0
    events: int = 0
    quotes: int = 0
    errors: int = 0
    #: documents whose coding failed inside dotterel (``internal`` errors); included in ``errors``
    internal: int = 0
    skipped: int = 0
    started: float = field(default_factory=time.perf_counter)
    finished: float | None = None

    def add(self, record: CodedDocument) -> None:
        self.documents += 1
        self.events += len(record.events)
        self.quotes += len(record.quotes)
        self.errors += 1 if record.errors else 0
        self.internal += 1 if any(e.code == "internal" for e in record.errors) else 0

    @property
    def seconds(self) -> float:
        return (self.finished or time.perf_counter()) - self.started

    def line(self) -> str:
        rate = self.documents / self.seconds if self.seconds > 0 else 0.0
        return (
            f"{self.documents} documents, {self.events} events, {self.quotes} quotes, "
            f"{self.errors} with errors"
            + (f" ({self.internal} internal: please report them)" if self.internal else "")
            + f", {self.skipped} input lines skipped, "
            f"{rate:.2f} documents/s"
        )


def code_inputs(
    inputs: Iterable[str | Path],
    *,
    coder: Coder | None = None,
    pub_date: str | None = None,
    input_format: str | None = None,
    stdin: IO[bytes] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    summary: RunSummary | None = None,
    fetcher: Fetcher | None = None,
) -> Iterator[CodedDocument]:
    """Code every document in ``inputs``, in order, streaming.

    Inputs are files, directories, ``-`` (JSONL on stdin), feed files and
    ``http(s)://`` URLs of pages or feeds (:func:`dotterel.sources.read_sources`).
    ``pub_date`` fills in documents that have none. Skipped input lines go to
    ``on_skip`` and are counted in ``summary``; they never stop the run.
    """
    from .sources import read_sources

    coder = coder or Coder()
    summary = summary if summary is not None else RunSummary()
    default_date = normalize_pub_date(pub_date)

    items = read_sources(inputs, input_format=input_format, stdin=stdin, fetcher=fetcher)
    for record in coder.code_many(prepare(items, pub_date=default_date, on_skip=on_skip, summary=summary)):
        summary.add(record)
        yield record
    summary.finished = time.perf_counter()


def prepare(
    items: Iterable[ReadDocument | Skipped],
    *,
    pub_date: str | None,
    on_skip: Callable[[Skipped], None] | None,
    summary: RunSummary,
) -> Iterator[ReadDocument]:
    """Documents ready to code: skipped items reported and counted, ``pub_date`` filled in where missing."""
    for item in items:
        if isinstance(item, Skipped):
            summary.skipped += 1
            if on_skip is not None:
                on_skip(item)
            continue
        if pub_date and item.document.pub_date is None:
            item = ReadDocument(replace(item.document, pub_date=pub_date), item.read_error, item.detail)
        yield item
