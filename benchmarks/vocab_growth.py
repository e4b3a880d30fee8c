"""What a story's new words leave behind in a worker: spaCy's vocabulary and the process's RSS.

    .venv/bin/python benchmarks/vocab_growth.py [--words 100000] [--rounds 4] [--write]

spaCy adds every word form it has not seen to the pipeline's vocabulary (the word, its lower
case, shape, prefix and suffix) and keeps it for the life of the process. A real corpus brings
new names, numbers and misspellings in every story; the replicated stories of ``memory.py``
bring none after the first copy, so this measures it apart:

1. the VOA stories through ``Coder.code_many`` once its warm-up is over (it parses inside
   spaCy's memory zone, ``nlp.transient_strings``, after its first ``warm_up_stories``) and
   through a bare ``nlp.pipe``: strings added;
2. ``--rounds`` rounds of ``--words`` invented words each through the tokenizer of a fresh
   pipeline, outside the memory zone, then of another inside it (each in a process of its own): strings added and RSS
   growth per round.

``--write`` puts the figures in docs/benchmarks.md ("Vocabulary").
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import string
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from scale_common import _status_kb, _stories
from store_common import replace_section
from throughput import DEFAULT_STORIES, _cores, _cpu

START, END = "<!-- vocab:start -->", "<!-- vocab:end -->"


def _rss_mb() -> float:
    return _status_kb(os.getpid(), "VmRSS") / 1024


def _invented(n: int, rng: random.Random) -> str:
    return " ".join("".join(rng.choices(string.ascii_lowercase, k=9)).capitalize() for _ in range(n))


def _rounds(zone: bool, per_round: int, rounds: int) -> list[dict[str, Any]]:
    """Rounds of ``per_round`` thousand invented words through a new pipeline's tokenizer."""
    from dotterel.nlp import load_pipeline, transient_strings

    nlp = load_pipeline()
    rng = random.Random(0)
    rows = []
    for r in range(rounds):
        rss, n = _rss_mb(), len(nlp.vocab.strings)
        for _ in range(per_round):
            text = _invented(1000, rng)
            if zone:
                with transient_strings(nlp):
                    nlp.make_doc(text)
            else:
                nlp.make_doc(text)
        rows.append({"zone": zone, "round": r + 1, "strings": len(nlp.vocab.strings) - n,
                     "rss_mb": round(_rss_mb() - rss, 1)})
    return rows


def measure(corpus: Path, words: int, rounds: int) -> dict[str, Any]:
    from dotterel import Coder
    from dotterel.nlp import load_pipeline

    stories = [{"text": s["text"], "title": s.get("title"), "id": s.get("id")} for s in _stories(corpus)]
    coder = Coder(warm_up_stories=0)  # as after the first 1,000 stories of a run
    coder.code("The minister met the delegation on Monday.")  # lazy set-up first
    before = len(coder.nlp.vocab.strings)
    list(coder.code_many(stories))
    coded = len(coder.nlp.vocab.strings) - before
    bare = load_pipeline()
    before = len(bare.vocab.strings)
    list(bare.pipe(s["text"] for s in stories))
    piped = len(bare.vocab.strings) - before

    per_round = max(1, words // 1000)
    rows = []
    spawn = multiprocessing.get_context("spawn")
    for zone in (False, True):  # each in a process of its own: freed memory is not reused
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            rows += pool.submit(_rounds, zone, per_round, rounds).result()
    return {"stories": len(stories), "coded_strings": coded, "piped_strings": piped,
            "words": per_round * 1000, "rows": rows,
            "machine": f"{_cpu()}, {_cores()} cores", "date": time.strftime("%Y-%m-%d")}


def write_section(result: dict[str, Any]) -> None:
    rows = "\n".join(f"| {'inside' if r['zone'] else 'outside'} | {r['round']} | {r['strings']:,} | "
                     f"{r['rss_mb']:+.1f} MB |" for r in result["rows"])
    total = len(result["rows"]) // 2 * result["words"]
    per_word = {zone: sum(r["rss_mb"] for r in result["rows"] if r["zone"] is zone) * 2**20 / total
                for zone in (False, True)}
    body = f"""{START}
## Vocabulary: what new words leave behind

spaCy keeps every word form it has not seen before (the form, its lower case, shape, prefix
and suffix) for the life of the process; a real corpus brings new names and numbers in
every story, and the replicated stories of the Memory section bring none after their first
copy. The coder parses and reads each batch inside spaCy's memory zone
(`nlp.transient_strings`) once it has parsed its first `warm_up_stories` (1,000 by default,
whose words stay so that later batches find the common ones in spaCy's caches).

The {result['stories']} VOA stories: **{result['coded_strings']:,}** strings added through
`Coder.code_many` after its warm-up, **{result['piped_strings']:,}** through a bare `nlp.pipe`.

{result['words']:,} invented words a round through the tokenizer of a fresh pipeline outside
the zone, then of another inside it (each in a process of its own):

| memory zone | round | strings added | RSS growth |
|---|---|---|---|
{rows}

Over all rounds: **{per_word[False]:.0f} bytes of RSS per new word outside the zone,
{per_word[True]:.0f} inside**. Inside, the strings go but spaCy's string table keeps a slot
for each distinct word it has held, and grows by doubling (RSS rises in steps, not every
round). The local pool therefore replaces a worker after it has been sent 100,000 documents
(`RECYCLE_AFTER`, 2–3 s to load a new one).

Command: `.venv/bin/python benchmarks/vocab_growth.py --words {result['words']} --rounds
{len(result['rows']) // 2} --write`; {result['machine']}, {result['date']}.
{END}"""
    replace_section(START, END, body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_STORIES)
    parser.add_argument("--words", type=int, default=100_000, help="invented words a round")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    result = measure(args.corpus, args.words, args.rounds)
    print(json.dumps(result, indent=2))
    if args.write:
        write_section(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
