"""Coding into a store: skip what is stored, code the rest, write in batches.

:func:`code_into_store` is what ``dotterel code --db`` and ``dotterel watch``
call; :func:`recode` is ``dotterel recode``. Input documents are looked up in chunks
of ``batch_size`` (a document stored with the same id and text hash is skipped
*before* coding, so re-running a command is cheap); the rest stream through the
coder (its worker processes keep coding while the store writes), and the coded
records are written ``batch_size`` at a time, one transaction each.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..coder import Coder, internal_error
from ..errors import StoreError
from ..model import CodedDocument, Document, normalize_pub_date
from ..runner import RunSummary, prepare
from ..sources.items import ReadDocument, Skipped
from .rows import last_per_id, text_hash
from .schema import Reader, default_db_path
from .writer import StoreWriter

#: Documents per chunk: looked up, coded and committed together.
DEFAULT_BATCH = 64


@dataclass
class StoreRunSummary(RunSummary):
    """A run's counts, plus what the store already held."""

    unchanged: int = 0
    replaced: int = 0
    run_id: str = ""

    def line(self) -> str:
        return (
            super().line()
            + f", {self.unchanged} unchanged documents skipped, {self.replaced} replaced"
        )


def code_into_store(
    items: Iterable[ReadDocument | Skipped],
    *,
    db: str | Path | None = None,
    coder: Coder | None = None,
    pub_date: str | None = None,
    batch_size: int = DEFAULT_BATCH,
    command: str = "code",
    on_skip: Callable[[Skipped], None] | None = None,
    summary: StoreRunSummary | None = None,
    force: bool = False,
) -> Iterator[CodedDocument]:
    """Code ``items`` into the store at ``db``; yield each newly stored record after its commit.

    ``items`` come from :func:`dotterel.sources.read_sources` (or
    :func:`dotterel.sources.read_inputs`). ``force`` re-codes documents even when
    stored unchanged (what ``recode`` does). The run is recorded in ``runs``:
    ``done`` at the end, ``failed`` when an exception stops it, ``running`` if
    the process was killed.
    """
    coder = coder or Coder()
    summary = summary if summary is not None else StoreRunSummary()
    default_date = normalize_pub_date(pub_date)  # a bad date is refused before the run starts
    writer = StoreWriter(default_db_path(db))
    run_id = writer.start_run(command, coder.info)
    summary.run_id = run_id
    status = "failed"
    try:
        flight = _InFlight()
        fresh = _unstored(prepare(items, pub_date=default_date, on_skip=on_skip, summary=summary),
                          writer, summary, batch_size, force, flight)
        chunk: list[CodedDocument] = []
        for record in coder.code_many(fresh):
            chunk.append(record)
            if len(chunk) >= batch_size:
                yield from _write(chunk, writer, coder, run_id, summary, flight)
                chunk = []
        if chunk:
            yield from _write(chunk, writer, coder, run_id, summary, flight)
        status = "done"
    finally:
        summary.finished = time.perf_counter()
        try:
            writer.finish_run(run_id, status=status, unchanged=summary.unchanged,
                              input_skipped=summary.skipped)
        except StoreError:
            if status == "done":  # else the error that stopped the run is the one to report
                raise


class _InFlight:
    """Documents handed to the coder and not yet written, by id (with their text hash)."""

    def __init__(self) -> None:
        self._ids: dict[str, tuple[str, int]] = {}

    def holds(self, doc_id: str, digest: str) -> bool:
        """Whether the same id with the same text is on its way into the store already."""
        entry = self._ids.get(doc_id)
        return entry is not None and entry[0] == digest

    def add(self, doc_id: str, digest: str) -> None:
        entry = self._ids.get(doc_id)
        self._ids[doc_id] = (digest, entry[1] + 1 if entry else 1)

    def landed(self, doc_id: str) -> None:
        entry = self._ids.get(doc_id)
        if entry is None:
            return
        if entry[1] <= 1:
            del self._ids[doc_id]
        else:
            self._ids[doc_id] = (entry[0], entry[1] - 1)


def _unstored(items: Iterable[ReadDocument], writer: StoreWriter, summary: StoreRunSummary,
              batch_size: int, force: bool, flight: _InFlight) -> Iterator[ReadDocument]:
    """``items`` less those stored (or on their way into the store) with the same id and text,
    looked up a chunk at a time. The coder pulls from this while earlier records are written,
    so coding never waits for the store and the store never waits for a whole chunk."""
    chunk: list[ReadDocument] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= batch_size:
            yield from _unstored_chunk(chunk, writer, summary, force, flight)
            chunk = []
    if chunk:
        yield from _unstored_chunk(chunk, writer, summary, force, flight)


