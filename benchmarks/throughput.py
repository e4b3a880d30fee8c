"""Throughput of Coder.code_many against bare spaCy nlp.pipe, same texts, same process;
and (--scale) the parallel engines: 2 workers vs 1, Dask LocalCluster vs local workers,
peak RSS per worker (worker RSS over 100,000 stories: benchmarks/memory.py).

    .venv/bin/python benchmarks/throughput.py [--rounds 3] [--stories PATH] [--write]
    .venv/bin/python benchmarks/throughput.py --scale [--replicate 4] [--write]

Both sides parse the same strings (title + blank line + body, as the coder
does) with the same loaded pipeline and batch size; the bare side runs it as
plain spaCy does (the attribute ruler on spaCy's own Matcher, not dotterel's
array matcher). Rounds alternate bare and coder runs after a warm-up, and the
ratio is taken per round, by wall and by CPU time (the machines are noisy, so
ratios within one process are what we compare). ``--write``
replaces the "Throughput" section of docs/benchmarks.md with the result.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from store_common import replace_section

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STORIES = ROOT.parent / "shared" / "data" / "voa" / "voa_stories.jsonl"
START, END = "<!-- throughput:start -->", "<!-- throughput:end -->"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=Path, default=DEFAULT_STORIES)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--scale", action="store_true",
                        help="measure the parallel engines instead (see benchmarks/scale_common.py)")
    parser.add_argument("--replicate", type=int, default=4,
                        help="--scale: copies of the stories (new ids) in the engine comparisons")
    parser.add_argument("--workers", type=int, default=2, help="--scale: workers of the parallel runs")
    args = parser.parse_args()
    if args.scale:
        from scale_common import run_scale

        return run_scale(args)

    from dotterel import Coder, Document
    from dotterel.nlp import combined_text

    with args.stories.open(encoding="utf-8") as f:
        documents = [Document.from_dict(json.loads(line)) for line in f if line.strip()]
    texts = [combined_text(d)[0] for d in documents]
    words = sum(len(t.split()) for t in texts)

    coder = Coder(batch_size=args.batch_size)
    nlp = coder.nlp
    _ = coder.actor_knowledge, coder.gazetteer  # load knowledge before timing
    # Warm-up both paths.
    with stock_spacy(nlp):
        for _doc in nlp.pipe(texts[:8], batch_size=args.batch_size):
            pass
    for _rec in coder.code_many(documents[:8]):
        pass

    rows = []
    cpu_rows = []
    for r in range(args.rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        with stock_spacy(nlp):
            for _doc in nlp.pipe(texts, batch_size=args.batch_size):
                pass
        bare, bare_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        n_events = n_quotes = n_actors = 0
        for rec in coder.code_many(documents):
            n_events += len(rec.events)
            n_quotes += len(rec.quotes)
            n_actors += len(rec.actors)
        full, full_cpu = time.perf_counter() - t0, time.process_time() - c0
        rows.append((bare, full))
        cpu_rows.append((bare_cpu, full_cpu))
        print(
            f"round {r + 1}: bare spaCy {len(texts) / bare:.2f} stories/s, "
            f"coder {len(texts) / full:.2f} stories/s, ratio {bare / full:.3f} (CPU {bare_cpu / full_cpu:.3f})",
            file=sys.stderr,
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratios = [b / f for b, f in rows]
    cpu_ratios = [b / f for b, f in cpu_rows]
    bare_rate = statistics.median(len(texts) / b for b, _ in rows)
    full_rate = statistics.median(len(texts) / f for _, f in rows)
    result = {
        "stories": len(texts),
        "words": words,
        "rounds": args.rounds,
        "batch_size": args.batch_size,
        "bare_stories_per_s": round(bare_rate, 2),
        "coder_stories_per_s": round(full_rate, 2),
        "coder_words_per_s": round(words * full_rate / len(texts)),
        "ratio_median": round(statistics.median(ratios), 3),
        "ratio_min": round(min(ratios), 3),
        "cpu_ratio_median": round(statistics.median(cpu_ratios), 3),
        "cpu_ratio_min": round(min(cpu_ratios), 3),
        "peak_rss_mb": round(peak_mb),
        "actors": n_actors,
        "events": n_events,
        "quotes": n_quotes,
    }
    print(json.dumps(result, indent=2))
    if args.write:
        write_section(result)
    return 0


@contextmanager
def stock_spacy(nlp: Any) -> Iterator[None]:
    """Run the block as plain spaCy does: the attribute ruler on spaCy's own Matcher."""
    ruler = nlp.get_pipe("attribute_ruler") if "attribute_ruler" in nlp.pipe_names else None
    installed = vars(ruler).pop("match", None) if ruler is not None else None
    try:
        yield
    finally:
        if installed is not None:
            ruler.match = installed


def write_section(result: dict[str, Any]) -> None:
    machine = f"{platform.machine()}, {_cpu()}, {_cores()} cores, Python {platform.python_version()}"
    body = f"""{START}
## Throughput

`Coder.code_many` against bare `nlp.pipe` over the same {result['stories']} VOA stories
({result['words']:,} words; title + body as the coder parses them), same process,
same pipeline and batch size {result['batch_size']}, {result['rounds']} alternating rounds after a warm-up.
The bare side is plain spaCy: its attribute ruler on spaCy's own Matcher, where the coder
uses dotterel's array matcher (same matches; `src/dotterel/attribute_rules.py`).

| measure | value |
|---|---|
| bare spaCy | {result['bare_stories_per_s']} stories/s |
| dotterel coder (all extractors) | {result['coder_stories_per_s']} stories/s ({result['coder_words_per_s']:,} words/s) |
| ratio coder / bare, wall time (median of rounds; min) | **{result['ratio_median']}** ({result['ratio_min']}) — target ≥ 0.85 |
| ratio coder / bare, CPU time (median of rounds; min) | {result.get('cpu_ratio_median', '—')} ({result.get('cpu_ratio_min', '—')}) |
| peak memory (max RSS of the process) | {result['peak_rss_mb']} MB |
| output | {result['actors']} actors, {result['events']} events, {result['quotes']} quotes |

Command: `.venv/bin/python benchmarks/throughput.py --rounds {result['rounds']} --write`
Machine: {machine}; measured {time.strftime('%Y-%m-%d')}. Both sides run spaCy on
numpy's BLAS (`NumpyOps(use_blis=False)`, see `nlp.load_pipeline`).
{END}"""
    replace_section(START, END, body)


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _cores() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    raise SystemExit(main())
