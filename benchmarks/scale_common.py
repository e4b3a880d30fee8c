"""The parallel-engine part of benchmarks/throughput.py (``--scale``).

Measured in one run on the VOA stories replicated with new ids, with every engine started
and warm first, then ``--rounds`` rounds alternating them (order rotated each round; the
machines are noisy, so ratios are taken per round and their median reported):

- 2 workers vs 1 (local process pool), stories/s by wall clock, and the workers' CPU
  seconds per story (equal CPU per story and a lower ratio means the cores were busy);
- the same job through a Dask LocalCluster of the same number of workers vs the local pool;
- the same pool coding into a new store (``code_into_store``, what ``--db`` runs) vs without;
- peak RSS of each worker (``VmHWM`` of the worker processes; Dask workers report their own).

Whether a worker's memory stays flat over a long stream is benchmarks/memory.py's job (it
runs for hours, so it writes its figures as it goes).

Model loading is outside the timings (each engine is warmed up first); Dask rounds include
planning the partitions and the job directory's bookkeeping.
``--write`` replaces the "Scale" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dotterel.read import ReadDocument
from store_common import replace_section

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- scale:start -->", "<!-- scale:end -->"


def _stories(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def replicated(stories: list[dict[str, Any]], n: int) -> Iterator[dict[str, Any]]:
    """``n`` stories cycling through ``stories``, each copy with a new id."""
    for i in range(n):
        story = dict(stories[i % len(stories)])
        story["id"] = f"{story.get('id', 'voa')}-r{i}"
        yield story


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (all its threads)."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Engines:
    """A pool of 1 worker, a pool of N and a Dask LocalCluster of N, all started and warm."""

    def __init__(self, workers: int) -> None:
        import logging

        from distributed import Client, LocalCluster

        from dotterel import Coder
        from dotterel.model import Document
        from dotterel.parallel.pool import LocalPool
        from dotterel.parallel.worker import CoderConfig, warm_up

        self.config = CoderConfig.of(Coder())
        self.workers = workers
        self.pools = {1: LocalPool(self.config, 1), workers: LocalPool(self.config, workers)}
        for size, pool in self.pools.items():  # start the workers and load their models
            pool.batch_size = 4
            warm = [ReadDocument(Document(text="France met Germany.", id=f"w{i}")) for i in range(8 * size)]
            assert len(list(pool.code(warm))) == len(warm)
            pool.batch_size = 16
        self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                    dashboard_address=":0", silence_logs=logging.ERROR)
        self.client = Client(self.cluster)
        self.client.run(warm_up, self.config)

    def local(self, corpus: Path, size: int) -> tuple[float, float]:
        """(wall seconds, CPU seconds of the workers) for one pass over ``corpus``."""
        from dotterel.read import read_inputs

        pool = self.pools[size]
        pids = pool.pids()
        cpu = [_cpu_seconds(p) for p in pids]
        started = time.perf_counter()
        n = sum(1 for _ in pool.code(read_inputs([corpus])))  # type: ignore[arg-type]
        wall = time.perf_counter() - started
        assert n == _lines(corpus)
        return wall, sum(_cpu_seconds(p) - c for p, c in zip(pids, cpu, strict=True))

    def store(self, corpus: Path) -> float:
        """Wall seconds to code ``corpus`` with the pool of N into a new store (``--db``)."""
        from dotterel import Coder
        from dotterel.parallel.local import ParallelCoder
        from dotterel.read import read_inputs
        from dotterel.store import StoreRunSummary, code_into_store

        coder = ParallelCoder.like(Coder(), workers=self.workers)
        coder._pool = self.pools[self.workers]  # the warm pool, not a new one
        with tempfile.TemporaryDirectory() as tmp:
            summary = StoreRunSummary()
            started = time.perf_counter()
            for _ in code_into_store(read_inputs([corpus]), db=Path(tmp) / "s.duckdb", coder=coder,
                                     summary=summary):
                pass
            wall = time.perf_counter() - started
        coder._pool = None  # the engines close it
        assert summary.documents == _lines(corpus)
        return wall

    def dask(self, corpus: Path) -> float:
        from dotterel.parallel.dask_engine import run_dask

        with tempfile.TemporaryDirectory() as job:
            started = time.perf_counter()
            n = sum(1 for _ in run_dask([corpus], coder=self.config, job_dir=job, client=self.client,
                                        partition_size=max(20, _lines(corpus) // (4 * self.workers))))
            wall = time.perf_counter() - started
        assert n == _lines(corpus)
        return wall

    def peaks(self) -> tuple[list[int], list[int]]:
        import resource

        local = [_status_kb(pid, "VmHWM") // 1024 for pid in self.pools[self.workers].pids()]
        remote = self.client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
        return local, sorted(remote.values())

    def close(self) -> None:
        for pool in self.pools.values():
            pool.close()
        self.client.close()
        self.cluster.close()


def _lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for line in f if line.strip())


def run_scale(args: argparse.Namespace) -> int:
    import statistics

    stories = _stories(args.stories)
    workers = max(2, args.workers)
    n = len(stories) * max(1, args.replicate)
    result: dict[str, Any] = {"stories": n, "workers": workers, "rounds": args.rounds}
    rows: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as f:
            for story in replicated(stories, n):
                f.write(json.dumps(story) + "\n")
        engines = _Engines(workers)
        try:
            for r in range(args.rounds):  # alternate, rotating the order (the machine is noisy)
                row: dict[str, float] = {}
                runs = [("one", lambda: engines.local(corpus, 1)),
                        ("many", lambda: engines.local(corpus, workers)),
                        ("dask", lambda: (engines.dask(corpus), 0.0)),
                        ("store", lambda: (engines.store(corpus), 0.0))]
                for name, run in runs[r % 4:] + runs[: r % 4]:
                    wall, cpu = run()
                    row[name], row[name + "_cpu"] = wall, cpu
                rows.append(row)
                print(f"round {r + 1}: 1 worker {n / row['one']:.2f}/s, {workers} workers "
                      f"{n / row['many']:.2f}/s ({row['one'] / row['many']:.2f}x), Dask "
                      f"{n / row['dask']:.2f}/s ({row['many'] / row['dask']:.2f} of local), into a store "
                      f"{n / row['store']:.2f}/s ({row['many'] / row['store']:.2f} of local)", file=sys.stderr)
            local_peaks, dask_peaks = engines.peaks()
        finally:
            engines.close()
    med = statistics.median
    result.update({
        "one_worker_stories_per_s": round(med(n / r["one"] for r in rows), 2),
        "n_workers_stories_per_s": round(med(n / r["many"] for r in rows), 2),
        "speedup_n_vs_1": round(med(r["one"] / r["many"] for r in rows), 3),
        "speedup_rounds": [round(r["one"] / r["many"], 3) for r in rows],
        "worker_cpu_s_per_story_1_vs_n": [round(med(r["one_cpu"] for r in rows) / n, 4),
                                          round(med(r["many_cpu"] for r in rows) / n, 4)],
        "dask_stories_per_s": round(med(n / r["dask"] for r in rows), 2),
        "dask_vs_local": round(med(r["many"] / r["dask"] for r in rows), 3),
        "dask_rounds": [round(r["many"] / r["dask"], 3) for r in rows],
        "store_stories_per_s": round(med(n / r["store"] for r in rows), 2),
        "store_vs_local": round(med(r["many"] / r["store"] for r in rows), 3),
        "store_rounds": [round(r["many"] / r["store"], 3) for r in rows],
        "peak_rss_mb_per_worker_local": local_peaks,
        "peak_rss_mb_per_worker_dask": dask_peaks,
    })
    print(json.dumps(result, indent=2))
    if args.write:
        write_section(result, args)
    return 0


def write_section(result: dict[str, Any], args: argparse.Namespace) -> None:
    import subprocess

    from throughput import _cores, _cpu

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    machine = f"{platform.machine()}, {_cpu()}, {_cores()} cores, Python {platform.python_version()}"
    body = f"""{START}
