from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from dotterel.errors import UsageError
from dotterel.read import (
    ReadDocument,
    Skipped,
    read_inputs,
    read_jsonl_stream,
    read_txt_bytes,
    split_title,
)


def _items(path: Path) -> list[ReadDocument | Skipped]:
    return list(read_inputs([path]))


def test_txt_first_line_is_title_when_followed_by_body() -> None:
    doc = read_txt_bytes(b"Headline here\nBody text.\nMore.").document
    assert doc.title == "Headline here"
    assert doc.text == "Body text.\nMore."


def test_txt_single_line_has_no_title() -> None:
    doc = read_txt_bytes(b"Only one line of text.").document
    assert doc.title is None
    assert doc.text == "Only one line of text."


def test_txt_long_first_line_is_not_a_title() -> None:
    title, body = split_title("x" * 300 + "\nbody")
    assert title is None and body.startswith("x")


def test_txt_not_utf8_yields_document_with_read_error() -> None:
    item = read_txt_bytes(b"Caf\xe9 story\nThe body \xff here.")
    assert item.read_error == "not_utf8"
    assert "\ufffd" in item.document.text


def test_jsonl_date_aliases_and_datetime(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "a", "text": "One.", "published": "2025-03-14 20:30:26Z"}\n'
        '{"id": "b", "text": "Two.", "date": "2024-12-01"}\n'
        '{"id": "c", "text": "Three.", "publish_date": "2024-01-02T10:00:00+02:00"}\n'
        '{"id": "d", "text": "Four.", "pub_date": "2020-05-06", "extra": [1, 2]}\n',
        encoding="utf-8",
    )
    docs = [i.document for i in _items(path) if isinstance(i, ReadDocument)]
    assert [d.pub_date for d in docs] == ["2025-03-14", "2024-12-01", "2024-01-02", "2020-05-06"]


def test_jsonl_bad_lines_are_skipped_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b'{"text": "good one"}\n'
        b"{not json\n"
        b'{"title": "no text"}\n'
        b'{"text": "bad date", "pub_date": "yesterday"}\n'
        b'{"text": "caf\xe9"}\n'
        b"\n"
        b'["a list"]\n'
        b'{"text": "good two"}\n'
    )
    items = _items(path)
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [s.line for s in skipped] == [2, 3, 4, 5, 7]
    assert all(str(path) in str(s) for s in skipped)
    assert [i.document.text for i in items if isinstance(i, ReadDocument)] == ["good one", "good two"]


def test_jsonl_gz_and_directories(tmp_path: Path) -> None:
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write('{"text": "from gz"}\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.txt").write_text("Title\nfrom txt", encoding="utf-8")
    (tmp_path / "ignored.csv").write_text("a,b", encoding="utf-8")
    texts = [i.document.text for i in _items(tmp_path) if isinstance(i, ReadDocument)]
    assert texts == ["from gz", "from txt"]


def test_truncated_gz_reports_and_keeps_earlier_lines(tmp_path: Path) -> None:
    data = gzip.compress(b'{"text": "first"}\n' + b'{"text": "second"}\n' * 2000)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = _items(path)
    assert isinstance(items[0], ReadDocument)
    assert isinstance(items[-1], Skipped)


def test_missing_path_and_unknown_format_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        list(read_inputs([tmp_path / "nope.jsonl"]))
    odd = tmp_path / "story.csv"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="--input-format"):
        list(read_inputs([odd]))
    with pytest.raises(UsageError, match="unknown input format"):
        list(read_inputs([odd], input_format="xml"))


def test_stdin_is_jsonl() -> None:
    stream = io.BytesIO(b'{"text": "a"}\n{"text": "b"}\n')
    items = list(read_inputs(["-"], stdin=stream))
    assert [i.document.text for i in items if isinstance(i, ReadDocument)] == ["a", "b"]


def test_jsonl_stream_ids_default_to_text_hash() -> None:
    (item,) = list(read_jsonl_stream(io.BytesIO(b'{"text": "abc"}\n'), name="x"))
    assert isinstance(item, ReadDocument)
    assert item.document.doc_id == "ba7816bf8f01cfea"
