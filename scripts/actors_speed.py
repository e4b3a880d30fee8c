"""Time ``extract_actors`` alone over the VOA development stories (parsing excluded).

    .venv/bin/python scripts/actors_speed.py [../shared/data/voa/voa_stories.jsonl]

Prints the number of stories, milliseconds per story (best of three passes), and actors
and mentions per story.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from dotterel import Coder
from dotterel.actors import extract_actors
from dotterel.model import Document
from dotterel.nlp import Story, make_doc

DEFAULT = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "voa" / "voa_stories.jsonl"
)


def main(path: Path) -> None:
    coder = Coder()
    nlp, kb = coder.nlp, coder.actor_knowledge
    with path.open(encoding="utf-8") as handle:
        documents = [Document.from_dict(json.loads(line)) for line in handle if line.strip()]
    docs = list(nlp.pipe((make_doc(nlp, d) for d in documents), batch_size=16))
    stories = [Story.from_doc(d, doc) for d, doc in zip(documents, docs, strict=True)]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        tables = [extract_actors(story, kb) for story in stories]
        best = min(best, time.perf_counter() - start)
    actors = sum(len(t.actors) for t in tables)
    mentions = sum(len(a.mentions) for t in tables for a in t.actors)
    n = len(stories)
    print(
        f"{n} stories: {1000 * best / n:.2f} ms/story for extract_actors (best of 3); "
        f"{actors / n:.1f} actors and {mentions / n:.1f} mentions per story"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
