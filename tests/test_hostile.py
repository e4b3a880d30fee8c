"""The reliability probe (../shared/notes/reliability-probe.md) replayed: every line a test.

Each test names the probe line it replays (B1, B2, ..., W1, Q1, E1, S1, ...). The
documents are written here, not copied from the probe's data.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dotterel import Coder
from dotterel.cli import app
from dotterel.feeds import Fetcher, FetchError, read_sources
from dotterel.read import ReadDocument, Skipped

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


# ---------------------------------------------------------------------------
# W1-W3: a hostile web server, on 127.0.0.1 only


class _Hostile(BaseHTTPRequestHandler):
    secret_port = 0

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        if "Transfer_Encoding" not in headers:
            headers.setdefault("Content_Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        path = self.path
        if path == "/loop":
            self._send(302, Location="/loop2")
        elif path == "/loop2":
            self._send(302, Location=f"http://127.0.0.1:{port}/loop")
        elif path == "/many":
            self._send(302, Location=f"/many{len(path)}")
        elif path.startswith("/many"):
            self._send(302, Location=path + "x")
        elif path == "/to-other":
            self._send(302, Location=f"http://127.0.0.2:{port}/secret")
        elif path == "/to-localhost":
            self._send(302, Location=f"http://localhost:{port}/secret")
        elif path == "/to-metadata":
            self._send(302, Location="http://169.254.169.254/latest/meta-data/")
        elif path == "/to-file":
            self._send(302, Location="file:///etc/passwd")
        elif path == "/to-malformed":
            self._send(302, Location="http://[::1")
        elif path == "/secret":
            self._send(200, _page("INTERNAL SECRET PAGE", "The secret council met in private."))
        elif path == "/badgzip":
            self._send(200, b"\x1f\x8b\x08\x00this is not gzip at all" * 50, Content_Encoding="gzip")
        elif path == "/gzipbomb":
            self._send(200, gzip.compress(b"\0" * 30_000_000, 9), Content_Encoding="gzip")
        elif path == "/big":
            self._send(200, b"x" * 3_000_000)
        elif path == "/big-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no length: read until the connection closes
            with contextlib.suppress(OSError):
                for _ in range(300):
                    self.wfile.write(b"y" * 10_000)
            self.close_connection = True
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            with contextlib.suppress(OSError):
                for _ in range(1000):  # 1 byte every 0.2 s: each read is quick, the whole never ends
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
        elif path.startswith("/story"):
            self._send(200, _page("Talks", G))
        elif path == "/feed-bad-link":
            items = [("http://[::1", "Broken"), (f"http://127.0.0.1:{port}/story1", "Good")]
            self._send(200, _rss(items), Content_Type="application/rss+xml")
        elif path == "/feed10k":
            items = [(f"http://127.0.0.1:{port}/story{i}", f"Item {i}") for i in range(10_000)]
            self._send(200, _rss(items), Content_Type="application/rss+xml")
        else:
            self._send(404, b"not found")


def _page(title: str, sentence: str) -> bytes:
    filler = " ".join(f"Officials gave more details in paragraph {i}." for i in range(6))
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{sentence} {filler}</p><p>{filler}</p></article></body></html>").encode()


def _rss(items: list[tuple[str, str]]) -> bytes:
    entries = "".join(f"<item><title>{t}</title><link>{link}</link></item>" for link, t in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
            f"<link>http://example.org/</link><description>d</description>{entries}</channel></rss>").encode()


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    pytest.importorskip("httpx")
    pytest.importorskip("feedparser")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _pretend_public(host: str, port: int) -> list[str]:
    """Resolve as usual, except that the test server's own 127.0.0.1 counts as a public address."""
    if host == "127.0.0.1":
        return ["93.184.216.34"]
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port)]


def _fetcher(**kw: object) -> Fetcher:
    options: dict[str, object] = {"per_host_interval": 0.0, "retries": 0, "timeout": 5.0,
                                  "allow_private": True}
    options.update(kw)
    return Fetcher(**options)  # type: ignore[arg-type]


