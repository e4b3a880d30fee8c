"""Where the coder's own time goes, spaCy parsing excluded.

    pip install 'dotterel[profile]'
    .venv/bin/python benchmarks/profile_coder.py [--stories PATH] [--limit 40] [--repeat 2]
    .venv/bin/python benchmarks/profile_coder.py --stages [--limit 0] [--repeat 3]

The stories are parsed first (outside any measurement). By default
``Coder.code_parsed`` then runs ``--repeat`` times over them under pyinstrument,
which prints its call tree. ``--stages`` instead prints each extractor's CPU time
(``time.process_time``, so a busy machine skews it less than wall time) in
milliseconds per story, once per round, then each stage's best round (the figure to
compare: the first round warms caches up, and a busy machine only adds time);
``--limit 0`` takes every story.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from dotterel import Coder, Document

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STORIES = ROOT.parent / "shared" / "data" / "voa" / "voa_stories.jsonl"
STAGES = ("story", "dates", "actors", "places", "quotes", "events")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=Path, default=DEFAULT_STORIES)
    parser.add_argument("--limit", type=int, default=40, help="first N stories (0: all)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--stages", action="store_true", help="CPU ms per story of each extractor, no profiler")
    args = parser.parse_args()

    from dotterel import Coder, Document
    from dotterel.nlp import make_doc, pipeline_ops

    with args.stories.open(encoding="utf-8") as f:
        docs = [Document.from_dict(json.loads(line)) for line in f if line.strip()]
    if args.limit:
        docs = docs[: args.limit]
    coder = Coder()
    nlp = coder.nlp
    _ = coder.actor_knowledge, coder.gazetteer, coder.events, coder.quotes, coder.dates
    with pipeline_ops(nlp):
        parsed = list(nlp.pipe((make_doc(nlp, d) for d in docs), batch_size=16))
    if args.stages:
        rounds = [print_stages(coder, docs, parsed) for _round in range(args.repeat)]
        best = {name: min(r[name] for r in rounds) for name in STAGES}
        print(f"best of {len(rounds)}: {_line(best)}")
        return 0

    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _round in range(args.repeat):
        for document, doc in zip(docs, parsed, strict=True):
            coder.code_parsed(document, doc)
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False))
    return 0


def print_stages(coder: Coder, docs: list[Document], parsed: list[Doc]) -> dict[str, float]:
    """One round over the stories: each stage's CPU milliseconds per story (printed, with their
    sum, and returned)."""
    from dotterel.actors import extract_actors
    from dotterel.dates import extract_dates
    from dotterel.events import extract_events
    from dotterel.nlp import Story, forget_entities
    from dotterel.places import extract_places
    from dotterel.quotes import extract_quotes

    spent = dict.fromkeys(STAGES, 0.0)

    def timed(name: str, run: Callable[..., Any], *args: Any) -> Any:
        start = time.process_time()
        result = run(*args)
        spent[name] += time.process_time() - start
        return result

    for document, doc in zip(docs, parsed, strict=True):
        story = timed("story", Story.from_doc, document, doc)
        dates = timed("dates", extract_dates, story, coder.dates)
        actors = timed("actors", extract_actors, story, coder.actor_knowledge)
        places = timed("places", extract_places, story, coder.gazetteer, actors)
        quotes = timed("quotes", extract_quotes, story, actors, coder.quotes)
        timed("events", extract_events, story, actors, places, dates, quotes, coder.events)
        forget_entities(doc)
    per_story = {name: 1000 * seconds / len(docs) for name, seconds in spent.items()}
    print(f"CPU ms/story over {len(docs)} stories: {_line(per_story)}", flush=True)
    return per_story


def _line(per_story: dict[str, float]) -> str:
    parts = "  ".join(f"{name} {ms:.2f}" for name, ms in per_story.items())
    return f"{parts}  total {sum(per_story.values()):.2f}"


if __name__ == "__main__":
    raise SystemExit(main())
