"""Time ``extract_places`` alone (after spaCy) on the VOA development stories.

    .venv/bin/python scripts/bench_places.py [--limit N] [--show]

Prints the gazetteer load time and the mean per-story time of the places
extractor; ``--show`` also prints each story's places (for reading the output).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from types import SimpleNamespace

from dotterel import Coder
from dotterel.model import Document
from dotterel.nlp import Story, parse
from dotterel.places import extract_places

VOA = Path(__file__).resolve().parents[2] / "shared" / "data" / "voa" / "voa_stories.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", type=Path, default=VOA)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    with args.path.open(encoding="utf-8") as handle:
        documents = [Document.from_dict(json.loads(line)) for line in handle if line.strip()]
    if args.limit:
        documents = documents[: args.limit]
    coder = Coder()
    start = time.perf_counter()
    gazetteer = coder.gazetteer
    load = time.perf_counter() - start
    stories = [Story.from_doc(d, doc) for d, doc in zip(documents, parse(coder.nlp, documents), strict=True)]
    for story in stories:
        _ = story.sentences  # shared with the other extractors: not the places' cost
    no_actors = SimpleNamespace(actors=[])
    total = 0.0
    for story in stories:
        start = time.perf_counter()
        places = extract_places(story, gazetteer, no_actors)  # type: ignore[arg-type]
        total += time.perf_counter() - start
        if args.show:
            print("==", story.document.id, (story.document.title or "")[:80])
            for p in places:
                spans = ", ".join(f"{m.text}@{m.start}{'T' if m.in_title else ''}" for m in p.mentions)
                print(f"  {p.feature:7} {p.name} | {p.country} | {p.admin1} | {p.lat},{p.lon} | {p.geonames_id} | {spans}")
    print(f"gazetteer load {load:.2f} s; extract_places {1000 * total / len(stories):.2f} ms/story "
          f"over {len(stories)} stories")


if __name__ == "__main__":
    main()
