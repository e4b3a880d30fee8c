"""The Dask engine: the same job, partition by partition, on a dask.distributed cluster.

The driver (this process) plans partitions (:mod:`.partition`), keeps the job's
state in a job directory and submits one task per unfinished partition::

    JOB/plan.json           the inputs, options and partitions (a rerun must match)
    JOB/done/000012.json    partition 12 is finished: its counts (the manifest)
    JOB/parts/000012.pkl.gz its coded records (what JSONL output and the store are written from)
    JOB/running/000012.json which worker process is coding it (diagnostics)
    JOB/inputs/000012.jsonl.gz  partition 12's lines, when its input is a .jsonl.gz split at planning

A task reads its partition, codes it with the worker's one :class:`Coder`
(loaded once per worker process), writes its outputs under temporary names,
renames them into place and writes its ``done`` entry last. A worker that dies
mid-partition leaves no ``done`` entry: the scheduler runs the partition again
elsewhere (``retries`` more times for errors; a killed worker counts towards
Dask's ``allowed-failures``), and rerunning the command codes only the
partitions without one. Records come back to the driver in plan order, so the
output is the local engine's: same records, same order.
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
import socket
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import DotterelError, UsageError, missing_dependency
from ..model import CodedDocument, normalize_pub_date
from ..sources.items import ReadDocument, Skipped
from .dataset import DatasetWriter
from .partition import DEFAULT_PARTITION_SIZE, Partition, plan, read_partition
from .progress import Live, Tracker
from .worker import CoderConfig, code_stream, worker_coder

#: How many messages about skipped input lines a partition keeps for the driver.
SKIPPED_KEPT = 50


@dataclass(frozen=True)
class TaskSpec:
    """What every partition task needs besides its partition (picklable)."""

    coder: CoderConfig
    job_dir: str
    pub_date: str | None = None
    keep_records: bool = True
    output_dir: str | None = None
    run_id: str = ""
    stored_at: str = ""


@dataclass
class JobResult:
    """Counts of a finished (or partly finished) Dask job."""

    partitions: int = 0
    already_done: int = 0
    failed: list[str] = field(default_factory=list)
    skipped_lines: int = 0
    documents: int = 0
    events: int = 0
    quotes: int = 0
    errors: int = 0
    internal: int = 0


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with temp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, path)


def code_partition(part: Partition, spec: TaskSpec) -> dict[str, Any]:
    """Code one partition and write its outputs atomically; return its manifest entry.

    Runs on a Dask worker (or anywhere): the worker process's coder is built once.
    """
    job = Path(spec.job_dir)
    _atomic_write(job / "running" / f"{part.key}.json", json.dumps(
        {"host": socket.gethostname(), "pid": os.getpid(), "started": datetime.now(UTC).isoformat()}
    ).encode())
    skipped: list[str] = []
    n_skipped = 0
    items: list[ReadDocument] = []
    from dataclasses import replace

    for item in read_partition(part):
        if isinstance(item, Skipped):
            n_skipped += 1
            if len(skipped) < SKIPPED_KEPT:
                skipped.append(str(item))
            continue
        if spec.pub_date and item.document.pub_date is None:
            item = ReadDocument(replace(item.document, pub_date=spec.pub_date), item.read_error, item.detail)
        items.append(item)
    tracker = Tracker()
    records: list[CodedDocument] = []
    with worker_coder(spec.coder) as coder:
        for coded in code_stream(coder, items):
            tracker.add(coded.record, coded.seconds)
            records.append(coded.record)
    if spec.keep_records:
        _atomic_write(job / "parts" / f"{part.key}.pkl.gz",
                      gzip.compress(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL), 1))
    if spec.output_dir is not None:
        stored_at = datetime.fromisoformat(spec.stored_at) if spec.stored_at else None
        DatasetWriter(spec.output_dir, run_id=spec.run_id, stored_at=stored_at).write(records, part.key)
    entry = {
        "partition": part.index, "documents": len(records),
        "events": sum(len(r.events) for r in records), "quotes": sum(len(r.quotes) for r in records),
        "errors": tracker.errors,
        "internal": sum(1 for r in records if any(e.code == "internal" for e in r.errors)),
        "skipped": n_skipped, "skipped_messages": skipped,
        "slowest": tracker.slowest(), "seconds": round(sum(s for _, s in tracker.slowest()), 3),
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }
    _atomic_write(job / "done" / f"{part.key}.json", json.dumps(entry).encode())
    return entry


def _plan_or_resume(job: Path, inputs: Sequence[str], options: dict[str, Any], size: int,
                    input_format: str | None) -> list[Partition]:
    path = job / "plan.json"
    if path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved.get("inputs") != list(inputs) or saved.get("options") != options:
            raise UsageError(
                f"the job directory {str(job)!r} holds another job (other inputs or options): "
                "give a new --job-dir, or remove it to start over"
            )
        return [Partition(**(p | {"files": tuple(p["files"])})) for p in saved["partitions"]]
    parts = plan(inputs, size=size, input_format=input_format, stage_dir=job / "inputs")
    data = {"inputs": list(inputs), "options": options,
            "partitions": [asdict(p) for p in parts]}
    _atomic_write(path, json.dumps(data, indent=1).encode())
    return parts


def load_done(job: Path, key: str) -> dict[str, Any] | None:
    path = job / "done" / f"{key}.json"
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def load_records(job: Path, key: str) -> list[CodedDocument]:
    data = gzip.decompress((job / "parts" / f"{key}.pkl.gz").read_bytes())
    records: list[CodedDocument] = pickle.loads(data)
    return records


def connect(scheduler: str | None, workers: int | None) -> Any:
    """A dask.distributed Client: to ``scheduler`` (an address or a scheduler file), else to a
    new LocalCluster of ``workers`` processes with one thread each."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise missing_dependency("distributed", "dask") from exc
    if scheduler and Path(scheduler).is_file():  # a scheduler file (dask scheduler --scheduler-file)
        return Client(scheduler_file=scheduler)
    if scheduler:
        return Client(scheduler)
    import logging

    from .local import default_workers

    cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=logging.ERROR)
    return Client(cluster)


