"""The reliability probe (../shared/notes/reliability-probe.md) replayed: every line a test.

Each test names the probe line it replays (B1, B2, ..., W1, Q1, E1, S1, ...). The
documents are written here, not copied from the probe's data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dotterel.cli import app

runner = CliRunner()
G = "Kenya and Uganda signed a trade agreement in Nairobi on Monday, officials said."


def _jsonl(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# B6: output file == input file
def test_b6_output_that_is_an_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    same = _jsonl(tmp_path / "same.jsonl", {"id": "a", "text": G}, {"id": "b", "text": G})
    before = same.read_bytes()
    result = runner.invoke(app, ["code", str(same), "-o", str(same)])
    assert result.exit_code == 2
    assert "also an input" in result.stderr
    assert same.read_bytes() == before
    # the same through another spelling of the path and through the input's directory
    result = runner.invoke(app, ["code", str(tmp_path), "-o", str(tmp_path / "." / "same.jsonl")])
    assert result.exit_code == 2 and same.read_bytes() == before
    result = runner.invoke(app, ["code", str(tmp_path), "-o", str(same)])
    assert result.exit_code == 2 and "file of the input directory" in result.stderr
    assert same.read_bytes() == before


# B7: --output into a missing directory or onto a directory
def test_b7_output_into_missing_directory_or_onto_a_directory(tmp_path: Path) -> None:
    doc = _jsonl(tmp_path / "in.jsonl", {"id": "a", "text": G})
    result = runner.invoke(app, ["code", str(doc), "-o", str(tmp_path / "no" / "dir" / "o.jsonl")])
    assert result.exit_code == 2 and "does not exist" in result.stderr
    out_dir = tmp_path / "outdir"
    out_dir.mkdir()
    result = runner.invoke(app, ["code", str(doc), "-o", str(out_dir)])
    assert result.exit_code == 2 and "is a directory" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def _code(*args: str, input: str | None = None) -> tuple[int, list[dict[str, object]], str]:
    result = runner.invoke(app, ["code", *args], input=input)
    records = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, records, result.stderr


# B1: a deeply nested JSON value
def test_b1_deeply_nested_json_skips_that_line_only(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    deep = '{"text":"x","e":' + "[" * 100_000 + "]" * 100_000 + "}"
    path.write_text(json.dumps({"id": "a", "text": G}) + "\n" + deep + "\n"
                    + json.dumps({"id": "b", "text": G}) + "\n", encoding="utf-8")
    rc, records, err = _code(str(path), "--no-text")
    assert rc == 0 and [r["id"] for r in records] == ["a", "b"]
    assert f"{path}:2: skipped: JSON nested too deeply" in err


# B2: an integer over 4,300 digits
def test_b2_huge_integer_field_does_not_stop_the_document(tmp_path: Path) -> None:
    path = tmp_path / "bigint.jsonl"
    path.write_text('{"id":"n","text":"' + G + '","n":' + "9" * 5000 + "}\n", encoding="utf-8")
    rc, records, _ = _code(str(path), "--no-text")
    assert rc == 0 and [r["id"] for r in records] == ["n"] and not records[0]["errors"]
    path.write_text('{"id":' + "9" * 5000 + ',"text":"' + G + '"}\n', encoding="utf-8")
    rc, records, _ = _code(str(path), "--no-text")
    assert rc == 0 and records[0]["id"] == "9" * 5000


# B3: a lone surrogate escape in text, id or title
def test_b3_lone_surrogates_in_text_id_title(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"id":"a","text":"' + G + '"}\n'
                    '{"id":"s","text":"Kenya and Uganda signed a deal \\ud800 in Nairobi."}\n'
                    '{"id":"s\\udc80","text":"' + G + '"}\n'
                    '{"id":"t","title":"Deal \\udfff","text":"' + G + '"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    rc, _, err = _code(str(path), "-o", str(out))
    assert rc == 0, err
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", "s", "s\ufffd", "t"]
    assert not records[0]["errors"] and records[0]["events"]
    for r in records[1:]:
        assert r["errors"][0]["code"] == "not_utf8" and "surrogate" in r["errors"][0]["message"]
    assert records[1]["text"] == "Kenya and Uganda signed a deal \ufffd in Nairobi."
    assert records[3]["title"] == "Deal \ufffd"
    assert "4 documents" in err and "3 with errors" in err


def test_b3_lone_surrogate_id_into_a_store(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    import dotterel

    path = tmp_path / "sid.jsonl"
    path.write_text('{"id":"s\\udc80","text":"' + G + '"}\n{"id":"b","text":"' + G + '"}\n',
                    encoding="utf-8")
    db = tmp_path / "s.duckdb"
    rc, _, err = _code(str(path), "--db", str(db))
    assert rc == 0, err
    store = dotterel.open(db, hold=0)
    assert sorted(store.documents()["doc_id"]) == ["b", "s\ufffd"]
    assert list(store.runs()["status"]) == ["done"]


# B4: extreme pub_date with a relative date; a year before year 1
@pytest.mark.parametrize(("pub_date", "when"), [
    ("0001-01-01", "yesterday"), ("0001-01-01", "last week"), ("0001-01-01", "last month"),
    ("0001-01-01", "last year"), ("9999-12-31", "tomorrow"), ("9999-12-31", "next week"),
    ("9999-12-31", "next month"), ("9999-12-31", "next year"), ("2024-06-01", "2025 years ago"),
])
def test_b4_dates_at_the_ends_of_the_calendar(pub_date: str, when: str) -> None:
    line = json.dumps({"id": "m", "pub_date": pub_date,
                       "text": f"Russia said it held talks with Ukraine {when} in Moscow."})
    rc, (record,), err = _code("-", "--no-text", input=line + "\n")
    assert rc == 0 and not record["errors"], err
    for d in record["dates"]:
        assert d["date"] is None or 1 <= int(str(d["date"])[:4]) <= 9999
    for e in record["events"]:
        assert e["date"] is None or not str(e["date"]).startswith("-")
    (expr,) = [d for d in record["dates"] if d["text"] == when]
    assert expr["date"] is None


# B5: --max-chars above spaCy's 1,000,000
def test_b5_max_chars_above_spacys_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Kenya signed a deal with Uganda in Nairobi on Monday. " * 20, encoding="utf-8")
    result = runner.invoke(app, ["code", str(big), "--max-chars", "2000000"])
    assert result.exit_code == 2 and "1,000,000" in result.stderr
    assert not result.stdout
    rc, (record,), _ = _code(str(big), "--max-chars", "1000000", "--no-text")
    assert rc == 0 and not record["errors"]


# B9: a UTF-8 byte order mark at the start of a JSONL file
def test_b9_bom_keeps_the_first_document(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "first", "text": G}).encode() + b"\n"
                     + json.dumps({"id": "second", "text": G}).encode() + b"\n")
    rc, records, err = _code(str(path), "--no-text")
    assert rc == 0 and [r["id"] for r in records] == ["first", "second"]
    assert "0 input lines skipped" in err
