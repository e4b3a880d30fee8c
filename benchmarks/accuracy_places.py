"""Geoparsing accuracy on the GeoWebNews development half (../shared/data/geowebnews/dev.jsonl).

Codes each article blind (the ``gold`` field is stripped; only ``id`` and ``text``
are passed, as a new user would) through the public API ``dotterel.Coder().code_many``
and scores the output's ``places`` by the rules of the data's README (the field's,
Gritta et al. 2020):

- required toponyms: gold types Literal, Mixed, Coercion, Embedded_Literal,
  Literal_Modifier, Metonymic, Non_Literal_Modifier (or no type), except those whose
  modifier is Adjective. Demonyms, languages, homonyms and names inside other names are
  not required; a prediction on them is a false positive;
- recognition: each predicted mention (in the text, not the title) is matched one to
  one to a required gold span it overlaps; precision, recall and F1 over those;
- geocoding, over the found toponyms with gold coordinates: accuracy@161 km, median and
  mean error (km), the share whose GeoNames id equals the gold id, and the AUC of the
  sorted ln(1 + km) errors scaled by ln(20,039) (lower is better). A found place without
  coordinates is 20,039 km off.

Error kinds: missed gold spans by gold type; false positives (on no gold span, or on a
gold span that is not required, by its type); geocodes more than 161 km off by the gold
record's feature in the gazetteer (country, admin1, city, region, not in gazetteer) and
by kind (no point, another record = wrong homonym, the right record but its point far).

    .venv/bin/python benchmarks/accuracy_places.py [--data FILE] [--errors] [--output FILE.json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "geowebnews" / "dev.jsonl"

REQUIRED_TYPES = {"Literal", "Mixed", "Coercion", "Embedded_Literal", "Literal_Modifier",
                  "Metonymic", "Non_Literal_Modifier", None, ""}
EARTH_RADIUS_KM = 6371.0088
MAX_KM = 20039.0  # half the Earth's circumference: the error of a place with no point
GOOD_KM = 161.0  # 100 miles


def required(toponym: dict[str, Any]) -> bool:
    """True when a coder must find this gold toponym."""
    return toponym.get("type") in REQUIRED_TYPES and toponym.get("modifier") != "Adjective"


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def error_auc(errors_km: list[float]) -> float | None:
    """Area under the sorted ln(1 + km) curve, scaled to [0, 1] by ln(20,039) (lower is better)."""
    if not errors_km:
        return None
    ys = [math.log1p(e) / math.log1p(MAX_KM - 1) for e in sorted(errors_km)]
    if len(ys) == 1:
        return ys[0]
    return sum((a + b) / 2 for a, b in itertools.pairwise(ys)) / (len(ys) - 1)


def predicted_mentions(out: dict[str, Any]) -> list[dict[str, Any]]:
    """Every mention of every output place, in the text (title mentions are not scored)."""
    found = []
    for place in out.get("places", []):
        for m in place["mentions"]:
            if not m.get("in_title"):
                found.append({"start": m["start"], "end": m["end"], "text": m["text"], "place": place})
    found.sort(key=lambda m: (m["start"], m["end"]))
    return found


def overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(a["start"] < b["end"] and b["start"] < a["end"])


def match(preds: list[dict[str, Any]], golds: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one (prediction, gold) pairs that overlap: largest overlap first, then text order."""
    pairs = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if overlaps(p, g):
                shared = min(p["end"], g["end"]) - max(p["start"], g["start"])
                pairs.append((-shared, p["start"], g["start"], i, j))
    pairs.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    result = []
    for _, _, _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            result.append((i, j))
    return result


class FeatureOf:
    """The gazetteer feature of a gold GeoNames id: country, admin1, city, region or unknown."""

    def __init__(self) -> None:
        from dotterel.places.gazetteer import Gazetteer

        self.gazetteer = Gazetteer.load()
        self.kinds: dict[int, str] = {}
        for entry in self.gazetteer.countries.values():
            if entry.geonames_id is not None:
                self.kinds[entry.geonames_id] = "country"
        for entry in self.gazetteer.admins.values():
            if entry.geonames_id is not None:
                self.kinds[entry.geonames_id] = "admin1"
        for entry in self.gazetteer.regions.values():
            if entry.geonames_id is not None:
                self.kinds[entry.geonames_id] = "region"

    def __call__(self, geonames_id: int | None) -> str:
        if geonames_id is None:
            return "no gold id"
        kind = self.kinds.get(geonames_id)
        if kind is None:
            kind = "city" if self.gazetteer.city(geonames_id) is not None else "not in gazetteer"
            self.kinds[geonames_id] = kind
        return kind


