"""The one writer: every change to a store goes through :class:`StoreWriter`.

Each :meth:`StoreWriter.write` is one DuckDB transaction holding whole
documents with all their records, their near-duplicate links and the run's
counts, so a process killed at any moment leaves every document either fully
stored or absent. The file is opened for each batch and closed after it, so
readers in other processes get their turn between batches (see schema.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import dedup
from ..errors import missing_dependency
from ..model import CodedDocument
from . import words
from .rows import Batch
from .schema import connect, migrate, scalar, store_errors

#: Tables holding one document's records, keyed by doc_id (and the word index, words.delete).
DOC_TABLES = ("actors", "events", "event_actors", "quotes", "places", "dates", "doc_minhash",
              "doc_bands", "documents")


@dataclass
class WriteResult:
    """What one batch changed."""

    stored: int = 0
    replaced: int = 0
    events: int = 0
    quotes: int = 0
    errors: int = 0


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class StoreWriter:
    """Writes coded documents and run records into one DuckDB store."""

    def __init__(self, path: str | Path, *, lock_timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        con = self._open()
        try:
            with store_errors(self.path):
                migrate(con, path=self.path)
        finally:
            with suppress(Exception):
                con.close()

    def _open(self) -> Any:
        return connect(self.path, read_only=False, timeout=self.lock_timeout)

    @contextmanager
    def session(self) -> Iterator[Any]:
        """A read-write connection for one unit of work; DuckDB and OS errors become StoreError."""
        con = self._open()
        try:
            with store_errors(self.path):
                yield con
        finally:
            with suppress(Exception):
                con.close()

    def start_run(self, command: str, coder: dict[str, str]) -> str:
        """Record a new run (status ``running``) and return its id."""
        run_id = uuid.uuid4().hex[:16]
        with self.session() as con:
            con.execute(
                "INSERT INTO runs (run_id, command, coder_name, coder_version, coder_model, "
                "coder_knowledge, started_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'running')",
                [run_id, command, coder.get("name"), coder.get("version"), coder.get("model"),
                 coder.get("knowledge"), _now()],
            )
        return run_id

    def finish_run(self, run_id: str, *, status: str, unchanged: int, input_skipped: int) -> None:
        """Close a run: its status (``done`` or ``failed``), end time and final counts."""
        with self.session() as con:
            con.execute(
                "UPDATE runs SET status = ?, finished_at = ?, unchanged = ?, input_skipped = ? "
                "WHERE run_id = ?",
                [status, _now(), unchanged, input_skipped, run_id],
            )

    def stored_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """doc_id → text hash for the ids already stored."""
        if not ids:
            return {}
        with self.session() as con:
            rows = con.execute(
                "SELECT doc_id, text_hash FROM documents WHERE doc_id IN (SELECT unnest(?))",
                [list(ids)],
            ).fetchall()
        return {r[0]: r[1] for r in rows}

    def write(self, records: Sequence[CodedDocument], *, run_id: str) -> WriteResult:
        """Store ``records`` (replacing same-id documents) in one transaction."""
        result = WriteResult()
        if not records:
            return result
        try:
            import pyarrow as pa
        except ImportError as exc:
            raise missing_dependency("pyarrow", "store") from exc
        signatures = [dedup.signature(r.text) for r in records]
        ids = [r.id for r in records]
        # the word index rows are computed before the file is held (pure Python work)
        word_rows = words.rows(ids, [r.title for r in records], [r.text for r in records])
        with self.session() as con:
            con.begin()
            try:
                result = self._write(con, pa, records, ids, signatures, word_rows, run_id)
                con.commit()
            except BaseException:
                with suppress(Exception):  # a failed commit has rolled back already
                    con.rollback()
                raise
        return result

    def _write(self, con: Any, pa: Any, records: Sequence[CodedDocument], ids: list[str],
               signatures: list[dedup.Signature | None], word_rows: dict[str, list[Any]],
               run_id: str) -> WriteResult:
        result = WriteResult()
        stored = [r[0] for r in con.execute(
            "SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?))", [ids]).fetchall()]
        result.replaced = len(stored)
        if stored:  # only documents being replaced have rows to delete
            for table in DOC_TABLES:
                con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT unnest(?))", [stored]).fetchall()
            words.delete(con, stored)
        clusters = self._clusters(con, records, signatures)
        next_eid = int(scalar(con, "SELECT coalesce(max(eid), 0) FROM events")) + 1
        batch = Batch()
        stored_at = _now()
        for record in records:
            next_eid = batch.add(record, run_id=run_id, cluster_id=clusters[record.id],
                                 next_eid=next_eid, stored_at=stored_at)
            result.stored += 1
            result.events += len(record.events)
            result.quotes += len(record.quotes)
            result.errors += 1 if record.errors else 0
        for table, columns in batch.tables().items():
            if len(columns):
                _insert(con, pa, table, columns.data)
        sig_rows: dict[str, list[Any]] = {"doc_id": [], "signature": []}
        band_rows: dict[str, list[Any]] = {"doc_id": [], "band": [], "key": []}
        for record, sig in zip(records, signatures, strict=True):
            if sig is None:
                continue
            sig_rows["doc_id"].append(record.id)
            sig_rows["signature"].append(sig.to_bytes())
            for band, key in enumerate(sig.bands):
                band_rows["doc_id"].append(record.id)
                band_rows["band"].append(band)
                band_rows["key"].append(key)
        words.insert(con, pa, word_rows)
        if sig_rows["doc_id"]:
            _insert(con, pa, "doc_minhash", sig_rows)
            _insert(con, pa, "doc_bands", band_rows)
        linked = sorted({c for i, c in clusters.items() if c != i})
        if linked:
            update_event_counts(con, linked)
        con.execute(
            "UPDATE runs SET documents = documents + ?, replaced = replaced + ?, "
            "events = events + ?, quotes = quotes + ?, errors = errors + ? WHERE run_id = ?",
            [result.stored, result.replaced, result.events, result.quotes, result.errors, run_id],
        ).fetchall()
        return result

    def _clusters(self, con: Any, records: Sequence[CodedDocument],
                  signatures: list[dedup.Signature | None]) -> dict[str, str]:
        """doc_id → cluster id (the first-stored member of its near-duplicate group)."""
        keys = sorted({k for s in signatures if s is not None for k in s.bands})
        known: dict[int, list[tuple[str, dedup.Signature, str]]] = {}
        if keys:
            rows = con.execute(
                "SELECT b.key, b.doc_id, m.signature, d.cluster_id FROM doc_bands b "
                "JOIN doc_minhash m USING (doc_id) JOIN documents d USING (doc_id) "
                "WHERE b.key IN (SELECT unnest(?))", [keys],
            ).fetchall()
            for key, doc_id, blob, cluster in rows:
                known.setdefault(int(key), []).append(
                    (doc_id, dedup.Signature.from_bytes(bytes(blob)), cluster))
        clusters: dict[str, str] = {}
        for record, sig in zip(records, signatures, strict=True):
            cluster = record.id
            if sig is not None:
                seen: dict[str, tuple[dedup.Signature, str]] = {}
                for key in sig.bands:
                    for doc_id, other, other_cluster in known.get(key, []):
                        if doc_id != record.id:
                            seen[doc_id] = (other, other_cluster)
                match = dedup.best_match(sig, sorted((k, v[0]) for k, v in seen.items()))
                if match is not None:
                    cluster = seen[match][1]
                for key in sig.bands:
                    known.setdefault(key, []).append((record.id, sig, cluster))
            clusters[record.id] = cluster
        return clusters


def update_event_counts(con: Any, clusters: Sequence[str]) -> None:
    """Recompute num_articles / num_sources of the events of ``clusters``."""
    con.execute(
        """UPDATE events SET num_articles = c.na, num_sources = c.ns
        FROM (
            SELECT e.cluster_id, e.event_key, count(DISTINCT e.doc_id) AS na,
                   count(DISTINCT coalesce(d.source, d.doc_id)) AS ns
            FROM events e JOIN documents d USING (doc_id)
            WHERE e.cluster_id IN (SELECT unnest(?))
            GROUP BY e.cluster_id, e.event_key
        ) AS c
        WHERE events.cluster_id = c.cluster_id AND events.event_key = c.event_key""",
        [list(clusters)],
    ).fetchall()


def _insert(con: Any, pa: Any, table: str, data: dict[str, list[Any]]) -> None:
    arrow = pa.table(data)
    name = f"_dotterel_new_{table}"
    con.register(name, arrow)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {name}").fetchall()
    finally:
        con.unregister(name)


def seen_feed_items(writer: StoreWriter, feed_url: str) -> set[str]:
    """Keys of the items of ``feed_url`` already coded into the store."""
    with writer.session() as con:
        rows = con.execute("SELECT item_key FROM feed_items WHERE feed_url = ?", [feed_url]).fetchall()
    return {r[0] for r in rows}


def mark_feed_items(writer: StoreWriter, feed_url: str, items: list[tuple[str, str]]) -> None:
    """Remember (item key, doc id) pairs of ``feed_url`` as done."""
    if not items:
        return
    with writer.session() as con:
        con.executemany(
            "INSERT INTO feed_items VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [[feed_url, key, doc_id, _now()] for key, doc_id in items],
        )
