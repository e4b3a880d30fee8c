"""Where a parallel run's records go besides JSONL: a Parquet dataset, or the store.

Both take records in input order from either engine and pass them on, so the
command line can chain them (records → dataset → JSONL output).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import UsageError
from ..model import CodedDocument
from .dataset import DatasetWriter

#: Documents per Parquet file written by the local engine.
DATASET_CHUNK = 2000


def check_empty_dataset(root: str | Path) -> None:
    """The local engine writes a new dataset: refuse a directory that already holds one."""
    path = Path(root)
    if path.exists() and any(path.glob("*/pub_month=*/*.parquet")):
        raise UsageError(
            f"{str(path)!r} already holds a Parquet dataset: give an empty --output-dir "
            "(or use --engine dask, whose reruns resume a job)"
        )


def tee_dataset(records: Iterable[CodedDocument], writer: DatasetWriter, *,
                chunk: int = DATASET_CHUNK, prefix: str = "local") -> Iterator[CodedDocument]:
    """Yield ``records`` while writing them to the dataset, ``chunk`` documents per file."""
    buffer: list[CodedDocument] = []
    seq = 0
    for record in records:
        buffer.append(record)
        yield record
        if len(buffer) >= chunk:
            writer.write(buffer, f"{prefix}-{seq:06d}")
            seq += 1
            buffer = []
    if buffer:
        writer.write(buffer, f"{prefix}-{seq:06d}")


def store_records(records: Iterable[CodedDocument], *, db: str | Path | None, coder: dict[str, str],
                  summary: object, batch_size: int = 64, command: str = "code") -> Iterator[CodedDocument]:
    """Write coded records into the store in committed batches (one writer: this process).

    ``summary`` is a :class:`dotterel.store.StoreRunSummary`; each record is yielded after its
    batch commits. A document stored with the same id and text hash is not written again
    (counted unchanged, as the local engine counts it): a rerun of a Dask job reads its finished
    partitions back without rewriting them. Its record is still yielded, for ``--output``: it
    was coded anyway. Same-id documents with other text are replaced.
    """
    from ..store import StoreRunSummary
    from ..store.schema import default_db_path
    from ..store.writer import StoreWriter

    assert isinstance(summary, StoreRunSummary)
    writer = StoreWriter(default_db_path(db))
    run_id = writer.start_run(command, coder)
    summary.run_id = run_id
    status = "failed"
    try:
        chunk: list[CodedDocument] = []
        for record in records:
            chunk.append(record)
            if len(chunk) >= batch_size:
                yield from _commit(writer, chunk, run_id, summary)
                chunk = []
        if chunk:
            yield from _commit(writer, chunk, run_id, summary)
        status = "done"
    finally:
        summary.finished = time.perf_counter()
        writer.finish_run(run_id, status=status, unchanged=summary.unchanged,
                          input_skipped=summary.skipped)


def _commit(writer: object, chunk: list[CodedDocument], run_id: str, summary: object) -> Iterator[CodedDocument]:
    from ..store import StoreRunSummary
    from ..store.rows import last_per_id, text_hash
    from ..store.writer import StoreWriter

    assert isinstance(writer, StoreWriter) and isinstance(summary, StoreRunSummary)

    keep = last_per_id(chunk, lambda r: r.id)  # as in code_into_store
    stored = writer.stored_hashes([r.id for r in keep])
    fresh = [r for r in keep if stored.get(r.id) != text_hash(r)]
    summary.unchanged += len(chunk) - len(fresh)
    if fresh:
        summary.replaced += writer.write(fresh, run_id=run_id).replaced
    for record in fresh:
        summary.add(record)
    yield from keep
