"""The PolNeAR event benchmark's matching and scoring (no spaCy), and the gold file's offsets."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from .conftest import load_script

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "polnear_events_gold.tsv"
POLNEAR = Path(os.environ.get("DOTTEREL_SHARED_DATA", ROOT.parent / "shared" / "data")) / "polnear"


bench = load_script("accuracy_polnear_events", "benchmarks")
select = load_script("polnear_events_select", "benchmarks")

HEADER = "\t".join(bench.GOLD_COLUMNS)


def gold_rows(*rows: str) -> list[Any]:
    return list(bench.read_gold(["# comment", HEADER, *rows]))


def pred(etype: str, start: int, end: int, sent: tuple[int, int], src: list[tuple[str, str | None]],
         tgt: list[tuple[str, str | None]] | None = None, **flags: bool) -> dict[str, Any]:
    return {"event_type": etype, "trigger": {"start": start, "end": end, "text": "x"},
            "sentence": {"start": sent[0], "end": sent[1]},
            "source": [{"code": c, "sector": s} for c, s in src],
            "target": [{"code": c, "sector": s} for c, s in tgt or []], **flags}


# Text of an imaginary article: sentence 1 = [0, 40), sentence 2 = [41, 90).
G1 = "e1\tdocA\t5\t10\tACCUSE\tdisapprove\tFRA GOV\tDEU GOV\tFrance criticises Germany"
G2 = "e2\tdocA\t50\t56\tCONSULT\t\tFRA GOV;DEU GOV\t\ttalks, reciprocal"
G2b = "e2\tdocA\t70\t75\tCONSULT\t\tFRA GOV;DEU GOV\t\tsame talks, second report"


def test_read_gold_parses_lists_and_rejects_a_bad_header() -> None:
    rows = gold_rows(G1, G2)
    assert rows[1].source == ("FRA GOV", "DEU GOV") and rows[1].target == ()
    assert (rows[0].start, rows[0].end, rows[0].type) == (5, 10, "ACCUSE")
    with pytest.raises(ValueError):
        bench.read_gold(["event\tdoc\tstart", G1])


def test_overlap_beats_same_sentence_and_matching_is_one_to_one() -> None:
    gold = gold_rows(G1)
    near = pred("ACCUSE", 20, 25, (0, 40), [("FRA", "GOV")])
    on = pred("ACCUSE", 8, 12, (0, 40), [("FRA", "GOV")])
    assert bench.match(gold, [near, on]) == [(0, 1)]  # the overlapping one wins; the other is left over
    assert bench.match(gold, [near]) == [(0, 0)]  # same sentence, same type
    assert bench.match(gold, [pred("ACCUSE", 50, 55, (41, 90), [("FRA", "GOV")])]) == []  # other sentence
    assert bench.match(gold, [pred("REJECT", 5, 10, (0, 40), [("FRA", "GOV")])]) == []  # other type


def test_recall_counts_events_not_mentions_and_repeats_are_no_false_alarms() -> None:
    gold = gold_rows(G1, G2, G2b)
    preds = {"docA": [pred("CONSULT", 50, 56, (41, 90), [("FRA", "GOV"), ("DEU", "GOV")]),
                      pred("CONSULT", 70, 75, (41, 90), [("FRA", "GOV"), ("DEU", "GOV")])]}
    r = bench.evaluate(gold, preds)
    assert r["gold_events"] == 2 and r["found"] == 1
    assert r["recall"] == 0.5 and r["precision"] == 1.0
    assert [m["event"] for m in r["misses"]] == ["e1"] and r["false_alarms"] == []
    assert r["per_type"]["ACCUSE"]["recall"] == 0.0 and r["per_type"]["CONSULT"]["recall"] == 1.0


def test_roles_core_and_full() -> None:
    gold = gold_rows(G1)
    wrong_target = {"docA": [pred("ACCUSE", 5, 10, (0, 40), [("FRA", "JRN")], [("ITA", "GOV")])]}
    r = bench.evaluate(gold, wrong_target)
    assert r["source_on_matched"] == 1.0 and r["target_on_matched"] == 0.0
    assert r["sector_source_on_matched"] == 0.0  # FRA JRN is not FRA GOV
    assert r["core_recall"] == 1.0 and r["core_precision"] == 1.0
    assert r["full_recall"] == 0.0 and r["full_precision"] == 0.0
    right = {"docA": [pred("ACCUSE", 5, 10, (0, 40), [("FRA", "GOV")], [("DEU", None)]),
                      pred("SUPPORT", 30, 33, (0, 40), [("FRA", "GOV")])]}
    r = bench.evaluate(gold, right)
    assert r["full_recall"] == 1.0 and r["precision"] == 0.5 and r["full_precision"] == 0.5
    assert r["per_type"]["SUPPORT"]["precision"] == 0.0 and len(r["false_alarms"]) == 1
    assert r["sector_target_on_matched"] == 0.0  # no sector predicted for the target


def test_empty_gold_target_needs_empty_prediction_and_igo_aliases() -> None:
    assert bench.role_right((), [])
    assert not bench.role_right((), ["USA GOV"])
    assert bench.role_right(("UNO",), ["IGO"])
    assert not bench.role_right(("USA PTY",), [])
    assert bench.sector_right(("USA",), ["USA GOV"]) is None


def test_table_has_per_type_rows() -> None:
    r = bench.evaluate(gold_rows(G1), {"docA": []})
    text = bench.table(r)
    assert "| ACCUSE | 1 | 0 | 0.000 | 0 | 0 | n/a |" in text and "| all | 1 | 0 |" in text


def test_country_rule_counts_names_not_demonyms_and_blocks_state_names() -> None:
    names = {"France": "FRA", "Mexico": "MEX", "United States": "USA", "U.S.": "USA"}
    pat = select._pattern(names)
    assert select.countries_named("France and the U.S. met.", names, pat) == {"FRA", "USA"}
    assert select.countries_named("A French and Mexican deal in New Mexico.", names, pat) == set()
    assert select.countries_named("Frances went to Mexico", names, pat) == {"MEX"}
    docs = [{"id": "b", "text": "France, Mexico"}, {"id": "a", "text": "France and Mexico"}, {"id": "c", "text": "France"}]
    assert [d["id"] for d in select.select(docs, 5, names)] == ["a", "b"]


@pytest.fixture(scope="module")
def polnear_texts() -> dict[str, str]:
    path = POLNEAR / "train.jsonl"
    if not path.exists():
        pytest.skip(f"PolNeAR data not found at {path} (shared/ is not beside this checkout)")
    ids = {g.doc for g in bench.read_gold(GOLD.read_text(encoding="utf-8").splitlines())}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["id"] in ids:
            out[rec["id"]] = rec["text"]
    return out


def test_gold_offsets_are_inside_their_article_and_on_word_boundaries(polnear_texts: dict[str, str]) -> None:
    gold = bench.read_gold(GOLD.read_text(encoding="utf-8").splitlines())
    assert len({g.doc for g in gold}) == 20 and set(polnear_texts) == {g.doc for g in gold}
    for g in gold:
        text = polnear_texts[g.doc]
        assert 0 <= g.start < g.end <= len(text), g
        span = text[g.start:g.end]
        assert span == span.strip() and span, g
        assert g.start == 0 or not text[g.start - 1].isalnum(), g
        assert g.end == len(text) or not text[g.end].isalnum(), g


def test_gold_articles_are_the_selected_ones(polnear_texts: dict[str, str]) -> None:
    records = select.load(POLNEAR)
    assert {r["id"] for r in select.select(records)} == set(polnear_texts)


def test_gold_codes_and_types_are_valid() -> None:
    gold = bench.read_gold(GOLD.read_text(encoding="utf-8").splitlines())
    types = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
             "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
    events: dict[str, str] = {}
    for g in gold:
        assert g.type in types, g
        assert g.source, g  # no identifiable actor -> no event
        for actor in (*g.source, *g.target):
            parts = actor.split()
            assert 1 <= len(parts) <= 2 and all(len(p) == 3 and p.isupper() for p in parts), g
        assert events.setdefault(g.event, g.type) == g.type, g  # mentions of one event share its type
