"""Does a worker's memory stay flat? RSS of the worker processes while a job of ``--workers N``
(default 1) codes ``--stories N`` (default 100,000) VOA stories replicated with new ids, streamed
from a generator (the corpus is never held in memory).

    .venv/bin/python benchmarks/memory.py [--stories 100000] [--workers 2] [--log memory.jsonl] [--write]
    .venv/bin/python benchmarks/memory.py --report memory.jsonl --write

A line goes to ``--log`` every ``--every`` stories (stories, VmRSS and VmHWM of the worker in
MB, elapsed seconds), flushed as it is written: a run of several hours leaves its figures
behind even if it is stopped, and ``--report`` turns a log (finished or not) into the
"Memory" section of docs/benchmarks.md. With several workers a line holds each worker's RSS
and ``rss_mb``/``hwm_mb`` are the largest of them. The verdict compares RSS after 1,000
stories of the job with RSS after the last line (target: within 10 %).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from scale_common import _status_kb, _stories, replicated
from store_common import replace_section
from throughput import DEFAULT_STORIES, _cores, _cpu

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- memory:start -->", "<!-- memory:end -->"


def run(stories_path: Path, total: int, every: int, log: Path, workers: int = 1) -> None:
    from dotterel import Coder
    from dotterel.model import Document
    from dotterel.parallel.pool import LocalPool
    from dotterel.parallel.worker import CoderConfig
    from dotterel.read import ReadDocument

    stories = _stories(stories_path)
    commit = _commit()
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out, LocalPool(CoderConfig.of(Coder()), workers) as pool:
        header = {"commit": commit, "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                  "target": total, "workers": workers, "corpus": str(stories_path.name),
                  "machine": _machine()}
        out.write(json.dumps(header) + "\n")
        out.flush()
        docs = (ReadDocument(Document.from_dict(s)) for s in replicated(stories, total))
        for n, _ in enumerate(pool.code(docs), start=1):
            if n % every == 0 or n == total:
                pids = pool.pids()
                rss = [_status_kb(pid, "VmRSS") // 1024 for pid in pids]
                hwm = [_status_kb(pid, "VmHWM") // 1024 for pid in pids]
                line = {"stories": n, "rss_mb": max(rss), "hwm_mb": max(hwm),
                        "elapsed_s": round(time.perf_counter() - started)}
                if workers > 1:
                    line |= {"pids": pids, "rss_each_mb": rss}
                out.write(json.dumps(line) + "\n")
                out.flush()
                print(f"  {n:,} stories: RSS {line['rss_mb']} MB ({line['elapsed_s']} s)", file=sys.stderr)


#: Samples in each of the two windows whose lowest and highest RSS are compared.
WINDOW = 10


def _each(sample: dict[str, Any]) -> list[int]:
    """RSS of every worker at a sample (one-worker logs hold only ``rss_mb``)."""
    return list(sample.get("rss_each_mb") or [sample["rss_mb"]])


def summarize(log: Path) -> dict[str, Any]:
    """The header and samples of a log; the growth from 1,000 stories to the last sample, and of
    the lowest (floor) and highest (peak) worker RSS between the first and the last ``WINDOW`` samples.

    A worker's RSS at one sample depends on what it parsed last: a spaCy batch of long stories
    lifts it by up to ~250 MB until glibc hands the memory back. One sample against another can
    so differ by a third with no growth at all; the floor and the peak of ten samples cannot.
    The verdict is flat when neither has grown by more than 10 %.
    """
    with log.open(encoding="utf-8") as f:
        lines = [json.loads(line) for line in f if line.strip()]
    header, samples = lines[0], lines[1:]
    if not samples:
        raise SystemExit(f"{log}: no samples yet")
    steady = [s for s in samples if s["stories"] >= 1_000] or samples
    first, last = steady[0], steady[-1]
    early = [r for s in steady[:WINDOW] for r in _each(s)]
    late = [r for s in steady[-WINDOW:] for r in _each(s)]
    floor = (min(early), min(late))
    peak = (max(early), max(late))
    growth = {"floor": round(floor[1] / floor[0] - 1, 3), "peak": round(peak[1] / peak[0] - 1, 3)}
    return {**header, "samples": samples, "first": first, "last": last,
            "finished": last["stories"] >= header["target"],
            "growth": round(last["rss_mb"] / first["rss_mb"] - 1, 3),
            "floor": floor, "peak": peak, "window_growth": growth,
            "flat": max(growth.values()) <= 0.10}


def write_section(summary: dict[str, Any], log_name: str) -> None:
    first, last, samples = summary["first"], summary["last"], summary["samples"]
    marks = [s for s in samples if s["stories"] in {1_000, 10_000, 25_000, 50_000, 75_000, 100_000}
             or s is last]
    rows = "\n".join(f"| {s['stories']:,} | {' / '.join(map(str, _each(s)))} MB | {s['hwm_mb']} MB | {s['elapsed_s'] // 3600}:{s['elapsed_s'] % 3600 // 60:02d} |"
                     for s in marks)
    rss = [r for s in samples if s["stories"] >= first["stories"] for r in _each(s)]
    floor, peak, growth = summary["floor"], summary["peak"], summary["window_growth"]
    n_window = min(WINDOW, len([s for s in samples if s["stories"] >= first["stories"]]))
    status = ("" if summary["finished"] else
              f"\n**The run had not finished** when this was written: {last['stories']:,} of "
              f"{summary['target']:,} stories.\n")
    verdict = "flat (within 10 %)" if summary["flat"] else "NOT flat"
    if not summary["finished"]:
        verdict += " so far"
    workers = summary.get("workers", 1)
    who = ("One worker process (the local pool's, as `dotterel code --workers 1` starts it)" if workers == 1 else
           f"A job of {workers} worker processes (the local pool's, as `dotterel code --workers {workers}` starts "
           f"them; each codes about 1/{workers} of the stories)")
    largest = "" if workers == 1 else " RSS is each worker's; peak RSS the highest of any worker."
    body = f"""{START}