def evaluate(records: list[dict[str, Any]], coded: list[dict[str, Any]],
             feature_of: Callable[[int | None], str] | None = None) -> dict[str, Any]:
    """Score coded output records against gold records (same order).

    ``feature_of`` names the gazetteer feature of a gold GeoNames id (default: :class:`FeatureOf`).
    """
    feature_of = feature_of or FeatureOf()
    n_gold = n_pred = n_found = 0
    errors_km: list[float] = []
    id_hits = id_total = 0
    missed = Counter[str]()
    false_pos = Counter[str]()
    far = Counter[str]()
    far_kind = Counter[str]()
    per_feature: dict[str, list[float]] = {}
    errors: list[dict[str, Any]] = []
    for rec, out in zip(records, coded, strict=True):
        text = rec["text"]
        toponyms = rec["gold"]["toponyms"]
        golds = [t for t in toponyms if required(t)]
        others = [t for t in toponyms if not required(t)]
        preds = predicted_mentions(out)
        n_gold += len(golds)
        n_pred += len(preds)
        pairs = match(preds, golds)
        n_found += len(pairs)
        matched_p = {i for i, _ in pairs}
        matched_g = {j for _, j in pairs}
        for j, g in enumerate(golds):
            if j not in matched_g:
                missed[g.get("type") or "none"] += 1
                errors.append({"id": rec["id"], "kind": "missed", "gold_type": g.get("type"),
                               "text": g["name"], "start": g["start"],
                               "context": text[max(0, g["start"] - 60): g["end"] + 60]})
        for i, p in enumerate(preds):
            if i in matched_p:
                continue
            on = [t for t in others if overlaps(p, t)]
            label = f"on {on[0].get('type')}" if on else (
                "on a required span already matched" if any(overlaps(p, g) for g in golds) else "on no gold span")
            false_pos[label] += 1
            errors.append({"id": rec["id"], "kind": "false positive", "why": label, "text": p["text"],
                           "start": p["start"], "feature": p["place"]["feature"],
                           "geonames_id": p["place"]["geonames_id"],
                           "context": text[max(0, p["start"] - 60): p["end"] + 60]})
        for i, j in pairs:
            g, place = golds[j], preds[i]["place"]
            if g.get("lat") is None or g.get("lon") is None:
                continue
            if place["lat"] is None or place["lon"] is None:
                km = MAX_KM
            else:
                km = great_circle_km(place["lat"], place["lon"], float(g["lat"]), float(g["lon"]))
            errors_km.append(km)
            feature = feature_of(g.get("geonames_id"))
            per_feature.setdefault(feature, []).append(km)
            if g.get("geonames_id") is not None:
                id_total += 1
                id_hits += place["geonames_id"] == g["geonames_id"]
            if km > GOOD_KM:
                if place["lat"] is None:
                    kind = "no point"
                elif place["geonames_id"] is not None and place["geonames_id"] == g.get("geonames_id"):
                    kind = "right record, point far"
                else:
                    kind = "wrong record (homonym)"
                far[feature] += 1
                far_kind[kind] += 1
                errors.append({"id": rec["id"], "kind": "far", "far_kind": kind, "gold_feature": feature,
                               "text": g["name"], "start": g["start"], "km": round(km),
                               "gold": [g.get("geonames_id"), g.get("gazetteer_name"), g["lat"], g["lon"]],
                               "predicted": [place["geonames_id"], place["name"], place["country"],
                                             place["feature"], place["lat"], place["lon"]],
                               "context": text[max(0, g["start"] - 60): g["end"] + 60]})
    precision = n_found / n_pred if n_pred else 0.0
    recall = n_found / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    n_geo = len(errors_km)
    return {
        "articles": len(records),
        "gold_required": n_gold, "predicted": n_pred, "found": n_found,
        "precision": precision, "recall": recall, "f1": f1,
        "geocoded": n_geo,
        "accuracy_161km": sum(e <= GOOD_KM for e in errors_km) / n_geo if n_geo else None,
        "median_km": statistics.median(errors_km) if n_geo else None,
        "mean_km": statistics.fmean(errors_km) if n_geo else None,
        "geonames_id_match": id_hits / id_total if id_total else None,
        "auc": error_auc(errors_km),
        "per_gold_feature": {f: {"n": len(v), "accuracy_161km": sum(e <= GOOD_KM for e in v) / len(v),
                                 "median_km": statistics.median(v)}
                             for f, v in sorted(per_feature.items())},
        "missed_by_type": dict(missed.most_common()),
        "false_positives": dict(false_pos.most_common()),
        "far_by_gold_feature": dict(far.most_common()),
        "far_by_kind": dict(far_kind.most_common()),
        "errors": errors,
    }


