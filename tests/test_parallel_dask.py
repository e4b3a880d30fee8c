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
                                       dashboard_address=":0", silence_logs=logging.ERROR)
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


def test_cli_dask_job_resumes_and_writes_all_outputs(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dotterel.cli import app

    small = write_corpus(tmp_path / "small.jsonl", 45)
    out, ds = tmp_path / "out.jsonl", tmp_path / "ds"
    args = ["code", str(small), "--engine", "dask", "--workers", "2", "--partition-size", "20",
            "--output-dir", str(ds), "--output", str(out), "--db", str(tmp_path / "s.duckdb")]
    runner = CliRunner()
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "45 documents" in first.stderr and "3 partitions, 0 finished before this run" in first.stderr
    assert "slowest documents: s" in first.stderr
    lines = out.read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [f"s{i:05d}" for i in range(45)]
    assert (ds / "_job" / "done" / "000002.json").exists()
    assert len(list((ds / "documents").glob("*/part-000000.parquet"))) == 4  # 4 months
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "3 finished before this run" in again.stderr
    assert "0 documents" in again.stderr and "45 unchanged documents skipped" in again.stderr  # not rewritten
    assert out.read_text().splitlines() == lines
    import duckdb

    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (45,)
    con.close()


def test_cli_refuses_an_unknown_engine_and_other_jobs(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dotterel.cli import app

    small = write_corpus(tmp_path / "small.jsonl", 3)
    result = CliRunner().invoke(app, ["code", str(small), "--engine", "spark"])
    assert result.exit_code != 0 and "choose local or dask" in result.output
    job = tmp_path / "job"
    job.mkdir()
    (job / "plan.json").write_text(json.dumps({"inputs": ["other.jsonl"], "options": {}, "partitions": []}))
    result = CliRunner().invoke(app, ["code", str(small), "--engine", "dask", "--job-dir", str(job)])
    assert result.exit_code == 2 and "holds another job" in result.stderr


def test_missing_dask_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from dotterel.errors import DependencyError
    from dotterel.parallel.dask_engine import connect

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(DependencyError, match=r"dotterel\[dask\]"):
        connect(None, 1)
