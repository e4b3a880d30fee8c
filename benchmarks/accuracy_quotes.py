"""Quote attribution accuracy on PolNeAR dev (and the quote extractor's own speed).

    .venv/bin/python benchmarks/accuracy_quotes.py [--data PATH] [--limit N] [--output FILE]
                                                  [--voa PATH --voa-limit N]

Codes every article of ``--data`` (default: ``../shared/data/polnear/dev.jsonl``)
through the public API (``dotterel.Coder().code_many``; the article's first
paragraph is its headline, so no separate title is passed) and compares the
``quotes`` with PolNeAR's gold attributions.

How it scores (see ``docs/quotes.md``):

- Both sides are *attributions* with three roles (content, speaker/source, cue),
  each a list of character ranges. Predicted quotes that share a cue span (a
  quote interrupted by its cue, a quote continued over paragraphs) form one
  predicted attribution with several content fragments, as in the gold data.
- Every range is trimmed as PolNeAR's README says: quotation marks, spaces and
  boundary punctuation come off both ends before comparing.
- Per role, only attributions that have that role take part (a gold attribution
  with no source, a quote with no speaker are left out of the speaker scores).
- **Exact** match: the two trimmed range sets are equal. **Overlap** match: the
  two share at least one character. Matching is one-to-one and greedy: candidate
  pairs are taken by decreasing number of shared characters (ties: text order),
  each gold and each predicted attribution used at most once. Precision =
  matched / predicted, recall = matched / gold.
- **Attribution** match: content overlaps and speaker overlaps (or both have no
  speaker), matched one-to-one the same way.
- Direct vs indirect: a gold attribution is direct when its content starts and
  ends with a quotation mark (PolNeAR keeps the marks in its spans); a
  predicted one when its quotes have ``direct`` true. The split reuses the
  global matching: precision over the predicted ones of that kind, recall over
  the gold ones of that kind.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"
DEFAULT_VOA = ROOT.parent / "shared" / "data" / "voa" / "voa_stories.jsonl"
QUOTE_MARKS = "\"'“”‘’„«»`"
BOUNDARY_PUNCT = ".,;:!?-—–()[]{}…"
ROLES = ("content", "speaker", "cue")

Ranges = tuple[tuple[int, int], ...]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip quotation marks, spaces and boundary punctuation from both ends of ``text[start:end]``."""
    strip = QUOTE_MARKS + BOUNDARY_PUNCT
    while start < end and (text[start].isspace() or text[start] in strip):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in strip):
        end -= 1
    return start, end


def trim_all(text: str, ranges: Iterable[Sequence[int]]) -> Ranges:
    out = {trim(text, int(r[0]), int(r[1])) for r in ranges}
    return tuple(sorted(r for r in out if r[1] > r[0]))


@dataclass(frozen=True)
class Item:
    """One attribution: trimmed ranges per role, and whether its content is a direct quote."""

    content: Ranges
    speaker: Ranges
    cue: Ranges
    direct: bool

    def role(self, name: str) -> Ranges:
        return getattr(self, name)  # type: ignore[no-any-return]


def _is_direct_gold(text: str, content: Sequence[Sequence[int]]) -> bool:
    first = text[content[0][0] : content[0][1]].strip()
    last = text[content[-1][0] : content[-1][1]].strip().rstrip(".,;:!?")
    return bool(first) and first[0] in QUOTE_MARKS and bool(last) and last[-1] in QUOTE_MARKS


def gold_items(article: dict[str, Any]) -> list[Item]:
    """The gold attributions of one PolNeAR article, trimmed."""
    text = article["text"]
    items = []
    for a in article["gold"]["attributions"]:
        content = trim_all(text, a["content"])
        if not content:
            continue
        items.append(Item(content, trim_all(text, a["source"]), trim_all(text, a["cue"]),
                          _is_direct_gold(text, a["content"])))
    return items


