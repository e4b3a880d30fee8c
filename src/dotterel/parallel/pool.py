"""A local pool of coding processes: streaming, bounded, in input order, surviving a killed worker.

The parent reads the input and hands batches of documents to N worker processes
(``spawn``ed, each loading the model once); results come back through one pipe
per worker and are yielded in input order. At most ``workers × depth`` batches
are out at any time (dispatched but not yet yielded), so memory stays flat
whatever the size of the input. A worker that dies (killed, out of memory) is
replaced and its unfinished batches are sent again; a batch that has killed
``max_attempts`` workers yields ``internal`` error records instead.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from ..errors import doc_error_message
from ..model import CodedDocument, DocumentError
from ..sources.items import ReadDocument
from .worker import ONE_THREAD_ENV, Coded, CoderConfig, code_stream, worker_coder

if TYPE_CHECKING:
    from ..coder import Coder

#: Batches out per worker: one being coded, one waiting, one being returned.
DEPTH = 3
#: Documents a worker codes before a fresh one takes its place. spaCy's memory zone frees a
#: story's new words (``nlp.transient_strings``), but its string table keeps a slot for
#: each (~30 bytes a distinct new word); a new worker every 100,000 documents bounds that,
#: for a load of 2-3 s.
RECYCLE_AFTER = 100_000


def _worker_main(config: CoderConfig, inbox: Any, outbox: Connection) -> None:
    """Loop of one worker process: take a batch, code it, send the results back."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    parent = os.getppid()
    with worker_coder(config) as coder:
        _serve(coder, inbox, outbox, parent)
    outbox.close()


def _serve(coder: Coder, inbox: Any, outbox: Connection, parent: int) -> None:
    while True:
        try:
            job = inbox.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != parent:  # the parent died (e.g. SIGKILL): do not linger
                return
            continue
        if job is None:
            break
        batch_id, items = job
        outbox.send((batch_id, list(code_stream(coder, items))))


@dataclass
class _Worker:
    process: Any
    inbox: Any
    outbox: Connection
    pending: dict[int, list[ReadDocument]] = field(default_factory=dict)
    #: documents sent to it so far; past ``recycle_after`` it takes no more and is replaced
    sent: int = 0