def _fmt(value: float | None, spec: str = ".3f") -> str:
    return "n/a" if value is None else format(value, spec)


def table(result: dict[str, Any]) -> str:
    """The results as Markdown."""
    lines = ["| metric | value | target |", "|---|---|---|",
             f"| precision | {_fmt(result['precision'])} | |",
             f"| recall | {_fmt(result['recall'])} | |",
             f"| F1 (overlap, one to one) | {_fmt(result['f1'])} | ≥ 0.80 |",
             f"| accuracy@161 km | {_fmt(result['accuracy_161km'])} | ≥ 0.85 |",
             f"| median error km | {_fmt(result['median_km'], '.1f')} | |",
             f"| mean error km | {_fmt(result['mean_km'], '.0f')} | |",
             f"| GeoNames id match | {_fmt(result['geonames_id_match'])} | |",
             f"| AUC (lower is better) | {_fmt(result['auc'])} | |",
             "",
             f"{result['gold_required']} required gold toponyms, {result['predicted']} predicted mentions, "
             f"{result['found']} found, {result['geocoded']} found with gold coordinates.",
             "", "| gold feature | n | acc@161 | median km |", "|---|---|---|---|"]
    for f, v in result["per_gold_feature"].items():
        lines.append(f"| {f} | {v['n']} | {v['accuracy_161km']:.3f} | {v['median_km']:.1f} |")
    lines += ["", "| error kind | count |", "|---|---|"]
    for title, key in (("missed", "missed_by_type"), ("false positive", "false_positives"),
                       ("far (> 161 km), gold feature", "far_by_gold_feature"),
                       ("far (> 161 km)", "far_by_kind")):
        for k, v in result[key].items():
            lines.append(f"| {title}: {k} | {v} |")
    return "\n".join(lines)


def read_records(path: Path) -> list[dict[str, Any]]:
    """The gold records of a JSON-lines file; a malformed line is reported and skipped."""
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record.get("text"), str) or not isinstance(record["gold"]["toponyms"], list):
                raise ValueError("no text or gold.toponyms")
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            print(f"{path}:{number}: skipped, not a gold record ({err})", file=sys.stderr)
            continue
        record.setdefault("id", f"line-{number}")
        records.append(record)
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--output", type=Path, help="write the full results (with errors) as JSON")
    parser.add_argument("--errors", action="store_true", help="print every error (missed, false positive, far)")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"gold data not found at {args.data}; pass --data", file=sys.stderr)
        return 2
    from dotterel import Coder

    records = read_records(args.data)
    if not records:
        print(f"no gold records in {args.data}", file=sys.stderr)
        return 2
    docs = [{"id": r["id"], "text": r["text"]} for r in records]
    coder = Coder()
    coder.nlp  # noqa: B018  (load before timing)
    t0 = time.perf_counter()
    coded = [c.to_dict(include_text=False) for c in coder.code_many(docs)]
    seconds = time.perf_counter() - t0
    result = evaluate(records, coded)
    result["seconds"] = seconds
    result["machine"] = f"{platform.machine()} {platform.processor() or ''} {platform.python_version()}".strip()
    print(table(result))
    print(f"\n{len(records)} articles in {seconds:.1f}s")
    if args.errors:
        for err in result["errors"]:
            print(json.dumps(err, ensure_ascii=False))
    if args.output:
        args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
