"""Coding one batch of documents inside a worker, one document's failure kept to itself.

Used by both engines: the local process pool (:mod:`.pool`) and the Dask tasks
(:mod:`.dask_engine`). Every worker process builds its :class:`~dotterel.coder.Coder`
once (:func:`worker_coder`) and keeps it for all its batches.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
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
    warm_up_stories: int = 1_000

    @classmethod
    def of(cls, coder: Coder) -> CoderConfig:
        """The settings of ``coder``; a coder given its own lexicon objects cannot be sent."""
        if not shippable(coder):
            from ..errors import UsageError

            raise UsageError("a Coder given its own lexicons (events_lexicon=, quotes_lexicon=, "
                             "dates_lexicon=) codes in its own process only: use the local engine")
        return cls(model=coder.model, actor_files=tuple(str(p) for p in coder.actor_files),
                   batch_size=coder.batch_size, max_chars=coder.max_chars, fail_fast=coder.fail_fast,
                   knowledge_version=coder.knowledge_version, warm_up_stories=coder.warm_up_stories)

    def build(self) -> Coder:
        from ..coder import Coder

        return Coder(model=self.model, actor_files=[Path(p) for p in self.actor_files],
                     batch_size=self.batch_size, max_chars=self.max_chars, fail_fast=self.fail_fast,
                     knowledge_version=self.knowledge_version, warm_up_stories=self.warm_up_stories)


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
    """The coders this process has built, per config: idle ones wait in ``idle``."""

    idle: dict[CoderConfig, list[Coder]] = field(default_factory=dict)
    built: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


_CACHE = _Cache()


@contextmanager
def worker_coder(config: CoderConfig) -> Iterator[Coder]:
    """A coder for ``config`` for the block: an idle one of this process, else a new one.

    A process keeps as many coders as it ever ran blocks at once: one in a local pool
    worker or a one-thread Dask worker, whichever thread runs the block (a Dask task runs
    in an executor thread; warming up through ``client.run`` builds the same one). No two
    blocks share a spaCy pipeline at once.
    """
    with _CACHE.lock:
        idle = _CACHE.idle.get(config)
        coder = idle.pop() if idle else None
    if coder is None:
        coder = _build(config)
    try:
        yield coder
    finally:
        with _CACHE.lock:
            _CACHE.idle.setdefault(config, []).append(coder)


def warm_up(config: CoderConfig) -> int:
    """Build (or find) this process's coder for ``config`` and load everything it needs;
    returns how many coders the process has built. For ``client.run`` on Dask workers."""
    with worker_coder(config):
        pass
    return _CACHE.built


#: glibc's largest dynamic mmap threshold on 64-bit systems (``DEFAULT_MMAP_THRESHOLD_MAX``).
MMAP_THRESHOLD = 32 * 1024 * 1024
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number in <malloc.h>


def free_mmap_threshold(environ: Mapping[str, str] | None = None, libc: Any = None) -> bool:
    """Give glibc its large-allocation threshold back when the environment pinned it.

    Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536`` (to hand memory back to
    the OS). Setting it also stops glibc raising its mmap threshold above 128 KiB, so every
    larger array spaCy allocates is mapped and unmapped afresh: measured 0.6-0.8 s of system
    time per 40 VOA stories against 0.05 s, about 10 % of a Dask worker's wall time. This sets
    the threshold to what glibc would have grown it to; the trim threshold (Dask's intent) is
    kept. An mmap threshold the user set themselves is left alone. Returns whether it acted.
    """
    env: Mapping[str, str] = os.environ if environ is None else environ
    pinned = any(env.get(k) for k in ("MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_"))
    if not pinned or env.get("MALLOC_MMAP_THRESHOLD_"):
        return False
    if libc is None:
        import ctypes
        import platform

        if platform.libc_ver()[0] != "glibc":
            return False
        try:
            libc = ctypes.CDLL("libc.so.6")
        except OSError:
            return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))


def _build(config: CoderConfig) -> Coder:
    for name, value in ONE_THREAD_ENV.items():
        os.environ.setdefault(name, value)
    free_mmap_threshold()
    coder = config.build()
    _ = coder.nlp, coder.actor_knowledge, coder.gazetteer
    # one small story first, so that lazy set-up is not counted against a real document
    from ..model import Document

    code_batch(coder, [ReadDocument(Document(
        text="The minister met the visiting delegation in the capital on Monday, officials said.",
        title="Talks held", pub_date="2025-01-06"))])
    with _CACHE.lock:
        _CACHE.built += 1
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
    from ..nlp import make_doc, pipeline_ops

    problems = [coder._preflight(item) for item in items]
    todo = [i for i, problem in enumerate(problems) if problem is None]
    parsed: dict[int, Any] = {}
    share: dict[int, float] = {}
    nlp = coder.nlp
    out: list[Coded] = []
    with coder.vocabulary_zone(len(todo)):  # every Doc of the batch is read inside, then dropped
        if todo:
            started = time.perf_counter()
            try:
                with pipeline_ops(nlp):  # only ``parsed`` holds the Docs: each is popped as it is read
                    parsed = dict(zip(todo, nlp.pipe((make_doc(nlp, items[i].document, coder.headline_words,
                                                               coder.known_name) for i in todo),
                                                     batch_size=max(1, len(todo))), strict=True))
            except Exception:  # one document broke the batch: parse one by one
                if coder.fail_fast:
                    raise
                for i in todo:
                    try:
                        with pipeline_ops(nlp):
                            parsed[i] = nlp(make_doc(nlp, items[i].document, coder.headline_words, coder.known_name))
                    except Exception as exc:
                        problems[i] = internal_error("parse", exc)
            spent = time.perf_counter() - started
            chars = sum(len(items[i].document.text) + 1 for i in todo) or 1
            share = {i: spent * (len(items[i].document.text) + 1) / chars for i in todo}
        for i, item in enumerate(items):
            started = time.perf_counter()
            problem = problems[i]
            if problem is None:
                record = coder._code_parsed_safely(item.document, parsed.pop(i))
            else:
                record = coder._empty_record(item.document, [problem])
            out.append(Coded(record, share.get(i, 0.0) + time.perf_counter() - started))
    return out


def code_stream(coder: Coder, items: Sequence[ReadDocument]) -> Iterator[Coded]:
    """:func:`code_batch` over spaCy batches of ``coder.batch_size`` documents."""
    size = max(1, coder.batch_size)
    for start in range(0, len(items), size):
        yield from code_batch(coder, items[start:start + size])