## Scale: workers, Dask, memory

VOA stories replicated with new ids ({result['stories']} stories per run); all engines
started and warm first, then {result['rounds']} rounds alternating them (order rotated); medians
of the per-round ratios (rounds: {result['speedup_rounds']} and {result['dask_rounds']}).

| measure | value | target |
|---|---|---|
| local pool, 1 worker | {result['one_worker_stories_per_s']} stories/s | |
| local pool, {result['workers']} workers | {result['n_workers_stories_per_s']} stories/s | |
| {result['workers']} workers vs 1 | **{result['speedup_n_vs_1']}×** | ≥ 1.7× (2 workers) |
| workers' CPU seconds per story, 1 vs {result['workers']} workers | {result['worker_cpu_s_per_story_1_vs_n'][0]} / {result['worker_cpu_s_per_story_1_vs_n'][1]} | |
| Dask LocalCluster, {result['workers']} workers | {result['dask_stories_per_s']} stories/s | |
| Dask vs local workers | **{result['dask_vs_local']}** | ≥ 0.9 |
| local pool of {result['workers']} into a new store (`--db`) | {result['store_stories_per_s']} stories/s | |
| into the store vs without it (rounds {result['store_rounds']}) | **{result['store_vs_local']}** | ≥ 0.9 |
| peak RSS per worker (local; Dask) | {result['peak_rss_mb_per_worker_local']} MB; {result['peak_rss_mb_per_worker_dask']} MB | |
| one worker's RSS over a long stream | see "Memory" below (benchmarks/memory.py) | flat, within 10 % |

Command: `.venv/bin/python benchmarks/throughput.py --scale --rounds {args.rounds} --replicate {args.replicate} --write`
Commit {commit}; machine: {machine}; measured {time.strftime('%Y-%m-%d')}.
{END}"""
    replace_section(START, END, body)