def _unstored_chunk(chunk: list[ReadDocument], writer: StoreWriter, summary: StoreRunSummary,
                    force: bool, flight: _InFlight) -> Iterator[ReadDocument]:
    todo = last_per_id(chunk, lambda item: item.document.doc_id)  # it would replace the earlier ones anyway
    summary.unchanged += len(chunk) - len(todo)
    digests = {item.document.doc_id: text_hash(item.document) for item in todo}
    if not force:
        stored = writer.stored_hashes(list(digests))
        fresh = [i for i in todo if stored.get(i.document.doc_id) != digests[i.document.doc_id]
                 and not flight.holds(i.document.doc_id, digests[i.document.doc_id])]
        summary.unchanged += len(todo) - len(fresh)
        todo = fresh
    for item in todo:
        flight.add(item.document.doc_id, digests[item.document.doc_id])
    yield from todo


def _write(records: list[CodedDocument], writer: StoreWriter, coder: Coder, run_id: str,
           summary: StoreRunSummary, flight: _InFlight) -> Iterator[CodedDocument]:
    """Write one batch of coded records in a transaction; yield them once it commits."""
    try:
        summary.replaced += writer.write(records, run_id=run_id).replaced
    except StoreError as exc:
        if exc.code != "failed" or coder.fail_fast:  # disk full, read-only, ...: the run stops
            raise
        records = _write_one_by_one(records, writer, run_id, summary)
    for record in records:
        flight.landed(record.id)
        summary.add(record)
        yield record


def _write_one_by_one(records: list[CodedDocument], writer: StoreWriter, run_id: str,
                      summary: StoreRunSummary) -> list[CodedDocument]:
    """Write a batch the store refused one record at a time; a record it still refuses is
    stored without its coding, with an ``internal`` error of stage ``store``."""
    written = []
    for record in records:
        try:
            summary.replaced += writer.write([record], run_id=run_id).replaced
        except StoreError as exc:
            if exc.code != "failed":
                raise
            record = replace(record, actors=[], places=[], dates=[], quotes=[], events=[],
                             errors=[internal_error("store", exc)])
            summary.replaced += writer.write([record], run_id=run_id).replaced
        written.append(record)
    return written


def stored_documents(db: str | Path | None = None, *, outdated_only: bool = False,
                     coder_version: str | None = None, knowledge: str | None = None,
                     page: int = 256) -> Iterator[ReadDocument]:
    """The stored documents as inputs again, in doc_id order, read a page at a time.

    ``outdated_only``: only those coded by another ``coder_version`` or, when ``knowledge``
    is given, with another knowledge version (or none recorded: coded before it was kept).

    The store is opened read-only for each page and closed in between, so the
    writer of a ``recode`` can commit while this iterates.
    """
    reader = Reader(default_db_path(db))
    after = ""
    while True:
        with reader.session() as con:
            where = "doc_id > ?"
            params: list[Any] = [after]
            if outdated_only:
                if knowledge is None:
                    where += " AND coder_version IS DISTINCT FROM ?"
                    params.append(coder_version)
                else:
                    where += " AND (coder_version IS DISTINCT FROM ? OR coder_knowledge IS DISTINCT FROM ?)"
                    params += [coder_version, knowledge]
            rows = con.execute(
                "SELECT doc_id, text, title, strftime(pub_date, '%Y-%m-%d'), url, source, language "
                f"FROM documents WHERE {where} ORDER BY doc_id LIMIT {int(page)}", params,
            ).fetchall()
        if not rows:
            reader.close()
            return
        for doc_id, text, title, pub, url, source, language in rows:
            yield ReadDocument(Document(text=text, id=doc_id, title=title, pub_date=pub, url=url,
                                        source=source, language=language or "en"))
        after = rows[-1][0]


def recode(
    *,
    db: str | Path | None = None,
    coder: Coder | None = None,
    outdated_only: bool = False,
    batch_size: int = DEFAULT_BATCH,
    summary: StoreRunSummary | None = None,
) -> Iterator[CodedDocument]:
    """Re-code every stored document with ``coder`` and replace its records.

    ``outdated_only`` re-codes only documents coded by another coder version or with other
    knowledge (``coder.knowledge``: the data files' versions).
    """
    coder = coder or Coder()
    info = coder.info
    items = stored_documents(db, outdated_only=outdated_only, coder_version=info["version"],
                             knowledge=info.get("knowledge"))
    yield from code_into_store(items, db=db, coder=coder, batch_size=batch_size, command="recode",
                               summary=summary, force=True)