class LocalPool:
    """``workers`` coding processes; :meth:`code` streams documents through them in order.

    Use as a context manager (or call :meth:`close`); processes start on first use. A worker
    that has been sent ``recycle_after`` documents finishes them and is replaced by a fresh
    one (``recycled`` counts them; ``restarts`` counts workers that died).
    """

    def __init__(self, config: CoderConfig, workers: int | None = None, *,
                 batch_size: int | None = None, max_attempts: int = 3,
                 recycle_after: int | None = RECYCLE_AFTER) -> None:
        self.config = config
        self.size = max(1, workers or os.cpu_count() or 1)
        self.batch_size = max(1, batch_size or config.batch_size)
        self.max_attempts = max(1, max_attempts)
        self.recycle_after = recycle_after
        self.restarts = 0
        self.recycled = 0
        self._ctx = mp.get_context("spawn")
        self._workers: list[_Worker] = []

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> _Worker:
        inbox = self._ctx.Queue()
        receive, send = self._ctx.Pipe(duplex=False)
        saved = {k: os.environ.get(k) for k in ONE_THREAD_ENV}
        for key, value in ONE_THREAD_ENV.items():
            os.environ.setdefault(key, value)
        try:
            process = self._ctx.Process(target=_worker_main, args=(self.config, inbox, send),
                                        daemon=True, name="dotterel-worker")
            process.start()
        finally:
            for key, old in saved.items():
                if old is None:
                    os.environ.pop(key, None)
        send.close()
        return _Worker(process, inbox, receive)

    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and monitoring)."""
        return [w.process.pid for w in self._workers if w.process.is_alive()]

    def code(self, items: Iterable[ReadDocument]) -> Iterator[Coded]:
        """Code ``items``; yield each one's :class:`Coded` result in input order."""
        if not self._workers:
            self._workers = [self._start() for _ in range(self.size)]
        source = iter(items)
        exhausted = False
        next_id = 0          # id of the next batch to dispatch
        next_out = 0         # id of the next batch to yield
        done: dict[int, list[Coded]] = {}
        attempts: dict[int, int] = {}
        limit = self.size * DEPTH
        while True:
            self._recycle()
            # dispatch while there is room: to the least busy worker that takes more
            while not exhausted and next_id - next_out < limit:
                open_ = [w for w in self._workers if not self._retiring(w)]
                if not open_:
                    break
                worker = min(open_, key=lambda w: len(w.pending))
                if len(worker.pending) >= DEPTH:
                    break
                batch = _take(source, self.batch_size)
                if not batch:
                    exhausted = True
                    break
                worker.pending[next_id] = batch
                worker.inbox.put((next_id, batch))
                worker.sent += len(batch)
                next_id += 1
            while next_out in done:
                yield from done.pop(next_out)
                next_out += 1
            if exhausted and next_out == next_id:
                return
            self._collect(done, attempts)

    def _retiring(self, worker: _Worker) -> bool:
        return self.recycle_after is not None and worker.sent >= self.recycle_after

    def _recycle(self) -> None:
        """Replace each worker that has been sent ``recycle_after`` documents and has coded them."""
        for i, worker in enumerate(self._workers):
            if self._retiring(worker) and not worker.pending and worker.process.is_alive():
                _stop(worker)
                self._workers[i] = self._start()
                self.recycled += 1

    def _collect(self, done: dict[int, list[Coded]], attempts: dict[int, int]) -> None:
        """Wait for results (or a dead worker) and take them in."""
        by_handle: dict[Any, _Worker] = {}
        for w in self._workers:
            by_handle[w.outbox] = w
            by_handle[w.process.sentinel] = w
        for handle in wait(list(by_handle), timeout=1.0):
            worker = by_handle[handle]
            if handle is worker.outbox:
                try:
                    batch_id, results = worker.outbox.recv()
                except (EOFError, OSError):
                    continue  # the worker died; its sentinel says so
                worker.pending.pop(batch_id, None)
                done[batch_id] = results
        for i, worker in enumerate(self._workers):
            if worker.process.is_alive():
                continue
            # drain anything it sent before dying
            while worker.pending and _poll(worker.outbox):
                try:
                    batch_id, results = worker.outbox.recv()
                except (EOFError, OSError):
                    break
                worker.pending.pop(batch_id, None)
                done[batch_id] = results
            self.restarts += 1
            replacement = self._start()
            self._workers[i] = replacement
            for batch_id, batch in sorted(worker.pending.items()):
                attempts[batch_id] = attempts.get(batch_id, 1) + 1
                if attempts[batch_id] > self.max_attempts:
                    done[batch_id] = [_lost(item, worker.process.exitcode, self.config.build().info)
                                      for item in batch]
                else:
                    replacement.pending[batch_id] = batch
                    replacement.inbox.put((batch_id, batch))
            worker.outbox.close()

    def close(self) -> None:
        """Stop the workers (they finish their current batch first, or are killed after 10 s)."""
        for worker in self._workers:
            if worker.process.is_alive():
                worker.inbox.put(None)
        for worker in self._workers:
            _stop(worker, ask=False)
        self._workers = []


def _stop(worker: _Worker, *, ask: bool = True) -> None:
    """End a worker: it finishes its current batch first, or is killed after 10 s."""
    if ask and worker.process.is_alive():
        worker.inbox.put(None)
    worker.process.join(timeout=10)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join()
    worker.outbox.close()
    worker.inbox.close()
    worker.inbox.join_thread()


def _take(source: Iterator[ReadDocument], n: int) -> list[ReadDocument]:
    batch: list[ReadDocument] = []
    for item in source:
        batch.append(item)
        if len(batch) >= n:
            break
    return batch


def _poll(conn: Connection) -> bool:
    try:
        return conn.poll()
    except (EOFError, OSError):
        return False


def _lost(item: ReadDocument, exitcode: int | None, info: dict[str, str]) -> Coded:
    """The record of a document whose batch killed every worker that tried it."""
    d = item.document
    detail = f"the worker process coding it died (exit code {exitcode}) on every attempt"
    record = CodedDocument(id=d.doc_id, text=d.text, title=d.title, pub_date=d.pub_date, url=d.url,
                           source=d.source, language=d.language, coder=dict(info),
                           errors=[DocumentError("internal", doc_error_message("internal", detail),
                                                  stage="worker")])
    return Coded(record, 0.0)
