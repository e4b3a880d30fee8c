"""Event accuracy on 20 hand-coded PolNeAR articles (benchmarks/polnear_events_gold.tsv).

The gold file holds offsets and codes only; the article texts are read at run time from
``../shared/data/polnear/train.jsonl`` (``--data``). Each article is coded blind through
``dotterel.Coder().code_many`` with its ``id``, ``text`` and ``pub_date``.

Matching, per article, one-to-one between predicted events and gold *mentions* (a gold
event may be reported several times; each report is a mention with the same event id):

- a pair is a candidate when the types are equal and either the trigger spans overlap
  (tier 1) or the gold trigger starts inside the predicted event's sentence (tier 2);
- candidates are taken greedily, tier 1 before tier 2, then by the distance between the
  two trigger starts, then by position; each prediction and each gold mention is used
  at most once.

Figures:

- type precision = matched predictions / predictions; type recall = gold events with at
  least one matched mention / gold events (per type and overall; F1 from the two);
- source / target accuracy on matched pairs: every gold code (country slot, UNO/EUR read
  as IGO) is among the prediction's codes; an empty gold target is right only when the
  prediction has no target (as in ``accuracy_plover.py``); an event counts as right when
  any of its matched mentions is right. ``sector`` does the same on "CODE SECTOR" pairs
  where the gold gives a sector;
- core: type and source right (recall over gold events, precision over predictions);
  full: type, source and target right.

Predictions flagged ``negated`` or ``hypothetical`` are scored like any other event (the
gold codes neither; see the gold file's rule 3); a second line gives the figures with
them dropped. ``--errors`` lists missed gold events and false alarms, printing trigger
words and sentences from the texts at run time.

    .venv/bin/python benchmarks/accuracy_polnear_events.py [--data DIR] [--gold FILE] [--errors] [--output FILE.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear"
DEFAULT_GOLD = ROOT / "benchmarks" / "polnear_events_gold.tsv"
IGO_ALIASES = {"UNO": "IGO", "EUR": "IGO"}
GOLD_COLUMNS = ["event", "doc", "start", "end", "type", "mode", "source", "target", "note"]
#: PLOVER GSR dev figures at the time this set was made (docs/benchmarks.md, "Event accuracy").
GSR_DEV = {"top1": 0.884, "type_recall": 0.907, "source": 0.837, "target": 0.713, "full": 0.651}


@dataclass(frozen=True)
class GoldMention:
    """One row of the gold file: one report of one event."""

    event: str
    doc: str
    start: int
    end: int
    type: str
    mode: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    note: str


def _actors(field: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in field.split(";") if a.strip())


def read_gold(lines: Iterable[str]) -> list[GoldMention]:
    """Parse the gold TSV ('#' lines are comments; the first other line is the header)."""
    body = [line for line in lines if line.strip() and not line.startswith("#")]
    if not body:
        return []
    reader = csv.reader(body, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    if header != GOLD_COLUMNS:
        raise ValueError(f"gold header is {header}, expected {GOLD_COLUMNS}")
    out = []
    for n, row in enumerate(reader, start=2):
        if len(row) != len(GOLD_COLUMNS):
            raise ValueError(f"gold row {n}: {len(row)} fields, expected {len(GOLD_COLUMNS)}")
        rec = dict(zip(GOLD_COLUMNS, row, strict=True))
        out.append(GoldMention(
            event=rec["event"], doc=rec["doc"], start=int(rec["start"]), end=int(rec["end"]),
            type=rec["type"], mode=rec["mode"], source=_actors(rec["source"]),
            target=_actors(rec["target"]), note=rec["note"]))
    return out


def codes(actors: Iterable[str]) -> set[str]:
    """Country-slot codes of "CODE SECTOR" strings, UNO/EUR read as IGO."""
    out = set()
    for a in actors:
        code = a.split()[0] if a.split() else ""
        if code:
            out.add(IGO_ALIASES.get(code, code))
    return out


def code_sectors(actors: Iterable[str]) -> set[tuple[str, str]]:
    """(code, sector) pairs of the "CODE SECTOR" strings that give a sector."""
    out = set()
    for a in actors:
        parts = a.split()
        if len(parts) >= 2:
            out.add((IGO_ALIASES.get(parts[0], parts[0]), parts[1]))
    return out


def pred_actors(roles: Sequence[dict[str, Any]]) -> list[str]:
    """A predicted event's role list as "CODE SECTOR" strings (unknown parts left out)."""
    return [" ".join(p for p in (r.get("code"), r.get("sector")) if p) for r in roles]


def role_right(gold: Sequence[str], pred: Sequence[str]) -> bool:
    """Every gold code among the predicted codes; no gold code -> right only with no prediction."""
    g, p = codes(gold), codes(pred)
    return g <= p if g else not p


