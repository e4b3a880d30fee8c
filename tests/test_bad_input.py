"""Bad input gets a clear answer and loses nothing: the run goes on and the summary counts it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dotterel import Coder
from dotterel.cli import app

runner = CliRunner()
GOOD = "Kenya and Uganda signed a trade agreement in Nairobi on Monday, officials said."


def test_mixed_directory_codes_everything_it_can(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text("A headline\n" + GOOD, encoding="utf-8")
    (tmp_path / "b_latin1.txt").write_bytes("Caf\xe9 story\nLe caf\xe9 est ferm\xe9.".encode("latin-1"))
    (tmp_path / "c_binary.txt").write_bytes(b"\x00\x01\x02PNG\x00\x00" * 20)
    (tmp_path / "d_empty.txt").write_text("   \n\n  ", encoding="utf-8")
    (tmp_path / "e_french.txt").write_text(
        "Le président a déclaré vendredi que le pays est toujours prêt à contribuer à la résolution "
        "des questions internationales dans les limites de ses capacités et de son potentiel.",
        encoding="utf-8",
    )
    with gzip.open(tmp_path / "f.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "g1", "text": GOOD}) + "\n")
        f.write("{broken\n")
        f.write(json.dumps({"id": "g2", "text": "x" * 50}) + "\n")
    result = runner.invoke(app, ["code", str(tmp_path), "--no-text", "--max-chars", "40"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    codes = [[e["code"] for e in r["errors"]] for r in records]
    # a_good is longer than 40 characters too: the limit applies to every document.
    assert codes == [["too_long"], ["not_utf8"], ["binary"], ["empty_text"], ["too_long"], ["too_long"], ["too_long"]]
    assert "f.jsonl.gz:2: skipped: not valid JSON" in result.stderr
    assert "7 documents" in result.stderr and "7 with errors" in result.stderr and "1 input lines skipped" in result.stderr


def test_error_records_keep_the_document(coder: Coder) -> None:
    (record,) = list(coder.code_many([{"id": "fr", "text": "Bonjour à tous, ceci est un texte écrit en français pour le test de langue.", "pub_date": "2025-01-01"}]))
    data = record.to_dict()
    assert data["id"] == "fr" and data["pub_date"] == "2025-01-01"
    assert data["text"].startswith("Bonjour")
    assert data["errors"][0]["code"] == "not_english"
    assert data["events"] == [] and data["actors"] == []


def test_not_english_message_says_why(coder: Coder) -> None:
    record = coder.code("Президент заявил в пятницу, что страна всегда готова внести вклад в решение международных вопросов и проблем.")
    assert record.errors and record.errors[0].code == "not_english"
    assert "English" in record.errors[0].message


def _raising_places(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the places extractor raise on any story mentioning 'Boomtown'."""
    import dotterel.places as places

    real = places.extract_places

    def extract(story, gazetteer, actors):  # type: ignore[no-untyped-def]
        if "Boomtown" in story.document.text:
            raise RuntimeError("injected failure")
        return real(story, gazetteer, actors)

    monkeypatch.setattr(places, "extract_places", extract)


BOOM = [{"id": "a", "text": "Kenya and Uganda signed a trade deal on Monday."},
        {"id": "b", "text": "Kenya accused Uganda of shelling Boomtown on Monday."},
        {"id": "c", "text": "France thanked Mali for its help, officials said."}]


def test_a_raising_extractor_fails_one_document_not_the_run(
        coder: Coder, monkeypatch: pytest.MonkeyPatch) -> None:
    _raising_places(monkeypatch)
    records = list(coder.code_many(BOOM))
    assert [r.id for r in records] == ["a", "b", "c"]
    assert not records[0].errors and not records[2].errors
    assert records[0].events and records[2].events
    (error,) = records[1].errors
    assert error.code == "internal" and error.stage == "places"
    assert "injected failure" in error.message
    assert records[1].to_dict()["errors"] == [
        {"code": "internal", "message": error.message, "stage": "places"}]
    assert not records[1].events and not records[1].actors


def test_fail_fast_raises_the_extractor_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _raising_places(monkeypatch)
    fast = Coder(fail_fast=True)
    with pytest.raises(RuntimeError, match="injected failure"):
        list(fast.code_many(BOOM))


def test_a_failing_parse_batch_falls_back_to_one_by_one(
        coder: Coder, monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = coder.nlp
    real_pipe = type(nlp).pipe
    real_call = type(nlp).__call__

    def pipe(self, docs, **kw):  # type: ignore[no-untyped-def]
        docs = list(docs)
        if any("Boomtown" in d.text for d in docs):
            raise ValueError("batch broke")
        return real_pipe(self, docs, **kw)

    def call(self, doc, **kw):  # type: ignore[no-untyped-def]
        if "Boomtown" in doc.text:
            raise ValueError("parser broke")
        return real_call(self, doc, **kw)

    monkeypatch.setattr(type(nlp), "pipe", pipe)
    monkeypatch.setattr(type(nlp), "__call__", call)
    records = list(coder.code_many(BOOM))
    assert [bool(r.errors) for r in records] == [False, True, False]
    assert records[1].errors[0].stage == "parse" and "parser broke" in records[1].errors[0].message
    assert records[2].events


def test_cli_counts_internal_errors_and_stores_them_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from dotterel.cli import app

    pytest.importorskip("duckdb")
    _raising_places(monkeypatch)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in BOOM), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["code", str(src), "--no-text"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["id"] for r in lines] == ["a", "b", "c"]
    assert lines[1]["errors"][0]["code"] == "internal"
    assert "1 with errors (1 internal" in result.stderr
    db = tmp_path / "s.duckdb"
    result = runner.invoke(app, ["code", str(src), "--db", str(db)])
    assert result.exit_code == 0, result.output
    import dotterel

    docs = dotterel.open(db, hold=0).documents()
    assert sorted(docs["doc_id"]) == ["a", "b", "c"]
    assert "internal" in docs.set_index("doc_id").loc["b", "errors"]
    result = runner.invoke(app, ["code", str(src), "--db", str(db)])  # a rerun skips it
    assert "3 unchanged documents skipped" in result.stderr
    result = runner.invoke(app, ["code", str(src), "--fail-fast"])
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
