"""Event accuracy on the PLOVER gold-standard dev sentences (../shared/data/plover-gsr/dev.jsonl).

Codes each sentence blind (the ``gold`` field is stripped) through the public
API ``dotterel.Coder().code_many`` and scores, per gold record:

- top-1 type: the type of the highest-confidence event equals the gold type;
- type recall: the gold type is among the predicted events' types;
- source / target: on the *scored event* (the highest-confidence event of the
  gold type when there is one, else the top-1 event), every gold actor code is
  among that event's source (resp. target) codes; a record with no gold target
  is right only when the event has no target codes; with no event, wrong;
- full: the scored event has the gold type and right source and target.

Codes are compared after mapping UNO and EUR to IGO (the GSR codes the UN and
EU as IGO). Also reported: events per sentence, per-type recall, the confusion
of gold type vs top-1 type, and how well ``confidence`` ranks events (AUC of
"event type = gold type" over all predicted events, precision of the top-k).

    .venv/bin/python benchmarks/accuracy_plover.py [--data FILE] [--output FILE.json]
        [--layers both|imported|overrides|all]

``--layers`` picks the event lexicon's layers (``dotterel.events.lexicon.load_lexicon``): the
tables imported from CAMEO, the hand-written overrides, or both (the default); ``all`` runs
the three in turn and prints a comparison.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "plover-gsr" / "dev.jsonl"
IGO_ALIASES = {"UNO": "IGO", "EUR": "IGO"}


def norm(codes: list[str | None]) -> set[str]:
    """Actor codes as a set, UNO/EUR read as IGO, unknown codes dropped."""
    return {IGO_ALIASES.get(c, c) for c in codes if c}


def scored_event(events: list[dict[str, Any]], gold_type: str) -> dict[str, Any] | None:
    """The event whose roles are scored: best event of the gold type, else the top-1 event."""
    if not events:
        return None
    same = [e for e in events if e["event_type"] == gold_type]
    pool = same or events
    return max(pool, key=lambda e: e["confidence"])


def auc(pairs: list[tuple[float, bool]]) -> float | None:
    """Probability that a right event outranks a wrong one (ties count half)."""
    pos = [s for s, ok in pairs if ok]
    neg = [s for s, ok in pairs if not ok]
    if not pos or not neg:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def evaluate(records: list[dict[str, Any]], coded: list[dict[str, Any]]) -> dict[str, Any]:
    """Score coded output records against gold records (same order)."""
    n = len(records)
    hits = Counter[str]()
    per_type_total = Counter[str]()
    per_type_recall = Counter[str]()
    confusion: dict[str, Counter[str]] = {}
    ranked: list[tuple[float, bool]] = []
    n_events = 0
    errors: list[dict[str, Any]] = []
    for rec, out in zip(records, coded, strict=True):
        gold = rec["gold"]
        gtype = gold["event_type"]
        events = out["events"]
        n_events += len(events)
        per_type_total[gtype] += 1
        top = max(events, key=lambda e: e["confidence"]) if events else None
        top_type = top["event_type"] if top else "none"
        confusion.setdefault(gtype, Counter())[top_type] += 1
        types = {e["event_type"] for e in events}
        for e in events:
            ranked.append((e["confidence"], e["event_type"] == gtype))
        ev = scored_event(events, gtype)
        src_ok = tgt_ok = False
        if ev is not None:
            src = norm([a["code"] for a in ev["source"]])
            tgt = norm([a["code"] for a in ev["target"]])
            gsrc, gtgt = norm(gold["source"]), norm(gold["target"])
            src_ok = gsrc <= src if gsrc else not src
            tgt_ok = gtgt <= tgt if gtgt else not tgt
        ok = {
            "top1": top_type == gtype,
            "recall": gtype in types,
            "source": src_ok,
            "target": tgt_ok,
            "full": ev is not None and ev["event_type"] == gtype and src_ok and tgt_ok,
        }
        for key, value in ok.items():
            hits[key] += value
        per_type_recall[gtype] += ok["recall"]
        if not all(ok.values()):
            errors.append({
                "id": rec["id"], "text": rec["text"], "gold": gold, "ok": ok,
                "events": [{k: e[k] for k in ("event_type", "mode", "confidence", "negated", "hypothetical")}
                           | {"trigger": e["trigger"]["text"],
                              "source": [a["code"] for a in e["source"]],
                              "target": [a["code"] for a in e["target"]]} for e in events],
            })
    ranked.sort(key=lambda p: -p[0])
    top_k = {str(k): sum(ok for _, ok in ranked[:k]) / min(k, len(ranked))
             for k in (25, 50, 100) if ranked}
    return {
        "n": n,
        "top1": hits["top1"] / n, "type_recall": hits["recall"] / n,
        "source": hits["source"] / n, "target": hits["target"] / n, "full": hits["full"] / n,
        "events_per_sentence": n_events / n,
        "per_type_recall": {t: per_type_recall[t] / per_type_total[t] for t in sorted(per_type_total)},
        "per_type_n": dict(sorted(per_type_total.items())),
        "confusion": {t: dict(sorted(c.items())) for t, c in sorted(confusion.items())},
        "confidence_auc": auc(ranked),
        "precision_at_k": top_k,
        "errors": errors,
    }


def table(result: dict[str, Any]) -> str:
    """The results as Markdown."""
    targets = {"top1": 0.75, "type_recall": 0.85, "source": 0.80, "target": 0.70, "full": 0.50}
    lines = ["| metric | value | target |", "|---|---|---|"]
    for key, goal in targets.items():
        lines.append(f"| {key} | {result[key]:.3f} | ≥ {goal:.2f} |")
    lines.append(f"| events per sentence | {result['events_per_sentence']:.2f} | |")
    auc_value = result["confidence_auc"]
    lines.append(f"| confidence AUC (type right) | {'n/a' if auc_value is None else f'{auc_value:.3f}'} | |")
    for k, v in result["precision_at_k"].items():
        lines.append(f"| precision of top-{k} events by confidence | {v:.3f} | |")
    lines += ["", "| gold type | n | recall | top-1 predicted types |", "|---|---|---|---|"]
    for t, r in result["per_type_recall"].items():
        conf = ", ".join(f"{k} {v}" for k, v in sorted(result["confusion"][t].items(), key=lambda kv: -kv[1]))
        lines.append(f"| {t} | {result['per_type_n'][t]} | {r:.2f} | {conf} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--output", type=Path, help="write the full results (with errors) as JSON")
    parser.add_argument("--errors", action="store_true", help="print the records not fully right")
    parser.add_argument("--layers", choices=("both", "imported", "overrides", "all"), default="both",
                        help="event lexicon layers (default both; all = the three in turn)")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"gold data not found at {args.data}; pass --data", file=sys.stderr)
        return 2
    import os

    from dotterel import Coder
    from dotterel.events.lexicon import LAYERS_ENV

    records = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = [{k: v for k, v in r.items() if k != "gold"} for r in records]
    coder = Coder()
    coder.nlp  # noqa: B018  (load before timing)
    settings = ["imported", "overrides", "both"] if args.layers == "all" else [args.layers]
    results: dict[str, dict[str, Any]] = {}
    for layers in settings:
        os.environ[LAYERS_ENV] = layers
        t0 = time.perf_counter()
        coded = [c.to_dict(include_text=False) for c in coder.code_many(docs)]
        seconds = time.perf_counter() - t0
        result = evaluate(records, coded)
        result["seconds"] = seconds
        result["layers"] = layers
        result["machine"] = f"{platform.machine()} {platform.processor() or ''} {platform.python_version()}".strip()
        results[layers] = result
        print(f"### layers: {layers}\n")
        print(table(result))
        print(f"\n{len(records)} sentences in {seconds:.1f}s\n")
    if len(results) > 1:
        keys = ("top1", "type_recall", "source", "target", "full", "events_per_sentence")
        print("| layers | " + " | ".join(keys) + " |")
        print("|---" * (len(keys) + 1) + "|")
        for layers, res in results.items():
            print(f"| {layers} | " + " | ".join(f"{res[k]:.3f}" for k in keys) + " |")
    result = results[settings[-1]]
    if args.errors:
        for err in result["errors"]:
            print(json.dumps(err, ensure_ascii=False))
    if args.output:
        args.output.write_text(json.dumps(results if len(results) > 1 else result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
