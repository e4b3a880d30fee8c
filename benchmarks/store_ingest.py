"""Ingest rate into the store versus coding alone, and store size per 1,000 stories.

    .venv/bin/python benchmarks/store_ingest.py [--rounds 2] [--stories PATH] [--limit N] [--write]

Same process, same loaded Coder, same stories: each round codes the stories
once without storing (``list(coder.code_many(...))``) and once into a fresh
DuckDB file (``code_into_store``, batches of 64, dedup included). Two ratios:
the A/B ratio of the two wall times (noisy on a shared machine: the load moves
between the two halves), and the in-run ratio, coding time / total time within
the store run itself (the coder's time is measured inside the run, so both
share the same load). The store size is the file size after the run divided by
the number of stories, times 1,000.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from store_common import ROOT, write_section

DEFAULT_STORIES = ROOT.parent / "shared" / "data" / "voa" / "voa_stories.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=Path, default=DEFAULT_STORIES)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="only the first N stories")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    if not args.stories.exists():
        print(f"no stories at {args.stories}", file=sys.stderr)
        return 1

    from dotterel import Coder, Document
    from dotterel.read import ReadDocument
    from dotterel.store import StoreRunSummary, code_into_store

    with args.stories.open(encoding="utf-8") as f:
        documents = [Document.from_dict(json.loads(line)) for line in f if line.strip()]
    documents = documents[: args.limit] if args.limit else documents

    class TimedCoder(Coder):
        """The real Coder, timing the time spent inside code_many."""

        spent: float = 0.0

        def code_many(self, docs, *, batch_size=None):  # type: ignore[no-untyped-def]
            it = super().code_many(docs, batch_size=batch_size)
            while True:
                t0 = time.perf_counter()
                try:
                    record = next(it)
                except StopIteration:
                    self.spent += time.perf_counter() - t0
                    return
                self.spent += time.perf_counter() - t0
                yield record

    coder = TimedCoder()
    list(coder.code_many(documents[:8]))  # warm-up: model and knowledge loaded
    with tempfile.TemporaryDirectory() as warm:  # warm-up: duckdb, pyarrow, datasketch imported
        list(code_into_store((ReadDocument(d) for d in documents[:2]), db=Path(warm) / "w.duckdb",
                             coder=coder, summary=StoreRunSummary()))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            t0 = time.perf_counter()
            records = list(coder.code_many(documents))
            alone = time.perf_counter() - t0
            db = Path(tmp) / f"round{r}.duckdb"
            coder.spent = 0.0
            t0 = time.perf_counter()
            summary = StoreRunSummary()
            list(code_into_store((ReadDocument(d) for d in documents), db=db, coder=coder, summary=summary))
            stored = time.perf_counter() - t0
            inside = coder.spent
            size = db.stat().st_size + (db.with_suffix(".duckdb.wal").stat().st_size
                                        if db.with_suffix(".duckdb.wal").exists() else 0)
            rows.append((alone, stored, size, sum(len(x.events) for x in records), inside))
            print(f"round {r + 1}: coding alone {alone:.1f} s, into the store {stored:.1f} s "
                  f"(coding inside {inside:.1f} s), A/B {alone / stored:.3f}, in-run {inside / stored:.3f}, "
                  f"file {size / 1e6:.2f} MB", file=sys.stderr)
    n = len(documents)
    ratios = [a / s for a, s, _, _, _ in rows]
    inrun = [i / s for _, s, _, _, i in rows]
    size_per_1000 = statistics.median(s for _, _, s, _, _ in rows) / n * 1000 / 1e6
    body = "\n".join([
        "### Ingest rate and store size",
        "",
        f"`{' '.join(['.venv/bin/python', 'benchmarks/store_ingest.py', *sys.argv[1:]])}` — "
        f"{n} stories from `{args.stories.name}`, {rows[0][3]} events, {args.rounds} round(s), same process and Coder.",
        "",
        "| round | coding alone (s) | into the store (s) | of which coding (s) | A/B ratio | in-run ratio (target ≥ 0.9) |",
        "|---|---|---|---|---|---|",
        *[f"| {i + 1} | {a:.1f} | {s:.1f} | {c:.1f} | {a / s:.3f} | {c / s:.3f} |"
          for i, (a, s, _, _, c) in enumerate(rows)],
        "",
        f"Median in-run ratio **{statistics.median(inrun):.3f}** (A/B {statistics.median(ratios):.3f}). "
        f"Store size: **{size_per_1000:.1f} MB per 1,000 stories** "
        f"(DuckDB file after the run, {size / 1e6:.1f} MB for {n} stories, story texts included).",
    ])
    print(body)
    if args.write:
        write_section(f"ingest-{args.stories.stem}", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
