"""The ``text`` filter through the word index (schema version 4) equals a brute-force search."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import dotterel
from dotterel import Document
from dotterel.read import ReadDocument
from dotterel.store import StoreRunSummary, code_into_store, connect, migrate, schema_version
from dotterel.store.schema import SCHEMA_VERSION
from dotterel.store.words import PARTS, doc_word_hashes, part_table, word_hash, words

from .store_fixtures import ScriptedCoder

pytest.importorskip("duckdb", reason="the store needs the 'store' extra")

#: (title, extra text) of the stories; every story also gets an event sentence first
STORIES = [
    (None, "A ceasefire was agreed."),
    ("Ceasefire talks", "Nothing else happened."),
    (None, "The cease-fire held, officials said."),
    (None, "They called on both sides to cease fire at once."),
    (None, "The U.S. envoy met the UN team."),
    (None, "U.S.A. officials declined to comment."),
    (None, "Russia's foreign minister spoke; RUSSIA'S critics did not."),
    ("Talks in Zürich", "The Café owner was interviewed."),
    (None, "Peace talks resumed in New York on Monday."),
    (None, "New Yorkers marched; talks went on in York, New Jersey."),
    (None, "Ukraine attacked first, officials said."),
    (None, "A 50% rise in prices -- and a new_tax."),
    (None, "Ceasefires rarely last."),
    ("A CEASEFIRE?", "Maybe."),
]
QUERIES = ["ceasefire", "CeaseFire", "cease", "cease fire", "cease-fire", "fire", "U.S.", "u.s", "US",
           "Russia's", "russia", "Zürich", "café", "CAFE", "New York", "new yorkers", "york, new",
           "attacked Ukraine", "Ukraine attacked", "talks", "50%", "%", "--", "new_tax", "tax",
           "Ceasefire talks", "officials said.", "nothing here", "A CEASEFIRE?"]


def brute_force(query: str, title: str | None, text: str) -> bool:
    """The documented rule, written plainly: Q in any case, not starting/ending inside a word."""
    if not re.search(r"\w", query):
        return any(query.lower() in part.lower() for part in (title or "", text))
    head = r"(?<!\w)" if re.match(r"\w", query) else ""
    tail = r"(?!\w)" if re.match(r"\w", query[-1]) else ""
    rx = re.compile(head + re.escape(query) + tail, re.IGNORECASE)
    return any(rx.search(part) for part in (title or "", text))


def stories() -> list[tuple[str, str | None, str]]:
    return [(f"t{i:02d}", title, f"Russia attacked Kenya. {extra}")
            for i, (title, extra) in enumerate(STORIES)]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("text") / "s.duckdb"
    docs = [ReadDocument(Document(id=i, title=title, text=text, pub_date="2025-01-02"))
            for i, title, text in stories()]
    list(code_into_store(docs, db=db, coder=ScriptedCoder(), summary=StoreRunSummary()))
    return db


def found(store: dotterel.store.Store, query: str) -> list[str]:
    return sorted(set(store.events(text=query).doc_id))


@pytest.mark.parametrize("query", QUERIES)
def test_text_filter_equals_brute_force(store_path: Path, query: str) -> None:
    store = dotterel.open(store_path)
    want = sorted(i for i, title, text in stories() if brute_force(query, title, text))
    assert found(store, query) == want
    frame = store.aggregate(by="type", per=None, text=query)
    assert int(frame.events.sum() if len(frame) else 0) == len(want)  # one event per story


def test_the_rule_on_examples(store_path: Path) -> None:
    store = dotterel.open(store_path)
    assert found(store, "ceasefire") == ["t00", "t01", "t13"]  # any case, title too
    assert found(store, "cease") == ["t02", "t03"]  # a word of "cease-fire", not of "ceasefire"
    assert found(store, "cease-fire") == ["t02"]
    assert found(store, "New York") == ["t08"]  # not "New Yorkers", not "York, New"
    assert found(store, "Ukraine attacked") == ["t10"]  # in that order
    assert found(store, "attacked Ukraine") == []
    assert found(store, "u.s.") == ["t04", "t05"]  # ends with ".": "U.S.A." matches too
    assert found(store, "%") == ["t11"]  # no word: a plain substring search


def test_index_rows_are_the_distinct_words(store_path: Path) -> None:
    store = dotterel.open(store_path)
    for doc_id, title, text in stories():
        got = sorted(int(h) for h in store.sql(
            "SELECT word_hash FROM doc_words WHERE doc_id = ?", [doc_id]).word_hash)
        assert got == doc_word_hashes(title, text)
        assert got == sorted({word_hash(w.lower()) for w in re.findall(r"\w+", f"{title or ''} {text}")})
    for p in range(PARTS):  # every row is in the partition table of its hash
        table = f"doc_words_p{p:02d}"
        assert int(store.sql(f"SELECT count(*) AS n FROM {table} WHERE word_hash & {PARTS - 1} <> {p}").n[0]) == 0
    assert part_table(word_hash("ceasefire")) == f"doc_words_p{word_hash('ceasefire') % PARTS:02d}"
    assert words("Zürich's U.S. new_tax") == ["zürich", "s", "u", "s", "new_tax"]
    assert word_hash("peace") == word_hash("peace") != word_hash("Peace")


def test_a_replaced_document_loses_its_words(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"

    def store_text(text: str) -> None:
        doc = ReadDocument(Document(id="d1", text=text, pub_date="2025-01-02"))
        list(code_into_store([doc], db=db, coder=ScriptedCoder(), summary=StoreRunSummary()))

    store_text("Russia attacked Kenya. A zebra crossed.")
    store = dotterel.open(db, hold=0)
    assert found(store, "zebra") == ["d1"]
    store_text("Russia attacked Kenya. A giraffe crossed.")
    assert found(store, "zebra") == []
    assert found(store, "giraffe") == ["d1"]
    rows = store.sql("SELECT word_hash FROM doc_words WHERE doc_id = 'd1'")
    assert word_hash("zebra") not in set(rows.word_hash) and word_hash("giraffe") in set(rows.word_hash)
    assert len(rows) == len(set(rows.word_hash)) == len(doc_word_hashes(None, "Russia attacked Kenya. "
                                                                             "A giraffe crossed."))


def test_a_version_3_store_gets_its_word_index(tmp_path: Path) -> None:
    db = tmp_path / "v3.duckdb"
    con = connect(db, read_only=False)
    migrate(con, target=3)
    for doc_id, title, text in [("a", "Ceasefire Talks", "Old story."), ("b", None, "A cease-fire held.")]:
        con.execute("INSERT INTO documents (doc_id, text_hash, title, text) VALUES (?, 'h', ?, ?)",
                    [doc_id, title, text]).fetchall()
        con.execute(
            "INSERT INTO events (eid, doc_id, event_id, event_type, source_codes, target_codes, "
            "event_date, negated, hypothetical) VALUES (?, ?, 'E1', 'ACCUSE', ['USA'], [], "
            "DATE '2020-05-01', false, false)", [1 if doc_id == "a" else 2, doc_id]).fetchall()
    assert "doc_words" not in {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    con.close()
    store = dotterel.open(db)
    con = connect(db, read_only=True)
    try:
        assert schema_version(con) == SCHEMA_VERSION >= 4
        rows = con.execute("SELECT doc_id, word_hash FROM doc_words ORDER BY ALL").fetchall()
    finally:
        con.close()
    want = sorted([("a", h) for h in doc_word_hashes("Ceasefire Talks", "Old story.")]
                  + [("b", h) for h in doc_word_hashes(None, "A cease-fire held.")])
    assert rows == want
    assert found(store, "ceasefire talks") == ["a"]
    assert found(store, "cease-FIRE") == ["b"]
