"""Near-duplicate stories: MinHash similarity, clusters in the store, per-event source counts."""

from __future__ import annotations

from pathlib import Path

import pytest

import dotterel
from dotterel import Document
from dotterel.dedup import THRESHOLD, Signature, shingles, signature
from dotterel.read import ReadDocument
from dotterel.store import StoreRunSummary, code_into_store

from .store_fixtures import ScriptedCoder

pytest.importorskip("datasketch", reason="duplicate detection needs the 'web' extra")

WIRE = (
    "Russia attacked Ukraine near the border town on Saturday, the defence ministry said. "
    "The strike followed weeks of shelling along the front line, and local officials reported damage "
    "to power lines and a school. China visited Kenya the same day for talks on trade and ports. "
    "Diplomats said the two sides discussed loans, a railway extension and new flights between the capitals. "
    "The ministry gave no figure for casualties and said an investigation was under way."
)
OTHER = ("France accused Mali of breaking the agreement. Ministers met in Paris to discuss the mission, "
         "which has lasted nine years, and the future of the troops deployed there.")


def test_similarity_of_near_and_far_texts() -> None:
    a = signature(WIRE)
    b = signature("By Staff Reporter. " + WIRE.replace("Saturday", "Saturday morning") + " Reporting by the wire desk.")
    c = signature(OTHER)
    assert a is not None and b is not None and c is not None
    assert a.similarity(a) == 1.0
    assert a.similarity(b) >= THRESHOLD
    assert a.similarity(c) < 0.2
    assert set(a.bands) & set(b.bands), "near duplicates share a band, so the store finds them"
    assert Signature.from_bytes(a.to_bytes()) == a
    assert signature("   ") is None
    assert shingles("Two words") == {b"two words"}


def store(db: Path, docs: list[tuple[str, str, str]]) -> None:
    items = [ReadDocument(Document(id=i, text=t, source=s, pub_date="2025-03-01")) for i, t, s in docs]
    list(code_into_store(items, db=db, coder=ScriptedCoder(), summary=StoreRunSummary()))


def test_wire_copies_are_linked_and_counted(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    store(db, [
        ("a", WIRE, "Outlet A"),
        ("b", "Updated. " + WIRE.replace("said.", "said on Saturday."), "Outlet B"),
        ("x", OTHER, "Outlet X"),
    ])
    # a later run brings a third copy, from an outlet that already published one
    store(db, [("c", WIRE + " More to follow.", "Outlet A")])
    s = dotterel.open(db)
    clusters = dict(s.sql("SELECT doc_id, cluster_id FROM documents").itertuples(index=False, name=None))
    assert clusters == {"a": "a", "b": "a", "c": "a", "x": "x"}
    ev = s.events()
    assault = ev[ev.event_type == "ASSAULT"]
    assert set(assault.num_articles) == {3} and set(assault.num_sources) == {2}
    accuse = ev[ev.event_type == "ACCUSE"]
    assert list(accuse.num_articles) == [1]
    agg = s.aggregate(by="type", per=None, distinct=True)
    row = agg[agg.event_type == "ASSAULT"].iloc[0]
    assert (row.events, row.distinct_events, row.stories) == (3, 1, 1)