def sector_right(gold: Sequence[str], pred: Sequence[str]) -> bool | None:
    """Like role_right on (code, sector) pairs; None when the gold gives no sector."""
    g = code_sectors(gold)
    if not g:
        return None
    return g <= code_sectors(pred)


def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def match(gold: Sequence[GoldMention], preds: Sequence[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs for ONE article (rules in the docstring).

    Predictions need ``event_type``, ``trigger`` {start, end} and, for tier 2,
    ``sentence`` {start, end}.
    """
    cands: list[tuple[int, int, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(preds):
            if p["event_type"] != g.type:
                continue
            t0, t1 = p["trigger"]["start"], p["trigger"]["end"]
            if _overlap(g.start, g.end, t0, t1):
                tier = 1
            else:
                sent = p.get("sentence") or {}
                s0, s1 = sent.get("start"), sent.get("end")
                if s0 is None or s1 is None or not (s0 <= g.start < s1):
                    continue
                tier = 2
            cands.append((tier, abs(g.start - t0), gi, pi))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _tier, _dist, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None or p + r == 0:
        return None if p is None or r is None else 0.0
    return 2 * p * r / (p + r)


def evaluate(gold: Sequence[GoldMention], predicted: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Score predicted events (article id -> event dicts as in interface.md) against the gold."""
    by_doc: dict[str, list[GoldMention]] = {}
    for g in gold:
        by_doc.setdefault(g.doc, []).append(g)
    event_type = {g.event: g.type for g in gold}
    gold_events = Counter(event_type.values())
    found: set[str] = set()
    src_ok: set[str] = set()
    tgt_ok: set[str] = set()
    sector_src: dict[str, bool] = {}
    sector_tgt: dict[str, bool] = {}
    pred_n = Counter[str]()
    pred_ok = Counter[str]()
    core_pred = full_pred = 0
    pair_n = pair_src = pair_tgt = 0
    misses: list[dict[str, Any]] = []
    false_alarms: list[dict[str, Any]] = []
    matched_pairs: list[dict[str, Any]] = []
    for doc in sorted(set(by_doc) | set(predicted)):
        gs = by_doc.get(doc, [])
        ps = predicted.get(doc, [])
        pairs = match(gs, ps)
        matched_p = {pi for _, pi in pairs}
        for p in ps:
            pred_n[p["event_type"]] += 1
        for gi, pi in pairs:
            g, p = gs[gi], ps[pi]
            psrc, ptgt = pred_actors(p["source"]), pred_actors(p["target"])
            s_ok, t_ok = role_right(g.source, psrc), role_right(g.target, ptgt)
            pred_ok[p["event_type"]] += 1
            pair_n += 1
            pair_src += s_ok
            pair_tgt += t_ok
            core_pred += s_ok
            full_pred += s_ok and t_ok
            found.add(g.event)
            if s_ok:
                src_ok.add(g.event)
            if t_ok:
                tgt_ok.add(g.event)
            for store, value in ((sector_src, sector_right(g.source, psrc)), (sector_tgt, sector_right(g.target, ptgt))):
                if value is not None:
                    store[g.event] = store.get(g.event, False) or value
            matched_pairs.append({"doc": doc, "event": g.event, "type": g.type, "gold_source": list(g.source),
                                  "gold_target": list(g.target), "source": psrc, "target": ptgt,
                                  "source_ok": s_ok, "target_ok": t_ok, "trigger": [g.start, g.end],
                                  "pred_trigger": [p["trigger"]["start"], p["trigger"]["end"]]})
        for pi, p in enumerate(ps):
            if pi not in matched_p:
                false_alarms.append({"doc": doc, "event_type": p["event_type"], "mode": p.get("mode"),
                                     "trigger": [p["trigger"]["start"], p["trigger"]["end"]],
                                     "sentence": [(p.get("sentence") or {}).get("start"), (p.get("sentence") or {}).get("end")],
                                     "source": pred_actors(p["source"]), "target": pred_actors(p["target"]),
                                     "negated": p.get("negated", False), "hypothetical": p.get("hypothetical", False)})
    seen_miss: set[str] = set()
    for g in gold:
        if g.event not in found and g.event not in seen_miss:
            seen_miss.add(g.event)
            misses.append({"doc": g.doc, "event": g.event, "type": g.type, "mode": g.mode,
                           "trigger": [g.start, g.end], "source": list(g.source), "target": list(g.target),
                           "note": g.note})
    # event-level role figures: an event is right when one of its matched mentions is
    core_events = Counter(event_type[e] for e in src_ok)
    full_events = src_ok & tgt_ok
    n_gold = len(event_type)
    n_pred = sum(pred_n.values())
    n_ok = sum(pred_ok.values())
    per_type = {}
    for t in sorted(set(gold_events) | set(pred_n)):
        rec = sum(1 for e in found if event_type[e] == t)
        precision = _ratio(pred_ok[t], pred_n[t])
        recall = _ratio(rec, gold_events[t])
        per_type[t] = {"gold": gold_events[t], "found": rec, "recall": recall,
                       "predicted": pred_n[t], "correct": pred_ok[t], "precision": precision,
                       "f1": _f1(precision, recall), "core_recall": _ratio(core_events[t], gold_events[t])}
    precision, recall = _ratio(n_ok, n_pred), _ratio(len(found), n_gold)
    return {
        "gold_events": n_gold, "gold_mentions": len(gold), "found": len(found), "predicted": n_pred,
        "matched_predictions": n_ok,
        "precision": precision, "recall": recall, "f1": _f1(precision, recall),
        "source_on_matched": _ratio(len(src_ok), len(found)), "target_on_matched": _ratio(len(tgt_ok), len(found)),
        "source_on_matched_pairs": _ratio(pair_src, pair_n), "target_on_matched_pairs": _ratio(pair_tgt, pair_n),
        "sector_source_on_matched": _ratio(sum(sector_src.values()), len(sector_src)),
        "sector_target_on_matched": _ratio(sum(sector_tgt.values()), len(sector_tgt)),
        "core_recall": _ratio(len(src_ok), n_gold), "core_precision": _ratio(core_pred, n_pred),
        "full_recall": _ratio(len(full_events), n_gold), "full_precision": _ratio(full_pred, n_pred),
        "per_type": per_type, "misses": misses, "false_alarms": false_alarms, "matched": matched_pairs,
    }


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def table(result: dict[str, Any], unflagged: dict[str, Any] | None = None) -> str:
    """The results as Markdown (overall metrics, then per type)."""
    lines = ["| metric | value | PLOVER GSR dev (for comparison) |", "|---|---|---|"]
    rows = [
        ("type precision", "precision", ""), ("type recall", "recall", f"type recall {GSR_DEV['type_recall']:.3f}"),
        ("type F1", "f1", ""),
        ("source right, on matched events", "source_on_matched", f"source {GSR_DEV['source']:.3f}"),
        ("target right, on matched events", "target_on_matched", f"target {GSR_DEV['target']:.3f}"),
        ("source sector right, on matched events", "sector_source_on_matched", ""),
        ("target sector right, on matched events", "sector_target_on_matched", ""),
        ("core recall (type + source)", "core_recall", ""), ("core precision (type + source)", "core_precision", ""),
        ("full recall (type + source + target)", "full_recall", f"full {GSR_DEV['full']:.3f}"),
        ("full precision", "full_precision", ""),
    ]
    for label, key, gsr in rows:
        lines.append(f"| {label} | {_fmt(result[key])} | {gsr} |")
    lines.append(f"| gold events (mentions) / predicted events | {result['gold_events']} ({result['gold_mentions']}) / "
                 f"{result['predicted']} | |")
    if unflagged is not None:
        lines.append(f"| without negated/hypothetical predictions: precision / recall / core P / core R | "
                     f"{_fmt(unflagged['precision'])} / {_fmt(unflagged['recall'])} / "
                     f"{_fmt(unflagged['core_precision'])} / {_fmt(unflagged['core_recall'])} "
                     f"({unflagged['predicted']} predictions) | |")
    lines += ["", "| type | gold events | found | recall | predicted | correct | precision | F1 | core recall |",
              "|---|---|---|---|---|---|---|---|---|"]
    for t, r in result["per_type"].items():
        lines.append(f"| {t} | {r['gold']} | {r['found']} | {_fmt(r['recall'])} | {r['predicted']} | {r['correct']} | "
                     f"{_fmt(r['precision'])} | {_fmt(r['f1'])} | {_fmt(r['core_recall'])} |")
    lines.append(f"| all | {result['gold_events']} | {result['found']} | "
                 f"{_fmt(result['recall'])} | {result['predicted']} | {result['matched_predictions']} | "
                 f"{_fmt(result['precision'])} | {_fmt(result['f1'])} | {_fmt(result['core_recall'])} |")
    return "\n".join(lines)


def _snippet(text: str, start: int | None, end: int | None, limit: int = 240) -> str:
    if start is None or end is None:
        return ""
    s = " ".join(text[start:end].split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _sentence_around(text: str, pos: int) -> tuple[int, int]:
    """A rough sentence span (blank line or end punctuation) around pos, for printing misses."""
    starts = [text.rfind(sep, 0, pos) for sep in ("\n", ". ", "? ", "! ")]
    s = max(starts) + 1 if max(starts) >= 0 else 0
    ends = [e for e in (text.find(sep, pos) for sep in ("\n", ". ", "? ", "! ")) if e >= 0]
    return s, (min(ends) + 1 if ends else len(text))


def print_errors(result: dict[str, Any], texts: dict[str, str], coded: dict[str, list[dict[str, Any]]]) -> None:
    """Misses and false alarms with trigger words and sentences taken from the texts now."""
    print(f"\n## Missed gold events ({len(result['misses'])})")
    for m in result["misses"]:
        text = texts[m["doc"]]
        s, e = _sentence_around(text, m["trigger"][0])
        same = [ev for ev in coded.get(m["doc"], [])
                if (ev.get("sentence") or {}).get("start", -1) <= m["trigger"][0] < (ev.get("sentence") or {}).get("end", -1)]
        got = "; ".join(f"{ev['event_type']} '{ev['trigger']['text']}' {pred_actors(ev['source'])}->{pred_actors(ev['target'])}"
                        for ev in same) or "no event in sentence"
        print(f"- {m['event']} {m['type']} '{text[m['trigger'][0]:m['trigger'][1]]}' "
              f"{m['source']}->{m['target']} | coder: {got}\n    {_snippet(text, s, e)}")
    print(f"\n## False alarms ({len(result['false_alarms'])})")
    for f in result["false_alarms"]:
        text = texts[f["doc"]]
        flags = "".join(x for x, on in ((" negated", f["negated"]), (" hypothetical", f["hypothetical"])) if on)
        print(f"- {f['doc'][:40]} {f['event_type']} '{text[f['trigger'][0]:f['trigger'][1]]}' "
              f"{f['source']}->{f['target']}{flags}\n    {_snippet(text, *f['sentence'])}")
    wrong = [p for p in result["matched"] if not (p["source_ok"] and p["target_ok"])]
    print(f"\n## Matched with a wrong role ({len(wrong)} pairs)")
    for p in wrong:
        text = texts[p["doc"]]
        print(f"- {p['event']} {p['type']} '{text[p['trigger'][0]:p['trigger'][1]]}' gold {p['gold_source']}->"
              f"{p['gold_target']} | coder '{text[p['pred_trigger'][0]:p['pred_trigger'][1]]}' "
              f"{p['source']}->{p['target']}")


def load_articles(data_dir: Path, ids: set[str]) -> dict[str, dict[str, Any]]:
    """The gold articles from train.jsonl, by id."""
    out = {}
    with (data_dir / "train.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                if rec["id"] in ids:
                    out[rec["id"]] = rec
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the polnear data folder (train.jsonl)")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--output", type=Path, help="write the full results as JSON")
    parser.add_argument("--errors", action="store_true", help="print misses, false alarms and wrong roles")
    args = parser.parse_args(argv)
    if not (args.data / "train.jsonl").exists():
        print(f"PolNeAR train.jsonl not found under {args.data}; pass --data", file=sys.stderr)
        return 2
    gold = read_gold(args.gold.read_text(encoding="utf-8").splitlines())
    ids = {g.doc for g in gold}
    articles = load_articles(args.data, ids)
    missing = ids - set(articles)
    if missing:
        print(f"gold articles not in {args.data / 'train.jsonl'}: {sorted(missing)}", file=sys.stderr)
        return 2
    from dotterel import Coder

    order = sorted(ids)
    docs = [{k: articles[i][k] for k in ("id", "text", "pub_date") if articles[i].get(k)} for i in order]
    coder = Coder()
    coder.nlp  # noqa: B018  (load before timing)
    t0 = time.perf_counter()
    out = [c.to_dict(include_text=False) for c in coder.code_many(docs)]
    seconds = time.perf_counter() - t0
    coded = {o["id"]: o["events"] for o in out}
    result = evaluate(gold, coded)
    unflagged = evaluate(gold, {d: [e for e in evs if not (e.get("negated") or e.get("hypothetical"))]
                                for d, evs in coded.items()})
    result["without_flagged"] = {k: unflagged[k] for k in ("precision", "recall", "core_precision", "core_recall",
                                                            "predicted")}
    result["seconds"] = seconds
    result["machine"] = f"{platform.machine()} {platform.processor() or ''} {platform.python_version()}".strip()
    print(table(result, unflagged))
    print(f"\n{len(docs)} articles, {result['gold_events']} gold events, coded in {seconds:.1f}s")
    if args.errors:
        print_errors(result, {i: articles[i]["text"] for i in order}, coded)
    if args.output:
        args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