## Memory: {'one worker' if workers == 1 else f'{workers} workers'} over a long stream

{who} coding the VOA stories replicated with new ids, streamed from a generator; RSS sampled every
{samples[0]['stories']:,} stories of the job.{largest} VmHWM is the highest RSS a process has had so far,
model loading included.
{status}
| stories coded | RSS | peak RSS (VmHWM) | elapsed (h:mm) |
|---|---|---|---|
{rows}

RSS after {first['stories']:,} stories {_mb(first)}, after {last['stories']:,} stories {_mb(last)}
(growth of the largest {summary['growth'] * 100:+.1f} %). One sample against another says little when a
worker may have just parsed a batch of long stories, so the verdict compares the first {n_window} samples
with the last {n_window}: the lowest RSS of any worker {floor[0]} → {floor[1]} MB
({growth['floor'] * 100:+.1f} %), the highest {peak[0]} → {peak[1]} MB ({growth['peak'] * 100:+.1f} %):
**{verdict}** (target: within 10 %). Over all {len(rss)} worker readings from {first['stories']:,} stories on, RSS
ranged {min(rss)}–{max(rss)} MB.

Command: `.venv/bin/python benchmarks/memory.py --stories {summary['target']}{'' if workers == 1 else f' --workers {workers}'} --log {log_name}`, then
`.venv/bin/python benchmarks/memory.py --report {log_name} --write`.
Commit {summary['commit']}; machine: {summary['machine']}; started {summary['started']}.
{END}"""
    replace_section(START, END, body)


def _mb(sample: dict[str, Any]) -> str:
    each = _each(sample)
    return f"{each[0]} MB" if len(each) == 1 else " and ".join(f"{r} MB" for r in each) + " (each worker)"


def _commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip()


def _machine() -> str:
    return f"{platform.machine()}, {_cpu()}, {_cores()} cores, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=100_000, help="stories to stream through the worker")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_STORIES, help="stories to replicate")
    parser.add_argument("--workers", type=int, default=1, help="worker processes in the job")
    parser.add_argument("--every", type=int, default=1_000, help="stories between samples")
    parser.add_argument("--log", type=Path, default=Path("memory.jsonl"), help="where the samples go")
    parser.add_argument("--report", type=Path, help="summarize this log instead of running")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    log = args.report or args.log
    if not args.report:
        run(args.corpus, args.stories, args.every, args.log, args.workers)
    summary = summarize(log)
    print(json.dumps({k: v for k, v in summary.items() if k != "samples"}, indent=2))
    if args.write:
        write_section(summary, log.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
