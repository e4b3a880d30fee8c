"""The fast query paths (schema version 3) give the same answers as plain SQL on the lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import dotterel
from dotterel import Document
from dotterel.read import ReadDocument
from dotterel.store import StoreRunSummary, code_into_store, connect, migrate, schema_version
from dotterel.store.schema import SCHEMA_VERSION, wait_marker, writer_waiting

from .store_fixtures import ScriptedCoder

pytest.importorskip("duckdb", reason="the store needs the 'store' extra")

SENTENCES = ["Russia attacked Ukraine.", "China visited Kenya.", "Britain did not aid Mali.",
             "France accused Russia.", "Kenya threatened Somalia.", "Mali visited France."]


def many_docs(n: int) -> list[ReadDocument]:
    """n stories over about two years, each with two or three events, texts varied."""
    out = []
    for i in range(n):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=(i * 37) % 700)
        text = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(2 + i % 2))
        if i % 5 == 0:
            text += " A ceasefire was discussed."
        if i % 40 == 7:  # rare: the newest 64 or 192 events hold some of these, not all
            text += " Somalia aided Britain."
        out.append(ReadDocument(Document(id=f"m{i:03d}", text=text, pub_date=day.isoformat())))
    return out


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("q") / "s.duckdb"
    list(code_into_store(many_docs(160), db=db, coder=ScriptedCoder(), summary=StoreRunSummary()))
    return db


@pytest.mark.parametrize("filters", [
    {}, {"actor": "RUS"}, {"source": "KEN", "target": "SOM"}, {"type": "CONSULT"},
    {"since": "2024-06-01", "until": "2024-12-31"}, {"text": "ceasefire"}, {"text": "CEASEFIRE", "actor": "CHN"},
    {"sector": "GOV", "include_negated": True}, {"source": "SOM"}, {"target": "SOM,GBR", "type": "AID"},
])
@pytest.mark.parametrize("limit", [1, 3, 40])
def test_limited_query_is_the_head_of_the_full_query(store_path: Path, filters: dict[str, str],
                                                      limit: int) -> None:
    # limit 1 and 3 make the first window (64 × limit events) hold only part of the store
    store = dotterel.open(store_path)
    full = store.events(**filters).head(limit).reset_index(drop=True)
    top = store.events(limit=limit, **filters).reset_index(drop=True)
    assert len(full) > 0
    assert list(top.columns) == list(full.columns)
    assert top.astype(str).equals(full.astype(str))


def reference_sql(per: str | None, by: list[str], extra: str) -> str:
    """The aggregate written plainly: date_trunc, and the code lists unnested row by row."""
    sides = [k for k in ("source", "target") if "dyad" in by or k in by]
    keys = [*sides, *["event_type"] * ("type" in by), *["quad"] * ("quad" in by)]
    period = [f"date_trunc('{per}', event_date)::DATE AS period"] if per else []
    unnest = "".join(f", unnest(CASE WHEN len(e.{k}_codes) = 0 THEN [NULL] ELSE e.{k}_codes END) {k[0]}({k})"
                     for k in sides)
    return (f"SELECT {', '.join([*period, *keys])}, count(*) AS events, "
            "round(sum(score), 2) AS score_sum, round(avg(score), 3) AS score_mean "
            f"FROM (SELECT e.* {''.join(f', {k[0]}.{k}' for k in sides)} FROM events e {unnest} "
            f"WHERE NOT negated AND NOT hypothetical {extra}) GROUP BY ALL ORDER BY ALL")


@pytest.mark.parametrize("per", [None, "day", "week", "month", "year"])
@pytest.mark.parametrize("by", [["dyad"], ["source"], ["target", "type"], ["quad"]])
def test_aggregates_equal_plain_sql_on_the_list_columns(store_path: Path, per: str | None,
                                                        by: list[str]) -> None:
    store = dotterel.open(store_path)
    for filters, extra in (({}, ""), ({"actor": "RUS"}, "AND (list_contains(source_codes, 'RUS') "
                                                        "OR list_contains(target_codes, 'RUS'))")):
        want = store.sql(reference_sql(per, by, extra))
        got = store.aggregate(by=by, per=per, **filters)
        assert list(got.columns) == list(want.columns)
        assert len(got) > 0
        assert got.astype(str).equals(want.astype(str)), (filters, got, want)


def test_code_keys_mirror_the_code_lists(store_path: Path) -> None:
    store = dotterel.open(store_path)
    wrong = store.sql(
        "SELECT count(*) AS n FROM events WHERE source_key <> "
        "CASE WHEN len(source_codes) = 0 THEN '' ELSE ';' || array_to_string(source_codes, ';') || ';' END "
        "OR target_sector_key <> CASE WHEN len(target_sectors) = 0 THEN '' "
        "ELSE ';' || array_to_string(target_sectors, ';') || ';' END")
    assert int(wrong.n[0]) == 0
    assert int(store.sql("SELECT count(*) AS n FROM events WHERE source_key = ';RUS;'").n[0]) > 0
    sentences = store.sql(
        "SELECT count(*) AS n, count(*) FILTER (WHERE e.sentence IS DISTINCT FROM substring("
        "CASE WHEN e.in_title THEN d.title ELSE d.text END, e.sentence_start + 1, "
        "e.sentence_end - e.sentence_start)) AS wrong FROM events e JOIN documents d USING (doc_id)")
    assert int(sentences.n[0]) > 0 and int(sentences.wrong[0]) == 0


def test_a_version_2_store_gets_the_code_keys(tmp_path: Path) -> None:
    db = tmp_path / "v2.duckdb"
    con = connect(db, read_only=False)
    migrate(con, target=2)
    con.execute("INSERT INTO documents (doc_id, text_hash, text) VALUES "
                "('old', 'h', 'Old story. The USA and Britain accused.')").fetchall()
    con.execute(
        "INSERT INTO events (eid, doc_id, event_id, event_type, source_codes, target_codes, "
        "source_sectors, target_sectors, event_date, negated, hypothetical, score, in_title, "
        "sentence_start, sentence_end) VALUES (1, 'old', 'E1', 'ACCUSE', ['USA', 'GBR'], [], "
        "['GOV'], [], DATE '2020-05-01', false, false, -2, false, 11, 39)"
    ).fetchall()
    con.close()
    store = dotterel.open(db)
    assert int(store.sql("SELECT max(version) AS v FROM schema_version").v[0]) == SCHEMA_VERSION
    row = store.sql("SELECT source_key, target_key, source_sector_key, target_sector_key FROM events")
    assert list(row.iloc[0]) == [";USA;GBR;", "", ";GOV;", ""]
    assert len(store.events(actor="GBR")) == 1 and len(store.events(target="USA")) == 0
    assert list(store.events(limit=5).sentence) == ["The USA and Britain accused."]
    frame = store.aggregate(by="dyad", per="month")
    assert sorted(zip(frame.source, frame.target.isna(), strict=True)) == [("GBR", True), ("USA", True)]


def test_reader_keeps_the_file_between_queries_and_lets_a_writer_in(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    list(code_into_store(many_docs(3), db=db, coder=ScriptedCoder(), summary=StoreRunSummary()))
    store = dotterel.open(db, hold=30.0)
    assert store.counts()["documents"] == 3
    assert store.reader._attached_at is not None  # still attached: the next query starts warm
    # a writer in this process must wait for the file; it says so and the reader lets go
    list(code_into_store(many_docs(5), db=db, coder=ScriptedCoder(), summary=StoreRunSummary()))
    assert not writer_waiting(db) and not wait_marker(db).exists()
    assert store.counts()["documents"] == 5
    store.close()
    once = dotterel.open(db, hold=0)
    assert once.counts()["documents"] == 5
    assert once.reader._attached_at is None  # hold=0: released after every query
    con = connect(db, read_only=False, timeout=1.0)  # nothing holds the file
    assert schema_version(con) == SCHEMA_VERSION
    con.close()
