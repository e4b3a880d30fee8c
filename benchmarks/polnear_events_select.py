"""Choose the PolNeAR articles of the hand-coded event set (issue 8), deterministically.

Rule (also in ``benchmarks/polnear_events_gold.tsv`` and ``docs/benchmarks.md``):

1. Read ``train.jsonl`` of ``../shared/data/polnear`` and sort the records by ``id`` as
   plain strings (the ids are file names such as ``nyt_2016-01-29_...``, not numbers, so
   this is Python's ``sorted`` on the id strings).
2. Keep an article when its ``text`` names at least two *different* countries, and take
   the first 20 kept.

A country is named when one of its names occurs in the text as a whole word (not preceded
or followed by a letter, digit or ``_``), case-sensitively. Names of a country: for every
row of ``src/dotterel/data/actors/countries.tsv`` (the coder's own country table, 202
states), the ``name`` and ``aliases`` columns, plus pycountry's ``name``,
``official_name`` and ``common_name`` for that ISO3 code. Demonyms ("Mexican") and
capitals ("Moscow") do not count: only names. Left out because in US political news
they nearly always mean something else: ``Georgia`` (the state), ``Jordan`` and ``Chad``
(people). Longer place names that contain a country's name are matched first and name no
country: ``New Mexico``, ``New England``, ``New South Wales``, ``Latin America``,
``North America``, ``South America``, ``Central America`` (longest match wins at each
position, scanning left to right, matches do not overlap).

    .venv/bin/python benchmarks/polnear_events_select.py [--data DIR] [-n 20]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear"
COUNTRIES_TSV = ROOT / "src" / "dotterel" / "data" / "actors" / "countries.tsv"
EXCLUDED_NAMES = frozenset({"Georgia", "Jordan", "Chad"})
NOT_COUNTRIES = (
    "New Mexico", "New England", "New South Wales", "Latin America",
    "North America", "South America", "Central America",
)
N_ARTICLES = 20


def country_names(tsv: Path = COUNTRIES_TSV) -> dict[str, str]:
    """Every country name of the rule above, mapped to its ISO3 code."""
    import pycountry

    names: dict[str, str] = {}
    header_seen = False
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            header_seen = True
            continue
        iso3, name, aliases = cols[0], cols[1], cols[2] if len(cols) > 2 else ""
        found = [name, *(a for a in aliases.split("|") if a)]
        entry = pycountry.countries.get(alpha_3=iso3)
        if entry is not None:
            found += [getattr(entry, key, "") for key in ("name", "official_name", "common_name")]
        for n in found:
            if n and n not in EXCLUDED_NAMES:
                names.setdefault(n, iso3)
    return names


def _pattern(names: Iterable[str]) -> re.Pattern[str]:
    alts = sorted(set(names) | set(NOT_COUNTRIES), key=lambda s: (-len(s), s))
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(a) for a in alts) + r")(?![\w])")


def countries_named(text: str, names: dict[str, str], pattern: re.Pattern[str] | None = None) -> set[str]:
    """ISO3 codes of the countries the text names (rule above)."""
    pat = pattern or _pattern(names)
    return {names[m.group(0)] for m in pat.finditer(text) if m.group(0) in names}


def select(records: list[dict[str, Any]], n: int = N_ARTICLES,
           names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The first ``n`` records by id (string sort) whose text names two or more countries."""
    names = names if names is not None else country_names()
    pat = _pattern(names)
    chosen = []
    for rec in sorted(records, key=lambda r: str(r["id"])):
        if len(countries_named(rec["text"], names, pat)) >= 2:
            chosen.append(rec)
            if len(chosen) == n:
                break
    return chosen


def load(data_dir: Path) -> list[dict[str, Any]]:
    path = data_dir / "train.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the polnear data folder")
    parser.add_argument("-n", type=int, default=N_ARTICLES)
    args = parser.parse_args(argv)
    if not (args.data / "train.jsonl").exists():
        print(f"PolNeAR train.jsonl not found under {args.data}; pass --data", file=sys.stderr)
        return 2
    names = country_names()
    pat = _pattern(names)
    for rec in select(load(args.data), args.n, names):
        codes = sorted(countries_named(rec["text"], names, pat))
        print(f"{rec['id']}\t{rec.get('pub_date')}\t{len(rec['text'])}\t{' '.join(codes)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