def run_dask(
    inputs: Sequence[str | Path],
    *,
    coder: CoderConfig,
    job_dir: str | Path,
    scheduler: str | None = None,
    client: Any = None,
    workers: int | None = None,
    keep_records: bool = True,
    output_dir: str | Path | None = None,
    pub_date: str | None = None,
    input_format: str | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    retries: int = 2,
    on_skip: Callable[[str], None] | None = None,
    tracker: Tracker | None = None,
    result: JobResult | None = None,
) -> Iterator[CodedDocument]:
    """Run the job on Dask; yield every record in input order (when ``keep_records``).

    Partitions finished by an earlier run of the same job (same ``job_dir``) are not
    coded again; their records are read back from the job directory. Raises
    :class:`DotterelError` at the end when partitions failed for good (rerun to retry them).
    """
    job = Path(job_dir)
    job.mkdir(parents=True, exist_ok=True)
    names = [str(i) for i in inputs]
    default_date = normalize_pub_date(pub_date)
    options = {"partition_size": partition_size, "input_format": input_format, "pub_date": default_date,
               "coder": asdict(coder) | {"actor_files": list(coder.actor_files)},
               "output_dir": str(output_dir) if output_dir is not None else None}
    parts = _plan_or_resume(job, names, options, partition_size, input_format)
    tracker = tracker if tracker is not None else Tracker()
    result = result if result is not None else JobResult()
    result.partitions = len(parts)
    done: dict[int, dict[str, Any]] = {}
    for part in parts:
        entry = load_done(job, part.key)
        if entry is not None:
            done[part.index] = entry
    result.already_done = len(done)
    run_id = uuid.uuid4().hex[:12]
    # partitions always keep their records, so a rerun can write any output from them
    spec = TaskSpec(coder=coder, job_dir=str(job), pub_date=default_date, keep_records=True,
                    output_dir=str(output_dir) if output_dir is not None else None,
                    run_id=run_id, stored_at=datetime.now(UTC).isoformat())
    total = sum(p.documents for p in parts)
    todo = [p for p in parts if p.index not in done]
    own_client = client is None and todo
    if own_client:
        client = connect(scheduler, workers)
    next_out = 0
    failed: set[int] = set()
    try:
        with Live(total=lambda: total, label="coding (dask)") as live:
            def take(entry: dict[str, Any]) -> None:
                tracker.merge(entry["documents"], entry["errors"], [tuple(s) for s in entry["slowest"]])
                live.advance(entry["documents"], entry["errors"])
                result.skipped_lines += entry["skipped"]
                result.documents += entry["documents"]
                result.events += entry["events"]
                result.quotes += entry["quotes"]
                result.errors += entry["errors"]
                result.internal += entry.get("internal", 0)
                for message in entry["skipped_messages"]:
                    if on_skip is not None:
                        on_skip(message)
                if entry["skipped"] > len(entry["skipped_messages"]) and on_skip is not None:
                    on_skip(f"... and {entry['skipped'] - len(entry['skipped_messages'])} more skipped "
                            f"input lines in partition {entry['partition']}")

            for entry in sorted(done.values(), key=lambda e: int(e["partition"])):
                take(entry)
            futures: list[Any] = []
            if todo:
                from distributed import as_completed

                futures = client.map(code_partition, todo, spec=spec, retries=retries, pure=False,
                                     key=[f"dotterel-partition-{run_id}-{p.key}" for p in todo])
                index_of = {f.key: p.index for f, p in zip(futures, todo, strict=True)}
                for future in as_completed(futures):
                    index = index_of[future.key]
                    try:
                        entry = future.result()
                    except Exception as exc:
                        failed.add(index)
                        result.failed.append(f"{parts[index].describe()}: {type(exc).__name__}: {exc}")
                        continue
                    finally:
                        future.release()
                    done[index] = entry
                    take(entry)
                    while keep_records and next_out < len(parts) and (next_out in done or next_out in failed):
                        if next_out in done:
                            yield from load_records(job, parts[next_out].key)
                        next_out += 1
            while keep_records and next_out < len(parts) and (next_out in done or next_out in failed):
                if next_out in done:
                    yield from load_records(job, parts[next_out].key)
                next_out += 1
    finally:
        if own_client and client is not None:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    if result.failed:
        raise DotterelError(
            f"{len(result.failed)} of {len(parts)} partitions failed ({result.failed[0]}); "
            f"run the same command again to retry them (finished partitions are kept in {str(job)!r})"
        )