def test_w1_redirect_loop_and_too_many_redirects_are_fetch_errors(hostile: str) -> None:
    with pytest.raises(FetchError, match="redirect loop"):
        _fetcher().get(hostile + "/loop")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        _fetcher().get(hostile + "/many")


def test_w1_bad_gzip_body_is_a_fetch_error(hostile: str) -> None:
    with pytest.raises(FetchError, match="gzip body is corrupt"):
        _fetcher().get(hostile + "/badgzip")


@pytest.mark.parametrize("url", ["http://[::1", "http://", "http://exa mple.org:99999/", "ftp://127.0.0.1/x",
                                 "file:///etc/passwd", "javascript:alert(1)"])
def test_w1_malformed_or_foreign_urls_are_fetch_errors(url: str) -> None:
    with pytest.raises(FetchError):
        _fetcher().get(url)


def test_w1_cli_reports_every_fetch_failure_and_goes_on(hostile: str, tmp_path: Path) -> None:
    doc = _jsonl(tmp_path / "in.jsonl", {"id": "a", "text": G})
    result = runner.invoke(app, ["code", hostile + "/loop", hostile + "/badgzip", "http://[::1",
                                 str(doc), "--allow-private", "--no-text"])
    assert result.exit_code == 0, result.output
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["a"]
    assert "redirect loop" in result.stderr and "corrupt" in result.stderr
    assert "malformed URL" in result.stderr and "3 input lines skipped" in result.stderr


def test_w1_a_malformed_feed_item_link_loses_only_that_item(hostile: str) -> None:
    items = list(read_sources([hostile + "/feed-bad-link"], fetcher=_fetcher()))
    assert isinstance(items[0], Skipped) and "malformed URL" in items[0].message
    assert isinstance(items[1], ReadDocument) and items[1].document.title == "Talks"


