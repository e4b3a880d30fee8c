"""`dotterel code --db` and `dotterel recode` through the CLI, with the real coder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import dotterel
from dotterel.cli import app

pytest.importorskip("duckdb", reason="the store needs the 'store' extra")

runner = CliRunner()


def test_code_db_then_rerun_then_recode(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "1", "text": "Kenya and Uganda signed a trade deal in Nairobi on Monday.", "pub_date": "2025-02-03"}\n'
        '{"id": "2", "text": "Police arrested dozens of protesters in Lagos, officials said."}\n'
        "not json\n", encoding="utf-8")
    db = tmp_path / "c.duckdb"
    out = tmp_path / "new.jsonl"
    result = runner.invoke(app, ["code", str(src), "--db", str(db), "--output", str(out), "--pub-date", "2025-02-04"])
    assert result.exit_code == 0, result.output
    assert "2 documents" in result.stderr and "1 input lines skipped" in result.stderr
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == ["1", "2"]
    result = runner.invoke(app, ["code", str(src), "--db", str(db), "--pub-date", "2025-02-04"])
    assert result.exit_code == 0, result.output
    assert "0 documents" in result.stderr and "2 unchanged documents skipped" in result.stderr
    assert result.stdout == ""
    store = dotterel.open(db)
    docs = store.documents()
    assert list(docs.doc_id) == ["1", "2"]
    assert str(docs.pub_date[1])[:10] == "2025-02-04"
    result = runner.invoke(app, ["recode", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "2 documents" in result.stderr and "2 replaced" in result.stderr
    runs = store.runs()
    assert list(runs.command) == ["code", "code", "recode"] and set(runs.status) == {"done"}


def test_query_on_a_missing_store_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "no store at" in result.stderr
