"""Every export format written from a real store and read back by a reader of that format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import dotterel
from dotterel import Document, EventLocation, Mention, Place
from dotterel.export import (
    GDELT_COLUMNS,
    POLECAT_COLUMNS,
    cameo_quad,
    export,
    fips_table,
    goldstein,
    goldstein_table,
    plover_cameo_table,
)
from dotterel.read import ReadDocument
from dotterel.store import StoreRunSummary, code_into_store
from dotterel.store.rows import read_data_tsv

from .store_fixtures import ScriptedCoder, scripted_record

pytest.importorskip("duckdb", reason="exports need the 'store' extra")

TEXT = "Russia attacked Ukraine near Nairobi. China visited Kenya. France accused Mali, officials said."


class Replay(ScriptedCoder):
    records: dict[str, object] = {}  # noqa: RUF012

    def code_many(self, documents, *, batch_size=None):  # type: ignore[no-untyped-def]
        for item in documents:
            yield self.records[item.document.doc_id]


def _stored(records: dict[str, object], db: Path) -> Path:
    """A store holding these scripted records (replayed through the real ingest path)."""
    coder = Replay()
    coder.records = records
    items = [ReadDocument(Document(id=k, text=TEXT)) for k in records]
    list(code_into_store(items, db=db, coder=coder, summary=StoreRunSummary()))
    return db


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("export") / "s.duckdb"
    records = {}
    for i in range(5):
        rec = scripted_record(f"x{i}", TEXT, title=f"Headline {i}", pub_date=f"2025-02-0{i + 1}",
                              url=f"https://news.example/{i}", source="Example News")
        start = TEXT.index("Nairobi")
        rec.places = [Place("Nairobi", "KEN", "Nairobi Area", -1.28, 36.82, 184745, "city",
                            [Mention(start, start + 7, "Nairobi")])]
        rec.events[0].location = EventLocation("Nairobi", "KEN", 184745, -1.28, 36.82, start, start + 7)
        rec.events[1].date, rec.events[1].date_precision = "2025-01", "month"
        rec.events[2].mode = None
        records[rec.id] = rec
    return _stored(records, db)


def test_plover_jsonl(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "e.jsonl"
    assert export(store_path, "plover", out) == 15
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 15
    first = records[0]
    for key in ("id", "date", "actor", "recipient", "event", "mode", "context", "quad_code",
                "event_scale", "event_text", "cite_info", "coder", "coded_date"):
        assert key in first
    assault = next(r for r in records if r["event"] == ["ASSAULT"])
    assert assault["actor"][0]["code"] == "RUS" and assault["recipient"][0]["entity_text"] == "Ukraine"
    assert assault["quad_code"] == 4 and assault["event_scale"] == -9
    assert assault["event_loc"]["geonameid"] == 184745
    assert assault["cite_info"]["url"].startswith("https://news.example/")
    consult = next(r for r in records if r["event"] == ["CONSULT"])
    assert consult["date"] == "2025-01-01" and consult["enddate"] == "2025-01-31"
    assert consult["mode"] == ["visit"]


def test_polecat_tsv(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "e.tsv"
    export(store_path, "polecat", out, type="ASSAULT,ACCUSE")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8")), delimiter="\t"))
    assert rows[0] == POLECAT_COLUMNS
    body = rows[1:]
    assert len(body) == 10
    assert {len(r) for r in body} == {len(POLECAT_COLUMNS)}
    col = {name: i for i, name in enumerate(POLECAT_COLUMNS)}
    assert {r[col["Quad Code"]] for r in body} == {"MATERIAL CONFLICT", "VERBAL CONFLICT"}
    for r in body:
        float(r[col["Event Intensity"]])
        assert r[col["Actor COW"]] == "None"
    assault = next(r for r in body if r[col["Event Type"]] == "assault")
    assert assault[col["Actor Country"]] == "RUS" and assault[col["City"]] == "Nairobi"
    assert assault[col["Headline"]].startswith("Headline")


def test_gdelt_tsv_has_61_typed_columns(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "e.gdelt.tsv"
    export(store_path, "gdelt", out)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8")), delimiter="\t"))
    assert len(rows) == 15 and {len(r) for r in rows} == {61} and len(GDELT_COLUMNS) == 61
    col = {name: i for i, name in enumerate(GDELT_COLUMNS)}
    for r in rows:
        int(r[col["GLOBALEVENTID"]])
        assert len(r[col["SQLDATE"]]) == 8 and r[col["SQLDATE"]].isdigit()
        assert r[col["QuadClass"]] in {"1", "2", "3", "4"}
        assert -10 <= float(r[col["GoldsteinScale"]]) <= 10
        assert r[col["EventRootCode"]] == r[col["EventCode"]][:2]
        assert r[col["SOURCEURL"]].startswith("https://news.example/")
    assault = next(r for r in rows if r[col["EventRootCode"]] == "19")
    assert assault[col["Actor1Code"]] == "RUSGOV" and assault[col["Actor2CountryCode"]] == "UKR"
    assert assault[col["ActionGeo_CountryCode"]] == "KE" and assault[col["ActionGeo_Type"]] == "4"
    assert float(assault[col["GoldsteinScale"]]) == -10.0
    accuse = next(r for r in rows if r[col["EventCode"]] == "112")
    assert accuse[col["QuadClass"]] == "3" and float(accuse[col["GoldsteinScale"]]) == -2.0
    # the same file through DuckDB's own TSV reader
    import duckdb

    con = duckdb.connect()
    rel = con.sql(f"SELECT * FROM read_csv('{out}', delim='\\t', header=false, all_varchar=true)")
    assert len(rel.columns) == 61 and len(rel.fetchall()) == 15


def test_csv_and_parquet(store_path: Path, tmp_path: Path) -> None:
    import pandas as pd
    import pyarrow.parquet as pq

    buf = io.StringIO()
    export(store_path, "csv", buf, source="RUS")
    frame = pd.read_csv(io.StringIO(buf.getvalue()))
    assert len(frame) == 5 and set(frame.target) == {"UKR"}
    out = tmp_path / "e.parquet"
    assert export(store_path, "parquet", out) == 15
    table = pq.read_table(out)
    assert table.num_rows == 15 and "event_type" in table.column_names
    import duckdb

    assert duckdb.connect().sql(f"SELECT count(*) FROM '{out}'").fetchall() == [(15,)]


def test_cli_export_and_query(store_path: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dotterel.cli import app

    runner = CliRunner()
    out = tmp_path / "g.tsv"
    result = runner.invoke(app, ["export", "--db", str(store_path), "--format", "gdelt", "--output", str(out), "--type", "CONSULT"])
    assert result.exit_code == 0, result.output
    assert "5 events exported" in result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5
    result = runner.invoke(app, ["query", "--db", str(store_path), "--actor", "KEN", "--format", "json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(lines) == 5 and lines[0]["event_date"] == "2025-01-01"
    result = runner.invoke(app, ["aggregate", "--db", str(store_path), "--by", "quad", "--per", "year", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("period,quad,events")
    result = runner.invoke(app, ["query", "--db", str(store_path), "--format", "parquet"])
    assert result.exit_code != 0
    result = runner.invoke(app, ["export", "--db", str(store_path), "--format", "xml"])
    assert result.exit_code == 2 and "choose one of" in result.stderr
    assert dotterel.open(store_path).counts()["events"] == 15


def test_goldstein_table_parses_and_covers_every_cameo_root() -> None:
    table = goldstein_table()
    assert len(table) > 280
    assert {code[:2] for code in table} == {f"{i:02d}" for i in range(1, 21)}
    assert all(-10 <= v <= 10 for v in table.values())
    assert table["042"] == 1.9 and table["190"] == -10.0 and goldstein("0874") == 10.0
    assert goldstein("1999") == -10.0  # falls back to its base/root code


def test_plover_cameo_covers_every_type_and_maps_to_known_codes() -> None:
    table = plover_cameo_table()
    types = {row[0] for row in read_data_tsv("events/types.tsv")}
    assert types <= {t for t, m in table if m == ""}
    for (etype, _mode), code in table.items():
        assert goldstein(code) is not None, (etype, code)
        assert cameo_quad(code) in (1, 2, 3, 4)


def test_fips_table() -> None:
    fips = fips_table()
    assert fips["USA"] == "US" and fips["GBR"] == "UK" and fips["DEU"] == "GM" and fips["KEN"] == "KE"
    assert len(set(fips.values())) == len(fips) > 190


@pytest.fixture(scope="module")
def quoted_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose ids, URLs, titles and names hold double quotes, tabs and line breaks."""
    db = tmp_path_factory.mktemp("quoted") / "q.duckdb"
    records = {}
    for i in range(3):
        doc_id = f'"q{i}" \'x\''
        rec = scripted_record(doc_id, TEXT, title=f'The "deal"\t{i}\nsecond line',
                              pub_date="2025-02-01", url=f'https://news.example/"{i}"',
                              source='The "Example" News')
        rec.actors[0].name = 'Russia "the Federation"'
        records[rec.id] = rec
    return _stored(records, db)


