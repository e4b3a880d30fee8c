"""The event store with real DuckDB files: idempotent runs, replacement, runs, recode, queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import dotterel
from dotterel import CodedDocument, Coder, Document, UsageError
from dotterel.read import ReadDocument
from dotterel.store import StoreRunSummary, code_into_store, recode
from dotterel.store.rows import event_date, event_score, text_hash

from .store_fixtures import ScriptedCoder

pytest.importorskip("duckdb", reason="the store needs the 'store' extra")

STORY = "Russia attacked Ukraine near Kharkiv on Friday. China visited Kenya. Britain did not aid Mali."


def docs(n: int, *, extra: str = "", start: int = 0) -> list[ReadDocument]:
    return [ReadDocument(Document(id=f"d{i:03d}", text=f"Story number {i}. {STORY}{extra}",
                                  pub_date=f"2025-0{1 + i % 3}-1{i % 10}"))
            for i in range(start, start + n)]


def ingest(db: Path, items: list[ReadDocument], coder: Coder | None = None, **kw: object) -> StoreRunSummary:
    summary = StoreRunSummary()
    list(code_into_store(items, db=db, coder=coder or ScriptedCoder(), summary=summary, **kw))  # type: ignore[arg-type]
    return summary


def test_rerun_skips_unchanged_documents_before_coding(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    first = ingest(db, docs(12), batch_size=5)
    assert (first.documents, first.unchanged, first.events) == (12, 0, 36)
    second = ingest(db, docs(12), batch_size=5)
    assert (second.documents, second.unchanged) == (0, 12)
    store = dotterel.open(db)
    counts = store.counts()
    assert counts["documents"] == 12 and counts["events"] == 36 and counts["event_actors"] == 72
    runs = store.runs()
    assert list(runs["status"]) == ["done", "done"]
    assert list(runs["documents"]) == [12, 0] and list(runs["unchanged"]) == [0, 12]
    assert list(runs["events"]) == [36, 0]


def test_changed_text_is_recoded_and_replaced(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    ingest(db, docs(3))
    changed = [ReadDocument(Document(id="d001", text="France threatened Mali. Kenya aided Somalia. China accused Britain."))]
    summary = ingest(db, changed)
    assert (summary.documents, summary.replaced) == (1, 1)
    store = dotterel.open(db)
    assert store.counts()["documents"] == 3
    events = store.events()
    mine = events[events.doc_id == "d001"]
    assert sorted(mine.event_type) == ["ACCUSE", "AID", "THREATEN"]
    assert store.counts()["events"] == 2 * 3 + 3
    stored = store.sql("SELECT text_hash FROM documents WHERE doc_id = 'd001'")
    assert stored.text_hash[0] == text_hash(changed[0].document)


def test_same_id_twice_in_one_run_keeps_the_last(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    items = [ReadDocument(Document(id="x", text="France threatened Mali.")),
             ReadDocument(Document(id="x", text="Kenya aided Somalia."))]
    ingest(db, items)
    events = dotterel.open(db).events()
    assert list(events.event_type) == ["AID"]


def test_every_record_kind_is_stored(tmp_path: Path, example_record: CodedDocument) -> None:
    db = tmp_path / "s.duckdb"
    record = example_record
    coder = Replay()
    coder.records = {record.id: record}
    ingest(db, [ReadDocument(Document(id=record.id, text=record.text, title=record.title,
                                      pub_date=record.pub_date))], coder=coder)
    store = dotterel.open(db)
    counts = store.counts()
    assert counts["documents"] == 1
    assert counts["actors"] == len(record.actors)
    assert counts["events"] == len(record.events)
    assert counts["quotes"] == len(record.quotes)
    assert counts["places"] == len(record.places)
    assert counts["dates"] == len(record.dates)
    n_refs = sum(len(e.source) + len(e.target) for e in record.events)
    assert counts["event_actors"] == n_refs
    # offsets survive the round trip: each stored quote content is the text it points to
    quotes = store.sql("SELECT q.content_start, q.content_end, q.content_text, q.in_title, d.text, d.title "
                       "FROM quotes q JOIN documents d USING (doc_id)")
    for row in quotes.itertuples():
        source = row.title if row.in_title else row.text
        assert source[row.content_start:row.content_end] == row.content_text
    actors = store.sql("SELECT mentions FROM actors")
    for mentions in actors.mentions:
        for m in json.loads(mentions):
            assert m["text"]


def test_documents_with_errors_are_stored_and_skipped_next_time(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    items = [ReadDocument(Document(id="empty", text="   "))]
    assert ingest(db, items).errors == 1
    assert ingest(db, items).unchanged == 1
    frame = dotterel.open(db).documents()
    assert json.loads(frame.errors[0])[0]["code"] == "empty_text"


def test_recode_replaces_records_with_the_current_coder_version(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    ingest(db, docs(7), batch_size=3)
    newer = ScriptedCoder()
    newer.version = "0.2.0"
    summary = StoreRunSummary()
    list(recode(db=db, coder=newer, batch_size=3, summary=summary))
    assert summary.documents == 7 and summary.replaced == 7
    store = dotterel.open(db)
    assert set(store.documents().coder_version) == {"0.2.0"}
    assert store.counts()["events"] == 21
    again = StoreRunSummary()
    list(recode(db=db, coder=newer, outdated_only=True, summary=again))
    assert again.documents == 0


class KnowingCoder(ScriptedCoder):
    """A scripted coder whose records carry a knowledge version (``knowledge_version``)."""

    def code_many(self, documents, *, batch_size=None):  # type: ignore[no-untyped-def]
        for record in super().code_many(documents, batch_size=batch_size):
            record.coder = self.info
            yield record

    @property
    def info(self) -> dict[str, str]:
        return {**super().info, "knowledge": self.knowledge}


def test_recode_outdated_only_notices_other_knowledge(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    ingest(db, docs(4), coder=KnowingCoder(knowledge_version="k1"))
    store = dotterel.open(db)
    assert set(store.documents().coder_knowledge) == {"k1"}
    assert list(store.runs().coder_knowledge) == ["k1"]
    same = StoreRunSummary()
    list(recode(db=db, coder=KnowingCoder(knowledge_version="k1"), outdated_only=True, summary=same))
    assert same.documents == 0
    changed = KnowingCoder(knowledge_version="k2")
    summary = StoreRunSummary()
    list(recode(db=db, coder=changed, outdated_only=True, summary=summary))
    assert summary.documents == 4 and summary.replaced == 4
    assert set(dotterel.open(db).documents().coder_knowledge) == {"k2"}


def test_documents_coded_before_knowledge_was_kept_are_outdated(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    ingest(db, docs(3))  # ScriptedCoder writes no knowledge: stored NULL, as before the field existed
    assert dotterel.open(db).documents().coder_knowledge.isna().all()
    summary = StoreRunSummary()
    list(recode(db=db, coder=KnowingCoder(knowledge_version="k1"), outdated_only=True, summary=summary))
    assert summary.documents == 3


def test_a_version_4_store_is_upgraded_and_its_documents_count_as_outdated(tmp_path: Path) -> None:
    from dotterel.store import connect, migrate, schema_version

    db = tmp_path / "v4.duckdb"
    con = connect(db, read_only=False)
    migrate(con, target=4)
    con.execute("INSERT INTO documents (doc_id, text_hash, text, coder_version) "
                "VALUES ('old', 'h', 'Russia attacked Ukraine.', '0.1.0')").fetchall()
    con.close()
    summary = StoreRunSummary()
    list(recode(db=db, coder=KnowingCoder(knowledge_version="k1"), outdated_only=True, summary=summary))
    assert summary.documents == 1
    con = connect(db, read_only=True)
    try:
        assert schema_version(con) >= 5
        assert con.execute("SELECT coder_knowledge FROM documents").fetchall() == [("k1",)]
    finally:
        con.close()


def test_filters(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    ingest(db, [*docs(9), ReadDocument(Document(id="h", text="France might have attacked Mali.", pub_date="2024-12-01"))])
    store = dotterel.open(db)
    assert set(store.events(source="RUS").target) == {"UKR"}
    assert len(store.events(target="KEN")) == 9
    assert len(store.events(actor="KEN")) == 9 and len(store.events(actor="ken,ukr")) == 18
    assert len(store.events(type="CONSULT")) == 9
    assert len(store.events(quad="MX")) == 9 and len(store.events(quad=4)) == 9
    assert len(store.events(quad="verbal cooperation")) == 9
    assert len(store.events(mode="visit")) == 9
    assert len(store.events(sector="GOV")) == 18
    assert len(store.events(since="2025-02-01")) == 12 and len(store.events(until="2025-01-31")) == 6
    assert len(store.events(text="story number 3")) == 2
    assert len(store.events(text="STORY NUMBER 3")) == 2
    assert len(store.events(text="story_number")) == 0  # _ and % are literal characters
    assert len(store.events(include_negated=True)) == 27
    assert len(store.events(source="FRA")) == 0
    hyp = store.events(source="FRA", include_hypothetical=True)
    assert list(hyp.hypothetical) == [True]
    assert list(hyp.sentence) == ["France might have attacked Mali."]
    with pytest.raises(UsageError, match="quad"):
        store.events(quad="sideways")
    with pytest.raises(UsageError, match="unknown filter"):
        store.events(colour="red")


def test_aggregate_by_dyad_month_sums_scores(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    ingest(db, docs(9))
    frame = dotterel.open(db).aggregate(by="dyad", per="month")
    rus = frame[(frame.source == "RUS") & (frame.target == "UKR")]
    assert list(rus.events) == [3, 3, 3]
    assert list(rus.score_sum) == [3 * event_score("ASSAULT", None)] * 3  # type: ignore[operator]
    by_type = dotterel.open(db).aggregate(by=["type"], per="year")
    assert dict(zip(by_type.event_type, by_type.events, strict=True)) == {"ASSAULT": 9, "CONSULT": 9}
    with pytest.raises(UsageError, match="aggregate by"):
        dotterel.open(db).aggregate(by="colour")


class Replay(ScriptedCoder):
    """Returns prepared records (by id) instead of coding."""

    records: dict[str, CodedDocument] = {}  # noqa: RUF012

    def code_many(self, documents, *, batch_size=None):  # type: ignore[no-untyped-def]
        for item in documents:
            yield self.records[item.document.doc_id]


def test_compound_actors_count_in_each_dyad(tmp_path: Path) -> None:
    from dataclasses import replace as dc_replace

    from .store_fixtures import scripted_record

    text = "Russia attacked Ukraine."
    record = scripted_record("c1", text, pub_date="2025-03-02")
    event = record.events[0]
    china = dc_replace(event.source[0], actor="A9", code="CHN")
    record.events[0].source = [event.source[0], china]
    coder = Replay()
    coder.records = {"c1": record}
    ingest(tmp_path / "s.duckdb", [ReadDocument(Document(id="c1", text=text))], coder=coder)
    store = dotterel.open(tmp_path / "s.duckdb")
    frame = store.aggregate(by="dyad", per=None)
    assert sorted(zip(frame.source, frame.target, frame.events, strict=True)) == [
        ("CHN", "UKR", 1), ("RUS", "UKR", 1)]
    rel = store.sql("SELECT role, position, code FROM event_actors ORDER BY role, position")
    assert list(rel.itertuples(index=False, name=None)) == [
        ("source", 0, "RUS"), ("source", 1, "CHN"), ("target", 0, "UKR")]
    assert list(store.events(source="CHN").source) == ["RUS;CHN"]


def test_event_date_of_partial_dates() -> None:
    assert str(event_date("2024-11")) == "2024-11-01"
    assert str(event_date("2024")) == "2024-01-01"
    assert event_date(None) is None and event_date("soon") is None


def test_default_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOTTEREL_DB", str(tmp_path / "env.duckdb"))
    ingest(None, docs(1))  # type: ignore[arg-type]
    assert (tmp_path / "env.duckdb").exists()
    assert dotterel.open().counts()["documents"] == 1


def test_opening_a_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="dotterel code"):
        dotterel.open(tmp_path / "nothing.duckdb")


def test_limited_query_matches_the_full_query(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    ingest(db, docs(9))
    store = dotterel.open(db)
    full = store.events(include_negated=True).head(7).reset_index(drop=True)
    top = store.events(include_negated=True, limit=7).reset_index(drop=True)
    assert list(top.columns) == list(full.columns)
    assert top.astype(str).equals(full.astype(str))
    assert store.query(include_negated=True, limit=7).astype(str).equals(top.astype(str))


class _PrefetchingCoder(ScriptedCoder):
    """Pulls ``ahead`` documents before yielding each record, as the worker pool does."""

    ahead: int = 4

    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self.log = log

    def code_many(self, documents, *, batch_size=None):  # type: ignore[no-untyped-def]
        def pulled():  # type: ignore[no-untyped-def]
            for item in documents:
                self.log.append(f"pull {item.document.doc_id}")
                yield item

        source = iter(pulled())
        window = [item for _, item in zip(range(self.ahead), source, strict=False)]
        while window:
            yield from ScriptedCoder.code_many(self, [window.pop(0)])
            window.extend(item for _, item in zip(range(1), source, strict=False))


def test_coding_streams_past_the_store_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The coder (worker processes) keeps taking documents while a batch is written: it is
    never drained at each write."""
    from dotterel.store.writer import StoreWriter

    log: list[str] = []
    write = StoreWriter.write

    def logged(self: StoreWriter, records: list[CodedDocument], **kw: object):  # type: ignore[no-untyped-def]
        log.append("write " + ",".join(r.id for r in records))
        return write(self, records, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(StoreWriter, "write", logged)
    summary = ingest(tmp_path / "s.duckdb", docs(8), coder=_PrefetchingCoder(log), batch_size=2)
    assert summary.documents == 8
    first_write = log.index("write d000,d001")
    assert "pull d004" in log[:first_write]  # the third chunk was already looked up and taken


def test_a_repeated_document_on_its_way_into_the_store_is_not_coded_twice(tmp_path: Path) -> None:
    items = docs(3)
    items.insert(2, docs(1)[0])  # d000 again, same text, in the next lookup chunk
    summary = ingest(tmp_path / "s.duckdb", items, coder=_PrefetchingCoder([]), batch_size=2)
    assert (summary.documents, summary.unchanged, summary.replaced) == (3, 1, 0)
    changed = docs(1, extra=" Later edit.")[0]  # same id, new text: coded, and it wins
    summary = ingest(tmp_path / "t.duckdb", [*docs(3), changed], coder=_PrefetchingCoder([]), batch_size=2)
    assert (summary.documents, summary.unchanged, summary.replaced) == (4, 0, 1)
