"""Event coding over the VOA development stories: events per story, types, and time in extract_events.

    .venv/bin/python benchmarks/events_voa.py [--data FILE] [--show N] [--output FILE.json]

Codes every story through ``dotterel.Coder().code_many`` and times the event
stage alone (``dotterel.events.extract_events``, wrapped). ``--show N`` prints
the events of the first N stories, one line each, for reading.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "voa" / "voa_stories.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"VOA stories not found at {args.data}; pass --data", file=sys.stderr)
        return 2
    import dotterel.events as events_module
    from dotterel import Coder

    timings: list[float] = []
    cpu: list[float] = []
    original = events_module.extract_events

    def timed(*a: Any, **k: Any) -> Any:
        t0, c0 = time.perf_counter(), time.process_time()
        out = original(*a, **k)
        timings.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        return out

    events_module.extract_events = timed  # type: ignore[assignment]
    stories = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    coder = Coder()
    coded = [r.to_dict(include_text=False) for r in coder.code_many(stories)]
    events_module.extract_events = original  # type: ignore[assignment]
    per_story = [len(r["events"]) for r in coded]
    types = Counter(e["event_type"] for r in coded for e in r["events"])
    flags = Counter(k for r in coded for e in r["events"] for k in ("negated", "hypothetical") if e[k])
    reported = sum(1 for r in coded for e in r["events"] if e["reported_by"])
    located = sum(1 for r in coded for e in r["events"] if e["location"])
    dated = sum(1 for r in coded for e in r["events"] if e["date_text"])
    total = sum(per_story)
    result = {
        "stories": len(coded), "events": total,
        "events_per_story": {"mean": total / len(coded), "median": statistics.median(per_story),
                             "min": min(per_story), "max": max(per_story)},
        "types": dict(types.most_common()), "negated": flags["negated"], "hypothetical": flags["hypothetical"],
        "reported_by": reported, "with_location": located, "with_date_text": dated,
        # wall time suffers from other processes on a shared machine; CPU time does not
        "extract_events_ms": {"wall_mean": 1000 * statistics.mean(timings),
                              "cpu_mean": 1000 * statistics.mean(cpu),
                              "wall_max": 1000 * max(timings)} if timings else None,
        "machine": f"{platform.machine()} {platform.python_version()}",
    }
    print(json.dumps(result, indent=1))
    for story, rec in list(zip(stories, coded, strict=True))[: args.show]:
        print(f"\n## {story['id']} {story.get('title', '')}  ({len(rec['events'])} events)")
        for e in rec["events"]:
            base = rec["title"] if e["in_title"] else story["text"]
            sent = base[e["sentence"]["start"]:e["sentence"]["end"]]
            src = ",".join(f"{a['text']}/{a['code']}" for a in e["source"])
            tgt = ",".join(f"{a['text']}/{a['code']}" for a in e["target"])
            marks = "".join(m for m, k in (("N", "negated"), ("H", "hypothetical")) if e[k])
            print(f"- {e['event_type']}/{e['mode']} [{e['trigger']['text']}] {src} -> {tgt} "
                  f"{e['date']} {marks} q={e['reported_by']} c={e['confidence']:.2f} | {sent[:160]}")
    if args.output:
        args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