def test_polecat_with_double_quotes_reads_back_exactly(quoted_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.tsv"
    n = export(quoted_store, "polecat", out)
    assert n == 9
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline=""), delimiter="\t"))
    assert rows[0] == POLECAT_COLUMNS and len(rows) == 10
    col = {name: i for i, name in enumerate(POLECAT_COLUMNS)}
    assert {len(r) for r in rows} == {len(POLECAT_COLUMNS)}
    assert {r[col["Story ID"]] for r in rows[1:]} == {f'"q{i}" \'x\'' for i in range(3)}
    assert rows[1][col["Headline"]].startswith('The "deal" ')  # tab and line break became spaces
    assert any(r[col["Actor Name"]] == 'Russia "the Federation"' for r in rows[1:])
    import pandas as pd

    frame = pd.read_csv(out, sep="\t")
    assert len(frame) == 9 and frame["Story ID"].str.startswith('"q').all()


def test_gdelt_with_double_quotes_splits_into_61_columns(quoted_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.tsv"
    assert export(quoted_store, "gdelt", out) == 9
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 9
    col = {name: i for i, name in enumerate(GDELT_COLUMNS)}
    for line in lines:
        fields = line.split("\t")
        assert len(fields) == 61
        assert fields[col["SOURCEURL"]].startswith('https://news.example/"')
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert {len(r) for r in rows} == {61}


def test_failed_export_leaves_the_old_file_and_no_partial_one(
        quoted_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dotterel.export as ex

    out = tmp_path / "p.tsv"
    out.write_text("old content\n", encoding="utf-8")
    calls = {"n": 0}
    real = ex.polecat_row

    def flaky(row: dict[str, object]) -> list[object]:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk went away")
        return real(row)

    monkeypatch.setattr(ex, "polecat_row", flaky)
    with pytest.raises(RuntimeError):
        export(quoted_store, "polecat", out)
    assert out.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.tsv"]


def test_export_into_a_missing_directory_is_a_usage_error(quoted_store: Path, tmp_path: Path) -> None:
    with pytest.raises(dotterel.UsageError, match="does not exist"):
        export(quoted_store, "plover", tmp_path / "no" / "such" / "e.jsonl")
    with pytest.raises(dotterel.UsageError, match="is a directory"):
        export(quoted_store, "plover", tmp_path)
