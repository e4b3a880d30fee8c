from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dotterel.cli import app

from .conftest import EXAMPLE

runner = CliRunner()


def test_code_txt_jsonl_output(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["code", str(EXAMPLE), "--pub-date", "2025-01-03", "--output", str(out)])
    assert result.exit_code == 0, result.output
    (line,) = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["pub_date"] == "2025-01-03"
    assert record["title"].startswith("‘Kazakhstan calling")
    assert record["text"].startswith("Kazakh President")
    assert "1 documents" in result.stderr


def test_bad_lines_are_reported_and_run_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "1", "text": "Kenya and Uganda signed a deal."}\nnot json\n{"id": "2", "text": ""}\n', encoding="utf-8")
    result = runner.invoke(app, ["code", str(path), "--no-text"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["id"] for r in lines] == ["1", "2"]
    assert "text" not in lines[0]
    assert lines[1]["errors"][0]["code"] == "empty_text"
    assert f"{path}:2: skipped" in result.stderr
    assert "1 input lines skipped" in result.stderr and "1 with errors" in result.stderr


def test_json_and_table_formats(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "1", "text": "Kenya and Uganda signed a deal."}\n{"id": "2", "text": "Two."}\n', encoding="utf-8")
    result = runner.invoke(app, ["code", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)] == ["1", "2"]
    result = runner.invoke(app, ["code", str(path), "--format", "table"])
    assert result.exit_code == 0
    assert "== 1" in result.stdout and "actors (" in result.stdout


def test_usage_errors_exit_nonzero(tmp_path: Path) -> None:
    result = runner.invoke(app, ["code", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    result = runner.invoke(app, ["code", str(EXAMPLE), "--format", "xml"])
    assert result.exit_code != 0


def test_stdin(tmp_path: Path) -> None:
    result = runner.invoke(app, ["code", "-"], input='{"id": "s", "text": "Kenya thanked Uganda."}\n')
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "s"


def test_version() -> None:
    import dotterel

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"dotterel {dotterel.__version__}"


def test_recode_and_watch_honour_actors(tmp_path: Path) -> None:
    """The coder's options are declared once: recode and watch take --actors like code."""
    import pytest

    pytest.importorskip("duckdb")
    pytest.importorskip("feedparser")
    import dotterel

    actors = tmp_path / "mine.tsv"
    actors.write_text("name\tkind\tcode\tcountry\tsector\trole\taliases\n"
                      "Blue Heron Brigade\tgroup\tREB\t\tREB\t\tthe Brigade\n", encoding="utf-8")
    text = "The Blue Heron Brigade attacked Uganda on Monday, officials said."
    doc = tmp_path / "in.jsonl"
    doc.write_text(json.dumps({"id": "h", "text": text, "pub_date": "2025-03-03"}) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert runner.invoke(app, ["code", str(doc), "--db", str(db)]).exit_code == 0

    def brigade_named() -> bool:
        frame = dotterel.open(db, hold=0).sql("SELECT name, code FROM actors")
        return any(n == "Blue Heron Brigade" and c == "REB" for n, c in zip(frame.name, frame.code, strict=True))

    assert not brigade_named()
    result = runner.invoke(app, ["recode", "--db", str(db), "--actors", str(actors)])
    assert result.exit_code == 0, result.output
    assert brigade_named()
    feed = tmp_path / "f.rss"
    body = ("<p>" + text.replace("Uganda", "Kenya") + "</p>").replace("<", "&lt;").replace(">", "&gt;")
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://x.example/</link>'
                    f"<description>d</description><item><title>Raid</title><guid>raid-1</guid>"
                    f"<description>{body}</description></item></channel></rss>", encoding="utf-8")
    db2 = tmp_path / "w.duckdb"
    result = runner.invoke(app, ["watch", str(feed), "--db", str(db2), "--iterations", "1",
                                 "--actors", str(actors)])
    assert result.exit_code == 0, result.output
    frame = dotterel.open(db2, hold=0).sql("SELECT name, code FROM actors")
    assert "Blue Heron Brigade" in set(frame.name)
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"\xff\xfe\x00binary")
    for command in (["recode", "--db", str(db)], ["watch", str(feed), "--db", str(db2), "--iterations", "1"]):
        result = runner.invoke(app, [*command, "--actors", str(bad)])
        assert result.exit_code == 2


def test_a_new_output_format_is_one_function_and_one_registry_line(tmp_path: Path) -> None:
    from dotterel import writers

    @writers.writer("records", "ids")
    def write_ids(records, out, *, include_text=True):  # type: ignore[no-untyped-def]
        for record in records:
            out.write(record.id + "\n")

    try:
        path = tmp_path / "in.jsonl"
        path.write_text('{"id": "one", "text": "Kenya thanked Uganda."}\n{"id": "two", "text": "Hi."}\n',
                        encoding="utf-8")
        result = runner.invoke(app, ["code", str(path), "--format", "ids"])
        assert result.exit_code == 0, result.output
        assert result.stdout == "one\ntwo\n"
    finally:
        del writers._REGISTRY[("records", "ids")]
    assert writers.formats("records") == ("jsonl", "json", "table")
    assert writers.formats("table") == ("table", "csv", "json", "parquet")
    assert writers.formats("events") == ("plover", "polecat", "gdelt", "csv", "parquet")