def predicted_items(text: str, quotes: Sequence[dict[str, Any]]) -> list[Item]:
    """Quotes → attributions: quotes sharing a cue span become one attribution with several fragments."""
    groups: dict[tuple[int, int] | str, list[dict[str, Any]]] = {}
    for q in quotes:
        if q.get("in_title"):
            continue
        cue = q.get("cue")
        key: tuple[int, int] | str = (cue["start"], cue["end"]) if cue else q["id"]
        groups.setdefault(key, []).append(q)
    items = []
    for group in groups.values():
        content = trim_all(text, [(q["content"]["start"], q["content"]["end"]) for q in group])
        if not content:
            continue
        speakers = [(q["speaker"]["start"], q["speaker"]["end"]) for q in group if q.get("speaker")]
        cues = [(q["cue"]["start"], q["cue"]["end"]) for q in group if q.get("cue")]
        items.append(Item(content, trim_all(text, speakers[:1]), trim_all(text, cues[:1]),
                          any(q["direct"] for q in group)))
    return items


def _chars(ranges: Ranges) -> set[int]:
    return {i for s, e in ranges for i in range(s, e)}


def match(gold: Sequence[Ranges], pred: Sequence[Ranges], *, exact: bool) -> list[tuple[int, int]]:
    """One-to-one greedy matching (by shared characters, then text order) of non-empty range sets."""
    gold_chars = [_chars(g) for g in gold]
    pred_chars = [_chars(p) for p in pred]
    pairs = []
    for gi, g in enumerate(gold):
        if not g:
            continue
        for pi, p in enumerate(pred):
            if not p or p[0][0] >= g[-1][1] or g[0][0] >= p[-1][1]:
                continue
            if exact:
                if g == p:
                    pairs.append((-len(gold_chars[gi]), gi, pi))
            else:
                shared = len(gold_chars[gi] & pred_chars[pi])
                if shared:
                    pairs.append((-shared, gi, pi))
    return greedy_one_to_one(pairs)


def add_direct_split(
    tally: Tally, name: str, pairs: list[tuple[int, int]], gold: Sequence[Item], pred: Sequence[Item]
) -> None:
    """Add ``name/direct`` and ``name/indirect``: the matching split by the direct flag."""
    for kind, flag in (("direct", True), ("indirect", False)):
        tally.add_split(
            f"{name}/{kind}",
            sum(1 for _, pi in pairs if pred[pi].direct == flag),
            sum(1 for x in pred if x.direct == flag),
            sum(1 for gi, _ in pairs if gold[gi].direct == flag),
            sum(1 for x in gold if x.direct == flag),
        )


