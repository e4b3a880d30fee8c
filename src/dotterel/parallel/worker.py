"""Coding one batch of documents inside a worker, one document's failure kept to itself.

Used by both engines: the local process pool (:mod:`.pool`) and the Dask tasks
(:mod:`.dask_engine`). Every worker process builds its :class:`~dotterel.coder.Coder`
once (:func:`worker_coder`) and keeps it for all its batches.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import CodedDocument
from ..sources.items import ReadDocument

if TYPE_CHECKING:
    from ..coder import Coder

#: Environment that keeps numpy's BLAS on one thread per worker process: the second
#: BLAS thread mostly spins on spaCy's small matrices and stops processes scaling
#: (notes/spacy-throughput.md). A value the user set is kept.
ONE_THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(frozen=True)
class CoderConfig:
    """What a worker needs to build the same :class:`Coder` as the parent (picklable)."""

    model: str
    actor_files: tuple[str, ...] = ()
    batch_size: int = 16
    max_chars: int = 200_000
    fail_fast: bool = False
    knowledge_version: str | None = None

    @classmethod
    def of(cls, coder: Coder) -> CoderConfig:
        """The settings of ``coder``; a coder given its own lexicon objects cannot be sent."""
        if not shippable(coder):
            from ..errors import UsageError

            raise UsageError("a Coder given its own lexicons (events_lexicon=, quotes_lexicon=, "
                             "dates_lexicon=) codes in its own process only: use the local engine")
        return cls(model=coder.model, actor_files=tuple(str(p) for p in coder.actor_files),
                   batch_size=coder.batch_size, max_chars=coder.max_chars, fail_fast=coder.fail_fast,
                   knowledge_version=coder.knowledge_version)

    def build(self) -> Coder:
        from ..coder import Coder

        return Coder(model=self.model, actor_files=[Path(p) for p in self.actor_files],
                     batch_size=self.batch_size, max_chars=self.max_chars, fail_fast=self.fail_fast,
                     knowledge_version=self.knowledge_version)


def shippable(coder: Coder) -> bool:
    """Whether worker processes can build the same coder from its settings alone."""
    return coder.events_lexicon is None and coder.quotes_lexicon is None and coder.dates_lexicon is None


@dataclass(slots=True)
class Coded:
    """One coded document and the seconds its coding took (its share of the spaCy batch)."""

    record: CodedDocument
    seconds: float


@dataclass
class _Cache:
    coders: dict[tuple[CoderConfig, int], Coder] = field(default_factory=dict)


_CACHE = _Cache()


def worker_coder(config: CoderConfig) -> Coder:
    """This thread's coder for ``config``, built and fully loaded on first use only.

    One per thread: a Dask worker started with several threads never shares a spaCy
    pipeline between two partitions at once (run workers with ``--nthreads 1``).
    """
    key = (config, threading.get_ident())
    coder = _CACHE.coders.get(key)
    if coder is None:
        for name, value in ONE_THREAD_ENV.items():
            os.environ.setdefault(name, value)
        coder = config.build()
        _ = coder.nlp, coder.actor_knowledge, coder.gazetteer
        # one small story first, so that lazy set-up is not counted against a real document
        from ..model import Document

        code_batch(coder, [ReadDocument(Document(
            text="The minister met the visiting delegation in the capital on Monday, officials said.",
            title="Talks held", pub_date="2025-01-06"))])
        _CACHE.coders[key] = coder
    return coder


def code_batch(coder: Coder, items: Sequence[ReadDocument]) -> list[Coded]:
    """Code ``items`` in order, as ``Coder.code_many`` does, timing each document.

    A document whose parsing or extraction raises gets the Coder's ``internal`` error
    record naming the stage (``coder.fail_fast`` raises instead). spaCy parses the batch
    in one ``nlp.pipe`` call; its time is shared among the documents in proportion to
    their length, and each document's extractor time is added to its share, so the
    slowest documents of a run can be named.
    """
    from ..coder import internal_error
    from ..nlp import make_doc

    problems = [coder._preflight(item) for item in items]
    todo = [i for i, problem in enumerate(problems) if problem is None]
    parsed: dict[int, Any] = {}
    share: dict[int, float] = {}
    if todo:
        nlp = coder.nlp
        started = time.perf_counter()
        try:
            docs = list(nlp.pipe((make_doc(nlp, items[i].document) for i in todo),
                                 batch_size=max(1, len(todo))))
            parsed = dict(zip(todo, docs, strict=True))
        except Exception:  # one document broke the batch: parse one by one
            if coder.fail_fast:
                raise
            for i in todo:
                try:
                    parsed[i] = nlp(make_doc(nlp, items[i].document))
                except Exception as exc:
                    problems[i] = internal_error("parse", exc)
        spent = time.perf_counter() - started
        chars = sum(len(items[i].document.text) + 1 for i in todo) or 1
        share = {i: spent * (len(items[i].document.text) + 1) / chars for i in todo}
    out: list[Coded] = []
    for i, item in enumerate(items):
        started = time.perf_counter()
        problem = problems[i]
        if problem is None:
            record = coder._code_parsed_safely(item.document, parsed[i])
        else:
            record = coder._empty_record(item.document, [problem])
        out.append(Coded(record, share.get(i, 0.0) + time.perf_counter() - started))
    return out


def code_stream(coder: Coder, items: Sequence[ReadDocument]) -> Iterator[Coded]:
    """:func:`code_batch` over spaCy batches of ``coder.batch_size`` documents."""
    size = max(1, coder.batch_size)
    for start in range(0, len(items), size):
        yield from code_batch(coder, items[start:start + size])