def test_w1_watch_survives_a_broken_feed(hostile: str, tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    result = runner.invoke(app, ["watch", hostile + "/loop", hostile + "/feed-bad-link", "--every", "1s",
                                 "--iterations", "2", "--db", str(tmp_path / "w.duckdb"),
                                 "--allow-private"])
    assert result.exit_code == 0, result.output
    assert "round 2:" in result.stderr and "redirect loop" in result.stderr
    assert "round 1: 2 new items, 1 stored, 1 feeds failed" in result.stderr


def test_w2_private_targets_are_refused_after_every_redirect(hostile: str) -> None:
    guarded = _fetcher(allow_private=False, resolve=_pretend_public)
    assert b"Talks" in guarded.get(hostile + "/story").body  # a "public" page is fetched
    for path, why in (("/to-other", "127.0.0.2"), ("/to-localhost", "private, loopback or link-local"),
                      ("/to-metadata", "169.254.169.254"), ("/to-file", "only http and https"),
                      ("/to-malformed", "malformed")):
        with pytest.raises(FetchError, match=why):
            guarded.get(hostile + path)


def test_w2_loopback_is_refused_by_default_and_allowed_on_request(hostile: str) -> None:
    with pytest.raises(FetchError, match="--allow-private"):
        Fetcher(per_host_interval=0.0, retries=0).get(hostile + "/story")
    result = runner.invoke(app, ["code", hostile + "/to-localhost", "--no-text"])
    assert result.exit_code == 0 and "refused" in result.stderr and not result.stdout
    assert "SECRET" not in result.stdout


def test_w3_a_trickling_server_hits_the_total_deadline(hostile: str) -> None:
    with pytest.raises(FetchError, match="within 1 s"):
        _fetcher(deadline=1.0, retries=2, sleep=lambda s: None).get(hostile + "/slow")


def test_w3_gzip_bomb_is_refused_while_decompressing(hostile: str) -> None:
    with pytest.raises(FetchError, match="larger than 1000000 bytes decompressed"):
        _fetcher(max_bytes=1_000_000).get(hostile + "/gzipbomb")


def test_w3_big_bodies_are_refused_by_length_and_while_streaming(hostile: str) -> None:
    with pytest.raises(FetchError, match="announced"):
        _fetcher(max_bytes=1_000_000).get(hostile + "/big")
    with pytest.raises(FetchError, match="larger than 1000000 bytes"):
        _fetcher(max_bytes=1_000_000).get(hostile + "/big-chunked")
    assert len(_fetcher(max_bytes=5_000_000).get(hostile + "/big").body) == 3_000_000


def test_w3_a_huge_feed_is_capped(hostile: str) -> None:
    from dotterel.feeds import read_feed

    fetcher = _fetcher()
    body = fetcher.get(hostile + "/feed10k").body
    items = list(read_feed(body, fetcher, max_items=3, name="feed10k"))
    assert [type(i).__name__ for i in items] == ["ReadDocument"] * 3 + ["Skipped"]
    assert "lists 10000 items: only the first 3" in str(items[-1])


# ---------------------------------------------------------------------------
# S1-S4: store errors are catalogued messages, never tracebacks

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("duckdb")
    from dotterel import Document
    from dotterel.store import StoreRunSummary, code_into_store

    from .store_fixtures import ScriptedCoder

    db = tmp_path_factory.mktemp("small") / "v.duckdb"
    docs = [ReadDocument(Document(id=f"d{i}", text=f"Russia attacked Ukraine. China visited Kenya {i}."))
            for i in range(40)]
    list(code_into_store(docs, db=db, coder=ScriptedCoder(), summary=StoreRunSummary()))
    return db


def _copy(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes())
    return dst


def _store_commands(db: Path, tmp_path: Path) -> list[list[str]]:
    return [["query", "--db", str(db), "--limit", "3"], ["aggregate", "--db", str(db)],
            ["export", "--db", str(db), "--format", "plover", "-o", str(tmp_path / "e.jsonl")],
            ["recode", "--db", str(db)]]


def _refused(args: list[str], *words: str) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (args, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.stderr.startswith("error: "), result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert "Traceback" not in result.stderr and "another dotterel process" not in result.stderr
    return result.stderr


def test_s1_a_store_from_a_newer_dotterel_is_refused_by_readers_and_writers(
        small_store: Path, tmp_path: Path) -> None:
    import duckdb

    for rename in (False, True):
        db = _copy(small_store, tmp_path / f"n{rename}.duckdb")
        con = duckdb.connect(str(db))
        con.execute("INSERT INTO schema_version VALUES (99, now())")
        if rename:
            con.execute("ALTER TABLE events RENAME COLUMN event_type TO kind")
        con.close()
        for args in _store_commands(db, tmp_path):
            _refused(args, "newer dotterel", "upgrade")
        doc = _jsonl(tmp_path / "in.jsonl", {"id": "x", "text": G})
        _refused(["code", str(doc), "--db", str(db)], "newer dotterel")
    assert not (tmp_path / "e.jsonl").exists()


def test_s2_a_truncated_or_corrupt_store_is_a_message(small_store: Path, tmp_path: Path) -> None:
    truncated = _copy(small_store, tmp_path / "t.duckdb")
    with truncated.open("r+b") as f:
        f.truncate(truncated.stat().st_size // 2)
    corrupt = _copy(small_store, tmp_path / "c.duckdb")
    size = corrupt.stat().st_size
    with corrupt.open("r+b") as f:  # the headers kept, every block after them garbled
        f.seek(12288)
        f.write(bytes(range(256)) * ((size - 12288) // 256))
    for db in (truncated, corrupt):
        for args in _store_commands(db, tmp_path)[:3]:
            _refused(args, "truncated or damaged")


@pytest.mark.parametrize(("content", "words"), [
    (b"", "not a DuckDB database"), (b"hello, this is text\n" * 300, "not a DuckDB database"),
    (bytes(range(256)) * 40, "not a DuckDB database")])
def test_s2_a_file_that_is_no_duckdb_store(tmp_path: Path, content: bytes, words: str) -> None:
    pytest.importorskip("duckdb")
    db = tmp_path / "x.duckdb"
    db.write_bytes(content)
    for args in _store_commands(db, tmp_path):
        _refused(args, words)
    doc = _jsonl(tmp_path / "in.jsonl", {"id": "x", "text": G})
    _refused(["code", str(doc), "--db", str(db)], words)
    assert db.read_bytes() == content


def test_s3_a_sqlite_file_is_refused_before_duckdb_opens_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    duckdb = pytest.importorskip("duckdb")
    db = tmp_path / "x.duckdb"
    con = sqlite3.connect(db)
    con.execute("create table t(x)")
    con.commit()
    con.close()
    opened: list[str] = []
    real = duckdb.connect

    def spy(*args: object, **kw: object) -> object:
        opened.append(str(args[0]) if args else ":memory:")
        return real(*args, **kw)

    monkeypatch.setattr(duckdb, "connect", spy)
    for args in _store_commands(db, tmp_path):
        _refused(args, "SQLite database")
    _refused(["code", str(_jsonl(tmp_path / "in.jsonl", {"id": "x", "text": G})), "--db", str(db)],
             "SQLite database")
    assert str(db) not in opened


def test_s4_a_refused_pub_date_starts_no_run(small_store: Path, tmp_path: Path) -> None:
    import dotterel

    db = _copy(small_store, tmp_path / "p.duckdb")
    doc = _jsonl(tmp_path / "in.jsonl", {"id": "x", "text": G})
    _refused(["code", str(doc), "--pub-date", "2024-13-45", "--db", str(db)], "pub_date")
    assert set(dotterel.open(db, hold=0).runs()["status"]) == {"done"}


def test_s4_a_store_error_mid_run_ends_the_run_failed(small_store: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import duckdb

    import dotterel
    from dotterel.store import writer as writer_module

    db = _copy(small_store, tmp_path / "f.duckdb")
    real = writer_module.StoreWriter._write

    def full(self: object, con: object, *args: object) -> object:
        raise duckdb.IOException('Could not write file "f.duckdb": No space left on device')

    monkeypatch.setattr(writer_module.StoreWriter, "_write", full)
    doc = _jsonl(tmp_path / "in.jsonl", {"id": "x", "text": G}, {"id": "y", "text": G})
    _refused(["code", str(doc), "--db", str(db)], "disk holding the store is full", "No space left")
    monkeypatch.setattr(writer_module.StoreWriter, "_write", real)
    runs = dotterel.open(db, hold=0).runs()
    assert list(runs["status"]) == ["done", "failed"]
    assert "x" not in set(dotterel.open(db, hold=0).documents()["doc_id"])


def test_s4_read_only_media(small_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import duckdb

    from dotterel.store import schema

    db = _copy(small_store, tmp_path / "r.duckdb")
    real = duckdb.connect

    def read_only_fs(database: str = ":memory:", read_only: bool = False, **kw: object) -> object:
        if database == str(db) and not read_only:
            raise duckdb.IOException(f'Cannot open file "{database}": Read-only file system')
        return real(database, read_only=read_only, **kw)

    monkeypatch.setattr(schema.duckdb_module(), "connect", read_only_fs)
    doc = _jsonl(tmp_path / "in.jsonl", {"id": "x", "text": G})
    _refused(["code", str(doc), "--db", str(db)], "cannot be written", "Read-only file system")
    result = runner.invoke(app, ["query", "--db", str(db), "--limit", "1", "--format", "csv"])
    assert result.exit_code == 0, result.output  # reading still works


def test_s4_disk_full_for_real_in_a_child_process(small_store: Path, tmp_path: Path) -> None:
    """A file size limit (RLIMIT_FSIZE) makes DuckDB's writes fail as on a full disk."""
    import os
    import subprocess
    import sys

    pytest.importorskip("resource")
    db = _copy(small_store, tmp_path / "d.duckdb")
    script = f"""
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = {db.stat().st_size + 200_000}
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
from dotterel import Document, DotterelError
from dotterel.read import ReadDocument
from dotterel.store import StoreRunSummary, code_into_store
from tests.store_fixtures import ScriptedCoder
docs = (ReadDocument(Document(id=f"e{{i}}", text=f"France accused Mali {{i}}. Britain aided Somalia. " * 40))
        for i in range(3000))
try:
    list(code_into_store(docs, db={str(db)!r}, coder=ScriptedCoder(), summary=StoreRunSummary()))
except DotterelError as exc:
    print("REFUSED", exc)
    sys.exit(2)
print("NOT FULL")
"""
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{ROOT}")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "REFUSED" in proc.stdout and "disk holding the store is full" in proc.stdout
    import dotterel

    runs = dotterel.open(db, hold=0).runs()
    assert list(runs["status"]) == ["done", "failed"]


# ---------------------------------------------------------------------------
# Q1, B7, B8: small CLI holes


@pytest.mark.parametrize("option", ["--source", "--target", "--actor", "--sector", "--type", "--mode"])
def test_q1_empty_lists_in_filters_are_usage_errors(small_store: Path, option: str) -> None:
    for value in (",", " , ", ",,"):
        _refused(["query", "--db", str(small_store), option, value], option, "at least one")
    _refused(["aggregate", "--db", str(small_store), option, ","], option)
    _refused(["export", "--db", str(small_store), option, ","], option)


def test_q1_a_huge_limit_means_all(small_store: Path) -> None:
    result = runner.invoke(app, ["query", "--db", str(small_store), "--limit", "99999999999999999999",
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1 + 80  # header + every event


def test_b7_store_outputs_into_a_missing_directory(small_store: Path, tmp_path: Path) -> None:
    missing = str(tmp_path / "no" / "such" / "o.csv")
    _refused(["query", "--db", str(small_store), "--format", "csv", "-o", missing], "does not exist")
    _refused(["aggregate", "--db", str(small_store), "-o", missing], "does not exist")
    _refused(["export", "--db", str(small_store), "-o", missing], "does not exist")
    _refused(["export", "--db", str(small_store), "-o", str(tmp_path)], "is a directory")
    assert not (tmp_path / "no").exists()


def test_b7_binary_actors_file_is_a_usage_error(tmp_path: Path) -> None:
    doc = _jsonl(tmp_path / "in.jsonl", {"id": "a", "text": G})
    noise = tmp_path / "a.tsv"
    noise.write_bytes(bytes(range(256)) * 12)
    result = runner.invoke(app, ["code", str(doc), "--actors", str(noise)])
    flat = " ".join(result.stderr.replace("│", " ").split())  # the usage error is in a box
    assert result.exit_code == 2 and "not UTF-8" in flat and "a.tsv" in flat
    noise.write_bytes(b"name\tcode\x00\x00\x00\n")
    result = runner.invoke(app, ["code", str(doc), "--actors", str(noise)])
    assert result.exit_code == 2 and "binary" in result.stderr
    assert not result.stdout


def test_b7_code_stdin_closed(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.run([sys.executable, "-m", "dotterel.cli", "code", "-"], capture_output=True,
                          text=True, env=env, timeout=120, stdin=subprocess.DEVNULL,
                          preexec_fn=lambda: os.close(0))
    assert proc.returncode == 2, proc.stderr
    assert "standard input is closed" in proc.stderr and "Traceback" not in proc.stderr


def test_b8_unreadable_directory_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    (tmp_path / "d" / "locked").mkdir(parents=True)
    (tmp_path / "d" / "locked" / "a.txt").write_text(G, encoding="utf-8")
    (tmp_path / "d" / "open.txt").write_text(G, encoding="utf-8")
    real = os.scandir

    def scandir(path: object = ".") -> object:  # chmod 000 does not stop root: refuse here
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    rc, records, err = _code(str(tmp_path / "d"), "--no-text")
    assert rc == 0 and len(records) == 1
    assert "locked: skipped: could not read the directory: Permission denied" in err
    assert "1 input lines skipped" in err


def test_b8_symlinked_directories_are_followed_once(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text(G, encoding="utf-8")
    (tmp_path / "top").mkdir()
    (tmp_path / "top" / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "top" / "loop").symlink_to(tmp_path / "top", target_is_directory=True)
    rc, records, err = _code(str(tmp_path / "top"), "--no-text")
    assert rc == 0 and len(records) == 1, err
    assert "read already" in err  # the loop back to top/ is reported, not walked forever


def test_b8_missing_path_is_found_before_any_record_is_written(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    good = _jsonl(tmp_path / "good.jsonl", {"id": "a", "text": G})
    out = tmp_path / "o.jsonl"
    db = tmp_path / "s.duckdb"
    for extra in ([], ["-o", str(out)], ["--db", str(db)]):
        result = runner.invoke(app, ["code", str(good), str(tmp_path / "missing.jsonl"), *extra])
        assert result.exit_code == 2 and "does not exist" in result.stderr
        assert not result.stdout
    assert not out.exists() and not db.exists()
    weird = tmp_path / "notes.docx"
    weird.write_text(G, encoding="utf-8")
    result = runner.invoke(app, ["code", str(good), str(weird)])
    assert result.exit_code == 2 and "cannot tell the format" in result.stderr and not result.stdout


def test_ansi_escapes_never_reach_the_terminal(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    doc = _jsonl(tmp_path / "in.jsonl", {"id": "evil\x1b[2J\x1b]0;pwned\x07", "title": "T\x1b[31mred\u202e",
                                          "text": G})
    result = runner.invoke(app, ["code", str(doc), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout and "\x07" not in result.stdout
    assert "== evil\\x1b[2J" in result.stdout and "\\u202e" in result.stdout
    db = tmp_path / "a.duckdb"
    assert runner.invoke(app, ["code", str(doc), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["query", "--db", str(db)])
    assert result.exit_code == 0 and "\x1b" not in result.stdout and "evil\\x1b" in result.stdout
    result = runner.invoke(app, ["code", str(doc), "--no-text"])  # JSONL keeps the data exact
    assert json.loads(result.stdout)["id"] == "evil\x1b[2J\x1b]0;pwned\x07"


@pytest.mark.parametrize("every", ["0", "0s", "0.1", "-5m", "nan", "inf"])
def test_watch_every_0_is_refused(tmp_path: Path, every: str) -> None:
    feed = tmp_path / "f.rss"
    feed.write_bytes(_rss([]))
    result = runner.invoke(app, ["watch", str(feed), "--every", every, "--iterations", "2",
                                 "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2 and "interval" in result.stderr, result.output


# E1: POLECAT / GDELT exports of values holding double quotes, through the CLI
def test_e1_exports_with_double_quotes_through_the_cli(tmp_path: Path) -> None:
    import csv
    import io

    pytest.importorskip("duckdb")
    db = tmp_path / "g.duckdb"
    doc = _jsonl(tmp_path / "in.jsonl", {"id": '"q"', "title": 'He said "no"', "url": 'https://x.example/"a"',
                                          "text": G})
    assert runner.invoke(app, ["code", str(doc), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "gdelt"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows and {len(r) for r in rows} == {61}
    out = tmp_path / "p.tsv"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "polecat", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline=""), delimiter="\t"))
    assert len(table) == len(rows) + 1 and {len(r) for r in table} == {len(table[0])}
    assert {r[table[0].index("Story ID")] for r in table[1:]} == {'"q"'}
    assert {r[table[0].index("Headline")] for r in table[1:]} == {'He said "no"'}


# The coder streams: an endless input gives records one by one (bounded, so a
# coder that reads its whole input first fails here instead of hanging)
def test_an_endless_generator_is_coded_as_a_stream() -> None:
    import itertools

    pulled = 0

    def endless() -> Iterator[dict[str, str]]:
        nonlocal pulled
        for n in itertools.count():
            pulled += 1
            if pulled > 500:
                raise AssertionError("the coder read 500 documents to give back 3: it does not stream")
            yield {"id": str(n), "text": G}

    coder = Coder(batch_size=4)
    records = list(itertools.islice(coder.code_many(endless()), 3))
    assert [r.id for r in records] == ["0", "1", "2"] and all(r.events for r in records)
    assert pulled <= 4 * 4 + 1  # one chunk (4 batches) ahead at most


# D1: a dateline 'CITY Month Day' without a comma (the tagger reads it as one name)
@pytest.mark.parametrize(("text", "found", "value"), [
    ("Astana March 5.", "March 5", "2024-03-05"),
    ("Astana March 5, 2024.", "March 5, 2024", "2024-03-05"),
    ("Astana 5 March 2024.", "5 March 2024", "2024-03-05"),
])
def test_d1_dateline_without_comma(coder: Coder, text: str, found: str, value: str) -> None:
    record = coder.code(text, pub_date="2024-06-01")
    assert [(d.text, d.date) for d in record.dates] == [(found, value)]


def test_w1_a_feed_item_that_breaks_the_html_reader_loses_only_that_item(
        hostile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import dotterel.sources.feeds as feeds

    real = feeds.read_html_bytes

    def fragile(data: bytes, *, url: str | None, name: str) -> object:
        if "[::1" in name or (url and url.endswith("/story1")):
            raise RecursionError("maximum recursion depth exceeded in the HTML parser")
        return real(data, url=url, name=name)

    monkeypatch.setattr(feeds, "read_html_bytes", fragile)
    items = list(read_sources([hostile + "/feed-bad-link"], fetcher=_fetcher()))
    assert len(items) == 2 and all(isinstance(i, Skipped) for i in items)
    assert "RecursionError" in items[1].message


def test_a_record_the_store_refuses_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch DuckDB refuses is written one record at a time; the refused record is stored
    with an internal error (stage "store"), the others whole, and the run ends done."""
    duckdb = pytest.importorskip("duckdb")
    import dotterel
    from dotterel import Document
    from dotterel.store import StoreRunSummary, code_into_store
    from dotterel.store import writer as writer_module

    from .store_fixtures import ScriptedCoder

    real = writer_module.StoreWriter._write

    def picky(self: object, con: object, pa: object, records: list[object], *args: object) -> object:
        if any("Poison" in r.text and r.events for r in records):  # type: ignore[attr-defined]
            raise duckdb.InvalidInputException("Invalid Input Error: a value DuckDB will not take")
        return real(self, con, pa, records, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(writer_module.StoreWriter, "_write", picky)
    db = tmp_path / "p.duckdb"
    docs = [ReadDocument(Document(id=f"d{i}", text=f"Russia attacked Ukraine. {'Poison' if i == 2 else ''}"))
            for i in range(5)]
    summary = StoreRunSummary()
    records = list(code_into_store(docs, db=db, coder=ScriptedCoder(), summary=summary))
    assert [r.id for r in records] == ["d0", "d1", "d2", "d3", "d4"]
    assert records[2].errors[0].code == "internal" and records[2].errors[0].stage == "store"
    assert summary.internal == 1 and summary.documents == 5
    store = dotterel.open(db, hold=0)
    assert len(store.documents()) == 5 and len(store.events()) == 4
    assert list(store.runs()["status"]) == ["done"]