def greedy_one_to_one(pairs: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """(gold, predicted) index pairs, best first (pairs are (-shared, gold, predicted)),
    each gold and each predicted item used at most once."""
    used_g: set[int] = set()
    used_p: set[int] = set()
    matched = []
    for _, gi, pi in sorted(pairs):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            matched.append((gi, pi))
    return matched


def match_attributions(gold: Sequence[Item], pred: Sequence[Item]) -> list[tuple[int, int]]:
    """Pairs whose content overlaps and whose speakers overlap (or both lack one), one-to-one."""
    pairs = []
    for gi, g in enumerate(gold):
        gc = _chars(g.content)
        for pi, p in enumerate(pred):
            shared = len(gc & _chars(p.content))
            if not shared:
                continue
            speakers_agree = (not g.speaker and not p.speaker) or bool(
                g.speaker and p.speaker and _chars(g.speaker) & _chars(p.speaker))
            if not speakers_agree:
                continue
            pairs.append((-shared, gi, pi))
    return greedy_one_to_one(pairs)


class Tally:
    """Counts of matched, predicted and gold items, overall and by direct/indirect."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}

    def add(self, key: str, matched: int, predicted: int, gold: int) -> None:
        row = self.counts.setdefault(key, [0, 0, 0, 0])
        row[0] += matched  # matched predictions (precision numerator)
        row[1] += predicted
        row[2] += gold
        row[3] += matched  # matched gold items (recall numerator)

    def add_split(self, key: str, matched_pred: int, predicted: int, matched_gold: int, gold: int) -> None:
        row = self.counts.setdefault(key, [0, 0, 0, 0])
        row[0] += matched_pred
        row[1] += predicted
        row[2] += gold
        row[3] += matched_gold

    def scores(self) -> dict[str, dict[str, float | int]]:
        out: dict[str, dict[str, float | int]] = {}
        for key, (mp, predicted, gold, mg) in sorted(self.counts.items()):
            p = mp / predicted if predicted else 0.0
            r = mg / gold if gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[key] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                        "predicted": predicted, "gold": gold, "matched": mg}
        return out


def score_article(tally: Tally, gold: list[Item], pred: list[Item]) -> None:
    """Add one article's matches to ``tally``."""
    for role in ROLES:
        g = [x.role(role) for x in gold]
        p = [x.role(role) for x in pred]
        for exact in (False, True):
            pairs = match(g, p, exact=exact)
            name = f"{role}/{'exact' if exact else 'overlap'}"
            tally.add(name, len(pairs), sum(1 for x in p if x), sum(1 for x in g if x))
            if role == "content":
                add_direct_split(tally, name, pairs, gold, pred)
    pairs = match_attributions(gold, pred)
    tally.add("attribution", len(pairs), len(pred), len(gold))
    add_direct_split(tally, "attribution", pairs, gold, pred)


def evaluate(articles: Sequence[dict[str, Any]], records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Scores of coded ``records`` (output dicts, same order) against PolNeAR ``articles``."""
    tally = Tally()
    for article, record in zip(articles, records, strict=True):
        score_article(tally, gold_items(article), predicted_items(article["text"], record["quotes"]))
    return tally.scores()


def quote_timing(path: Path, limit: int) -> dict[str, Any]:
    """Milliseconds per story (CPU and wall) spent in ``extract_quotes`` alone, stories parsed beforehand."""
    from dotterel import Coder
    from dotterel.actors import extract_actors
    from dotterel.model import Document
    from dotterel.nlp import Story, make_doc
    from dotterel.quotes import extract_quotes

    coder = Coder()
    nlp = coder.nlp
    documents = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            documents.append(Document(text=row["text"], title=row.get("title"), id=row.get("id")))
            if len(documents) >= limit:
                break
    stories = [Story.from_doc(d, doc) for d, doc in
               zip(documents, nlp.pipe(make_doc(nlp, d) for d in documents), strict=True)]
    tables = [extract_actors(s, coder.actor_knowledge) for s in stories]
    extract_quotes(stories[0], tables[0])  # load the lexicon
    start, cpu_start = time.perf_counter(), time.process_time()
    total = 0
    for story, table in zip(stories, tables, strict=True):
        total += len(extract_quotes(story, table))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    words = sum(len(s.document.text.split()) for s in stories) / len(stories)
    return {"stories": len(stories), "mean_words": round(words), "quotes": total,
            "cpu_ms_per_story": round(1000 * cpu / len(stories), 2),
            "wall_ms_per_story": round(1000 * elapsed / len(stories), 2)}


def _table(scores: dict[str, dict[str, float | int]]) -> str:
    lines = ["| measure | precision | recall | F1 | predicted | gold |", "|---|---|---|---|---|---|"]
    for key, s in scores.items():
        lines.append(f"| {key} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} "
                     f"| {s['predicted']} | {s['gold']} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR JSONL (default: dev)")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N articles")
    parser.add_argument("--output", type=Path, help="write the scores as JSON to FILE")
    parser.add_argument("--voa", type=Path, default=DEFAULT_VOA, help="stories for the speed measurement")
    parser.add_argument("--voa-limit", type=int, default=89, help="how many VOA stories to time (0: skip)")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"PolNeAR data not found at {args.data}", file=sys.stderr)
        return 2
    from dotterel import Coder

    with args.data.open(encoding="utf-8") as handle:
        articles = [json.loads(line) for line in handle if line.strip()]
    if args.limit:
        articles = articles[: args.limit]
    coder = Coder()
    start = time.perf_counter()
    records = [r.to_dict() for r in coder.code_many(
        {"id": a["id"], "text": a["text"], "pub_date": a.get("pub_date")} for a in articles)]
    elapsed = time.perf_counter() - start
    scores = evaluate(articles, records)
    result: dict[str, Any] = {
        "data": str(args.data), "articles": len(articles), "coding_seconds": round(elapsed, 1),
        "machine": f"{platform.processor() or platform.machine()}, {platform.system()}, Python {platform.python_version()}",
        "scores": scores,
    }
    print(_table(scores))
    if args.voa_limit and args.voa.exists():
        result["quote_extractor_speed"] = quote_timing(args.voa, args.voa_limit)
    print(json.dumps({k: v for k, v in result.items() if k != "scores"}, indent=2))
    if args.output:
        args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
