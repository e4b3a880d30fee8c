"""``dotterel code`` with ``--engine dask`` or ``--output-dir``: the job behind the options.

The plain ``dotterel code`` path (JSONL or store, local processes) lives in
``cli.py`` with :class:`~dotterel.parallel.local.ParallelCoder` as its coder;
this module runs the two cases that need more: a Parquet dataset
(``--output-dir``) and the Dask engine.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..model import CodedDocument
from ..render import write_records
from ..runner import RunSummary
from .dataset import DatasetWriter
from .partition import DEFAULT_PARTITION_SIZE
from .progress import Counter, interactive, show
from .sinks import check_empty_dataset, store_records, tee_dataset
from .worker import CoderConfig

if TYPE_CHECKING:
    from ..sources import Fetcher
    from .local import ParallelCoder


def default_job_dir(output_dir: Path | None, output: Path | None, db: Path | None) -> Path:
    """Where the Dask engine keeps a job's state when ``--job-dir`` is not given."""
    if output_dir is not None:
        return output_dir / "_job"
    if output is not None:
        return output.with_name(output.name + ".job")
    if db is not None:
        return db.with_name(db.name + ".job")
    return Path("dotterel-job")


def run_code(
    inputs: Sequence[str],
    *,
    coder: ParallelCoder,
    engine: str,
    workers: int | None,
    scheduler: str | None,
    output_dir: Path | None,
    job_dir: Path | None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    output: Path | None,
    out: IO[str],
    db: Path | None,
    fmt: str,
    include_text: bool,
    pub_date: str | None,
    input_format: str | None,
    fetcher: Fetcher | None = None,
    on_skip: Callable[[object], None],
    echo: Callable[[str], None],
) -> None:
    """Code ``inputs`` with either engine into a dataset, a store and/or ``out``; echo the summary.

    Records go to ``out`` unless a store or a dataset takes them and no ``output`` was named.
    """
    from ..store import StoreRunSummary

    tracker = coder.tracker
    summary: RunSummary = RunSummary() if db is None else StoreRunSummary()
    want_records = output is not None or db is not None or output_dir is None
    run_id = uuid.uuid4().hex[:12]
    records: Iterator[CodedDocument]
    job_note = ""
    result = None
    job = None
    if engine == "dask":
        from .dask_engine import JobResult, run_dask

        job = job_dir or default_job_dir(output_dir, output, db)
        result = JobResult()
        records = run_dask(inputs, coder=CoderConfig.of(coder), job_dir=job, scheduler=scheduler,
                           workers=workers, keep_records=want_records, output_dir=output_dir,
                           pub_date=pub_date, input_format=input_format,
                           partition_size=partition_size, on_skip=on_skip, tracker=tracker,
                           result=result)
    else:
        from ..model import normalize_pub_date
        from ..runner import prepare
        from ..sources import read_sources

        if output_dir is not None:
            check_empty_dataset(output_dir)
        items = prepare(read_sources(inputs, input_format=input_format, fetcher=fetcher),
                        pub_date=normalize_pub_date(pub_date), on_skip=on_skip, summary=summary)
        records = show(coder.code_many(items), total=Counter(inputs) if interactive() else None)
    if output_dir is not None and engine != "dask":  # dask tasks write their own files
        records = tee_dataset(records, DatasetWriter(output_dir, run_id=run_id))
    if db is not None:
        records = store_records(records, db=db, coder=coder.info, summary=summary)
    elif engine != "dask" or want_records:
        records = _counted(records, summary)
    if output is not None or (db is None and output_dir is None):
        write_records(records, out, fmt=fmt, include_text=include_text)
    else:
        for _ in records:
            pass
    if result is not None:
        summary.skipped = result.skipped_lines
        if not want_records:
            summary.documents, summary.errors = result.documents, result.errors
            summary.internal = result.internal
            summary.events, summary.quotes = result.events, result.quotes
        job_note = (f"; {result.partitions} partitions, {result.already_done} finished before this run "
                    f"(job directory {job})")
    summary.finished = time.perf_counter()
    echo(summary.line() + job_note)
    if tracker.slowest_line():
        echo(tracker.slowest_line())


def _counted(records: Iterator[CodedDocument], summary: RunSummary) -> Iterator[CodedDocument]:
    for record in records:
        summary.add(record)
        yield record
