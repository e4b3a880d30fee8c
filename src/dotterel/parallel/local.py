"""A :class:`~dotterel.coder.Coder` that codes through a local process pool.

:class:`ParallelCoder` is a drop-in ``Coder``: ``code_many`` streams documents
through ``workers`` processes and yields records in input order, so
``runner.code_inputs`` (JSONL) and ``store.code_into_store`` (the store, one
writer: this process) use it unchanged. Small inputs (fewer than
:data:`MIN_FOR_POOL` documents, looked at before any process starts) and
``workers=1`` are coded in this process, and so is a coder given its own lexicon
objects (workers build their coder from its settings). Every document's coding time goes to
``tracker`` (slowest documents in the summary).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from itertools import chain

from ..coder import Coder, DocumentLike, _as_read_document
from ..model import CodedDocument
from ..sources.items import ReadDocument
from .pool import LocalPool
from .progress import Tracker
from .worker import CoderConfig, code_stream, shippable

#: Below this many documents a run is coded in this process (starting workers costs more).
MIN_FOR_POOL = 32


#: Memory one worker needs (spaCy pipeline and knowledge, ~600–750 MB measured), with room.
WORKER_MEMORY = 900 * 1024 * 1024


def default_workers() -> int:
    """All cores this process may use, but no more workers than available memory holds."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    available = _available_memory()
    if available is not None:
        cores = min(cores, available // WORKER_MEMORY)
    return max(1, cores)


def _available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


@dataclass
class ParallelCoder(Coder):
    """A Coder whose ``code_many`` uses ``workers`` processes (``None``: all cores)."""

    workers: int | None = None
    tracker: Tracker = field(default_factory=Tracker)
    _pool: LocalPool | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.workers is None:
            self.workers = default_workers()

    @classmethod
    def like(cls, coder: Coder, *, workers: int | None = None) -> ParallelCoder:
        """A ParallelCoder with ``coder``'s settings (and its knowledge, when already loaded)."""
        settings = {f.name: getattr(coder, f.name) for f in fields(Coder) if f.init}
        new = cls(**settings, workers=workers)
        for f in fields(Coder):  # what the coder has loaded already (pipeline, knowledge)
            if not f.init:
                setattr(new, f.name, getattr(coder, f.name))
        return new

    def __enter__(self) -> ParallelCoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    @property
    def pool(self) -> LocalPool | None:
        return self._pool

    def code_many(self, documents: Iterable[DocumentLike], *,
                  batch_size: int | None = None) -> Iterator[CodedDocument]:
        """Code documents in input order, through the pool when it pays, streaming."""
        items = (_as_read_document(d) for d in documents)
        head: list[ReadDocument] = []
        if self._pool is None:
            for item in items:
                head.append(item)
                if len(head) >= MIN_FOR_POOL:
                    break
        if ((self.workers or 1) <= 1 or not shippable(self)
                or (self._pool is None and len(head) < MIN_FOR_POOL)):
            yield from self._here(chain(head, items), batch_size or self.batch_size)
            return
        if self._pool is None:
            self._pool = LocalPool(CoderConfig.of(self), self.workers, batch_size=self.batch_size)
        size = batch_size or self.batch_size
        if isinstance(documents, list | tuple):  # a known chunk (the store's): spread it evenly
            size = max(1, min(size, math.ceil(len(documents) / (2 * (self.workers or 1)))))
        self._pool.batch_size = size
        for coded in self._pool.code(chain(head, items)):
            self.tracker.add(coded.record, coded.seconds)
            yield coded.record

    def _here(self, items: Iterator[ReadDocument], size: int) -> Iterator[CodedDocument]:
        while True:
            batch = [item for _, item in zip(range(size), items, strict=False)]
            if not batch:
                return
            for coded in code_stream(self, batch):
                self.tracker.add(coded.record, coded.seconds)
                yield coded.record
