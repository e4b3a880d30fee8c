"""The Dask engine on a LocalCluster of two worker processes: identity, a killed worker, resume."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dotterel import Coder
from dotterel.parallel.dask_engine import JobResult, run_dask
from dotterel.parallel.local import ParallelCoder
from dotterel.parallel.worker import CoderConfig
from dotterel.read import read_inputs
from dotterel.render import to_json_line

from .parallel_corpus import write_corpus

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    import logging

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder / "a.jsonl", 150)
    write_corpus(folder / "b.jsonl.gz", 90, gz=True, start=150)
    return folder


@pytest.fixture(scope="module")
def local_lines(corpus: Path) -> list[str]:
    with ParallelCoder(workers=2) as pc:
        return [to_json_line(r) for r in pc.code_many(read_inputs([corpus]))]


def _run(corpus: Path, job: Path, client: Any, **kw: Any) -> tuple[list[str], JobResult]:
    result = JobResult()
    lines = [to_json_line(r) for r in run_dask([corpus], coder=CoderConfig.of(Coder()), job_dir=job,
                                               client=client, partition_size=40, result=result, **kw)]
    return lines, result


def test_dask_output_is_the_local_output(corpus: Path, client: Any, local_lines: list[str],
                                         tmp_path: Path) -> None:
    lines, result = _run(corpus, tmp_path / "job", client)
    assert len(local_lines) == 240
    assert lines == local_lines
    assert result.partitions == 7 and not result.failed  # 150 → 4 partitions, 90 → 3
    # a rerun codes nothing again, and a partition whose manifest entry is gone is redone
    (tmp_path / "job" / "done" / "000002.json").unlink()
    again, result = _run(corpus, tmp_path / "job", client)
    assert again == local_lines and result.already_done == 6


def test_a_killed_worker_mid_partition(corpus: Path, client: Any, local_lines: list[str],
                                       tmp_path: Path) -> None:
    job = tmp_path / "job"
    killed: list[int] = []

    def kill_one() -> None:  # SIGKILL the first worker seen coding a partition
        deadline = time.monotonic() + 120
        while not killed and time.monotonic() < deadline:
            for marker in sorted((job / "running").glob("*.json")) if (job / "running").exists() else []:
                if not (job / "done" / marker.name).exists():
                    pid = json.loads(marker.read_text())["pid"]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
            time.sleep(0.02)

    watcher = threading.Thread(target=kill_one, daemon=True)
    watcher.start()
    lines, result = _run(corpus, job, client)
    watcher.join()
    assert killed, "no worker was killed"
    assert lines == local_lines  # every document exactly once, in order
    ids = [json.loads(line)["id"] for line in lines]
    assert len(ids) == len(set(ids)) == 240
    assert not result.failed


def test_dataset_from_dask_matches_the_local_one(corpus: Path, client: Any, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    from dotterel.parallel.dataset import DatasetWriter
    from dotterel.parallel.sinks import tee_dataset

    _run(corpus, tmp_path / "job", client, output_dir=tmp_path / "dask", keep_records=False)
    with ParallelCoder(workers=1) as pc:
        for _ in tee_dataset(pc.code_many(read_inputs([corpus])), DatasetWriter(tmp_path / "local"), chunk=100):
            pass
    con = duckdb.connect()
    for table in ("documents", "events", "event_actors", "actors", "places"):
        def rows(root: Path, table: str = table) -> list[tuple[Any, ...]]:
            rel = con.sql(f"SELECT * EXCLUDE (run_id, stored_at) FROM read_parquet('{root}/{table}/*/*.parquet', "
                          "hive_partitioning=true, union_by_name=true)") if table == "documents" else \
                con.sql(f"SELECT * FROM read_parquet('{root}/{table}/*/*.parquet', hive_partitioning=true)")
            return sorted(rel.fetchall(), key=repr)

        assert rows(tmp_path / "dask") == rows(tmp_path / "local"), table
