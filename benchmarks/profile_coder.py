"""Where the coder's own time goes: pyinstrument over the extractors, spaCy parsing excluded.

    pip install 'dotterel[profile]'
    .venv/bin/python benchmarks/profile_coder.py [--stories PATH] [--limit 40] [--repeat 2]

The stories are parsed first (outside the profile); then ``Coder.code_parsed`` runs
``--repeat`` times over them under the profiler, which prints its call tree.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STORIES = ROOT.parent / "shared" / "data" / "voa" / "voa_stories.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=Path, default=DEFAULT_STORIES)
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    from pyinstrument import Profiler

    from dotterel import Coder, Document
    from dotterel.nlp import make_doc

    with args.stories.open(encoding="utf-8") as f:
        docs = [Document.from_dict(json.loads(line)) for line in f if line.strip()][: args.limit]
    coder = Coder()
    nlp = coder.nlp
    _ = coder.actor_knowledge, coder.gazetteer
    parsed = list(nlp.pipe((make_doc(nlp, d) for d in docs), batch_size=16))
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _round in range(args.repeat):
        for document, doc in zip(docs, parsed, strict=True):
            coder.code_parsed(document, doc)
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
