"""Ingest rate into the store versus coding alone, and store size per 1,000 stories.

    .venv/bin/python benchmarks/store_ingest.py [--rounds 2] [--stories PATH] [--write]

Same process, same loaded Coder, same stories: each round codes the stories
once without storing (``list(coder.code_many(...))``) and once into a fresh
DuckDB file (``code_into_store``, batches of 64, dedup included); the ratio is
taken per round (the machine is shared and noisy). The store size is the file
size after the run divided by the number of stories, times 1,000.
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
    coder = Coder()
    list(coder.code_many(documents[:8]))  # warm-up: model and knowledge loaded
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            t0 = time.perf_counter()
            records = list(coder.code_many(documents))
            alone = time.perf_counter() - t0
            db = Path(tmp) / f"round{r}.duckdb"
            t0 = time.perf_counter()
            summary = StoreRunSummary()
            list(code_into_store((ReadDocument(d) for d in documents), db=db, coder=coder, summary=summary))
            stored = time.perf_counter() - t0
            size = db.stat().st_size + (db.with_suffix(".duckdb.wal").stat().st_size
                                        if db.with_suffix(".duckdb.wal").exists() else 0)
            rows.append((alone, stored, size, sum(len(x.events) for x in records)))
            print(f"round {r + 1}: coding alone {alone:.1f} s, into the store {stored:.1f} s, "
                  f"ratio {alone / stored:.3f}, file {size / 1e6:.2f} MB", file=sys.stderr)
    n = len(documents)
    ratios = [a / s for a, s, _, _ in rows]
    size_per_1000 = statistics.median(s for _, _, s, _ in rows) / n * 1000 / 1e6
    body = "\n".join([
        "### Ingest rate and store size",
        "",
        f"`{' '.join(['.venv/bin/python', 'benchmarks/store_ingest.py', *sys.argv[1:]])}` — "
        f"{n} VOA development stories, {rows[0][3]} events, {args.rounds} rounds, same process and Coder.",
        "",
        "| round | coding alone (s) | coding into the store (s) | ratio (target ≥ 0.9) |",
        "|---|---|---|---|",
        *[f"| {i + 1} | {a:.1f} | {s:.1f} | {a / s:.3f} |" for i, (a, s, _, _) in enumerate(rows)],
        "",
        f"Median ratio **{statistics.median(ratios):.3f}**. Store size: **{size_per_1000:.1f} MB per 1,000 stories** "
        "(DuckDB file after the run, text of every story included).",
    ])
    print(body)
    if args.write:
        write_section("ingest", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
