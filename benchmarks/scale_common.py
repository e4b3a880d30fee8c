"""The parallel-engine part of benchmarks/throughput.py (``--scale``).

Measured in one run on the VOA stories replicated with new ids:

- 2 workers vs 1 (local process pool), documents/s by wall clock;
- the same job through a Dask LocalCluster of the same number of workers vs the local pool;
- peak RSS of each worker (``VmHWM`` of the worker processes; Dask workers report their own);
- RSS of one worker after 1,000 stories and after ``--memory-stories`` (default 100,000),
  streamed from a generator (the corpus is never held in memory).

Every engine run starts its own processes, so each timing includes loading the model in
each worker (2–3 s); ``--replicate`` sets the run length that this is spread over.
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


def _local(corpus: Path, workers: int) -> tuple[float, int, list[int]]:
    """The local process pool with ``workers`` processes (1 included: a pool of one)."""
    from dotterel import Coder
    from dotterel.model import Document
    from dotterel.parallel.pool import LocalPool
    from dotterel.parallel.worker import CoderConfig
    from dotterel.read import read_inputs

    with LocalPool(CoderConfig.of(Coder()), workers) as pool:
        # start the workers and load their models before the clock starts
        warm = [ReadDocument(Document(text="France met Germany.", id=f"w{i}")) for i in range(8 * workers)]
        pool.batch_size = 4
        assert len(list(pool.code(warm))) == len(warm)
        pool.batch_size = 16
        started = time.perf_counter()
        n = sum(1 for _ in pool.code(read_inputs([corpus])))  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
        peaks = [_status_kb(pid, "VmHWM") // 1024 for pid in pool.pids()]
    return n / seconds, n, peaks


def _dask(corpus: Path, workers: int) -> tuple[float, int, list[int]]:
    import logging
    import resource

    from distributed import Client, LocalCluster

    from dotterel import Coder
    from dotterel.parallel.dask_engine import run_dask
    from dotterel.parallel.worker import CoderConfig, worker_coder

    config = CoderConfig.of(Coder())
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=logging.ERROR)
    with Client(cluster) as client:
        client.run(worker_coder, config)  # load the model in every worker before the clock starts
        with tempfile.TemporaryDirectory() as job:
            started = time.perf_counter()
            n = sum(1 for _ in run_dask([corpus], coder=config, job_dir=job, client=client,
                                        partition_size=max(20, _lines(corpus) // (4 * workers))))
            seconds = time.perf_counter() - started
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    cluster.close()
    return n / seconds, n, sorted(peaks.values())


def _lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for line in f if line.strip())


def _memory(stories: list[dict[str, Any]], total: int) -> dict[str, Any]:
    """RSS of one worker process after 1,000 stories and after ``total``."""
    from dotterel import Coder
    from dotterel.model import Document
    from dotterel.parallel.pool import LocalPool
    from dotterel.parallel.worker import CoderConfig

    marks = sorted({min(1_000, total), total})
    out: dict[str, Any] = {"stories": total}
    started = time.perf_counter()
    with LocalPool(CoderConfig.of(Coder()), 1) as pool:
        docs = (ReadDocument(Document.from_dict(s)) for s in replicated(stories, total))
        for n, _ in enumerate(pool.code(docs), start=1):
            if n in marks:
                pid = pool.pids()[0]
                out[f"rss_mb_after_{n}"] = _status_kb(pid, "VmRSS") // 1024
                print(f"  worker RSS after {n} stories: {out[f'rss_mb_after_{n}']} MB "
                      f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    first, last = out[f"rss_mb_after_{marks[0]}"], out[f"rss_mb_after_{marks[-1]}"]
    out["growth"] = round(last / first - 1, 3) if first else None
    return out


def run_scale(args: argparse.Namespace) -> int:
    stories = _stories(args.stories)
    workers = max(2, args.workers)
    n = len(stories) * max(1, args.replicate)
    result: dict[str, Any] = {"stories": n, "workers": workers}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as f:
            for story in replicated(stories, n):
                f.write(json.dumps(story) + "\n")
        print(f"local pool, 1 worker, {n} stories ...", file=sys.stderr)
        one, _, peak_one = _local(corpus, 1)
        print(f"local pool, {workers} workers ...", file=sys.stderr)
        many, _, peaks = _local(corpus, workers)
        print(f"Dask LocalCluster, {workers} workers ...", file=sys.stderr)
        dask_rate, dask_n, dask_peaks = _dask(corpus, workers)
    result.update({
        "one_worker_stories_per_s": round(one, 2),
        "n_workers_stories_per_s": round(many, 2),
        "speedup_n_vs_1": round(many / one, 3),
        "dask_stories_per_s": round(dask_rate, 2),
        "dask_vs_local": round(dask_rate / many, 3),
        "dask_documents": dask_n,
        "peak_rss_mb_per_worker_local": peaks or peak_one,
        "peak_rss_mb_per_worker_dask": dask_peaks,
    })
    print(f"memory: {args.memory_stories} stories through one worker ...", file=sys.stderr)
    result["memory"] = _memory(stories, args.memory_stories)
    print(json.dumps(result, indent=2))
    if args.write:
        write_section(result, args)
    return 0


def write_section(result: dict[str, Any], args: argparse.Namespace) -> None:
    import subprocess

    from throughput import _cores, _cpu

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    mem = result["memory"]
    machine = f"{platform.machine()}, {_cpu()}, {_cores()} cores, Python {platform.python_version()}"
    body = f"""{START}
## Scale: workers, Dask, memory

VOA stories replicated with new ids ({result['stories']} stories per run); each engine run
starts its processes and loads the model in every worker before its clock starts.

| measure | value | target |
|---|---|---|
| local pool, 1 worker | {result['one_worker_stories_per_s']} stories/s | |
| local pool, {result['workers']} workers | {result['n_workers_stories_per_s']} stories/s | |
| {result['workers']} workers vs 1 | **{result['speedup_n_vs_1']}×** | ≥ 1.7× (2 workers) |
| Dask LocalCluster, {result['workers']} workers | {result['dask_stories_per_s']} stories/s | |
| Dask vs local workers | **{result['dask_vs_local']}** | ≥ 0.9 |
| peak RSS per worker (local; Dask) | {result['peak_rss_mb_per_worker_local']} MB; {result['peak_rss_mb_per_worker_dask']} MB | |
| one worker's RSS after 1,000 / {mem['stories']:,} stories | {mem.get('rss_mb_after_1000')} / {mem.get(f"rss_mb_after_{mem['stories']}")} MB (growth {mem['growth']}) | flat, within 10 % |

Command: `.venv/bin/python benchmarks/throughput.py --scale --replicate {args.replicate} --memory-stories {args.memory_stories} --write`
Commit {commit}; machine: {machine}; measured {time.strftime('%Y-%m-%d')}.
{END}"""
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8")
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = head + body + tail
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    path.write_text(text, encoding="utf-8")
