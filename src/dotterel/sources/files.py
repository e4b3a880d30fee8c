"""Stories from files, directories and standard input, streaming.

:func:`read_inputs` yields, in input order, either a :class:`~dotterel.model.Document`
or a :class:`Skipped` line (a malformed JSONL record: reported, never fatal).
A ``.txt`` file that is not UTF-8 still yields a document (decoded with
replacement characters) carrying a ``not_utf8`` read error, so the run
outputs a record for it and loses nothing.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from ..errors import InputError, UsageError
from ..model import Document
from .items import FEED_SUFFIXES, Item, ReadDocument, Skipped, checked

#: Input formats by name, as ``--input-format`` takes them.
INPUT_FORMATS = ("jsonl", "txt", "html")
#: File name endings recognised in directories, and the format each means.
SUFFIXES: dict[str, str] = {
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
}
#: A .txt file's first line is its title when shorter than this and followed by a line break.
TITLE_MAX_CHARS = 300


def format_for(path: Path) -> str | None:
    """The input format of ``path`` by its name, or ``None`` when not recognised."""
    name = path.name.lower()
    for suffix, fmt in sorted(SUFFIXES.items(), key=lambda kv: -len(kv[0])):
        if name.endswith(suffix):
            return fmt
    return None


def check_inputs(
    inputs: Iterable[str | Path], *, input_format: str | None = None, stdin: IO[bytes] | None = None,
) -> None:
    """Raise :class:`UsageError` for the first input that cannot be read at all, before any is read.

    A path that does not exist, a file whose format cannot be told from its
    name, ``-`` when standard input is closed, an unknown ``input_format``.
    URLs (``http(s)://``) and feed files are left to the fetcher.
    """
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise UsageError(
            f"unknown input format {input_format!r}: choose one of {', '.join(INPUT_FORMATS)}"
        )
    for raw in inputs:
        text = str(raw)
        if text == "-":
            if stdin is None and (sys.stdin is None or getattr(sys.stdin, "buffer", None) is None):
                raise UsageError("input - reads standard input, but standard input is closed")
            continue
        if text.lower().startswith(("http://", "https://")):
            continue
        path = Path(text)
        if path.is_dir():
            continue
        if not path.is_file():
            raise UsageError(f"input {text!r} does not exist (give a file, a directory or -)")
        if input_format is None and format_for(path) is None and not text.lower().endswith(FEED_SUFFIXES):
            raise UsageError(
                f"cannot tell the format of {text!r} from its name: "
                f"name it .jsonl, .jsonl.gz, .txt, .html or pass --input-format ({', '.join(INPUT_FORMATS)})"
            )


def read_inputs(
    inputs: Iterable[str | Path],
    *,
    input_format: str | None = None,
    stdin: IO[bytes] | None = None,
) -> Iterator[Item]:
    """Yield documents (and skipped lines) from files, directories or ``-`` (stdin JSONL).

    Raises :class:`UsageError` for a path that does not exist or a file whose
    format cannot be told from its name (pass ``input_format``); everything
    inside a readable input is yielded, problems included, and never raises.
    A sub-directory that cannot be read, or a symbolic link loop, is a
    :class:`Skipped` item; symbolic links to directories are followed.
    """
    inputs = list(inputs)
    check_inputs(inputs, input_format=input_format, stdin=stdin)
    for raw in inputs:
        if str(raw) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from read_jsonl_stream(stream, name="<stdin>")
            continue
        path = Path(raw)
        if path.is_dir():
            yield from read_directory(path, input_format=input_format)
        else:
            yield from read_file(path, input_format=input_format)


def read_directory(root: Path, *, input_format: str | None = None) -> Iterator[Item]:
    """The documents of every recognised file under ``root``, in sorted path order.

    Symbolic links to directories are followed (a link back to a directory
    already walked is reported, not followed again); a directory that cannot
    be listed is reported as skipped.
    """
    problems: list[Skipped] = []

    def on_error(exc: OSError) -> None:
        where = exc.filename or str(root)
        problems.append(Skipped(str(where), None, f"could not read the directory: {exc.strerror or exc}"))

    seen: set[str] = set()
    files: list[Path] = []
    for here, dirs, names in os.walk(root, onerror=on_error, followlinks=True):
        real = os.path.realpath(here)
        if real in seen:
            problems.append(Skipped(here, None, "a symbolic link to a directory read already: not read twice"))
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        for name in names:
            file = Path(here) / name
            if format_for(file) is None:
                continue
            if file.is_file():
                files.append(file)
            else:
                problems.append(Skipped(str(file), None, "broken symbolic link or not a regular file"))
    yield from problems
    for file in sorted(files):
        yield from read_file(file, input_format=input_format)


def read_file(path: Path, *, input_format: str | None = None) -> Iterator[Item]:
    """Yield the documents of one file."""
    fmt = input_format or format_for(path)
    if fmt is None:
        raise UsageError(
            f"cannot tell the format of {str(path)!r} from its name: "
            f"name it .jsonl, .jsonl.gz, .txt, .html or pass --input-format ({', '.join(INPUT_FORMATS)})"
        )
    if fmt == "jsonl":
        try:
            with _open_binary(path) as stream:
                yield from read_jsonl_stream(stream, name=str(path))
        except (OSError, EOFError, zlib.error) as exc:  # a truncated or corrupt .gz (zlib.error: bad deflate data)
            yield Skipped(str(path), None, f"could not read the rest of the file: {exc}")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Skipped(str(path), None, f"could not read the file: {exc}")
        return
    if fmt == "txt":
        yield read_txt_bytes(data)
    else:
        from .html import read_html_bytes

        yield read_html_bytes(data, url=None, name=str(path))


def _open_binary(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def read_txt_bytes(data: bytes) -> ReadDocument:
    """One story from a .txt file's bytes: title on the first line when it looks like one."""
    error: str | None = None
    detail = ""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        error, detail = "not_utf8", f"invalid byte at offset {exc.start}"
    text = text.removeprefix("\ufeff")
    title, body = split_title(text)
    return ReadDocument(Document(text=body, title=title), error, detail)


def split_title(text: str) -> tuple[str | None, str]:
    """Split a plain-text story into (title, body) per the contract's .txt rule."""
    first, sep, rest = text.partition("\n")
    title = first.rstrip("\r")
    if sep and rest.strip() and title.strip() and len(title) < TITLE_MAX_CHARS:
        return title, rest
    return None, text


def read_jsonl_stream(stream: IO[bytes], *, name: str) -> Iterator[Item]:
    """Documents from a JSONL byte stream; bad lines become :class:`Skipped` with their number."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Skipped(name, number, f"line is not UTF-8 (byte {exc.start})")
            continue
        if number == 1:
            line = line.removeprefix("\ufeff")  # a UTF-8 byte order mark
        try:
            record = json.loads(line, parse_int=_parse_int)
        except json.JSONDecodeError as exc:
            yield Skipped(name, number, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield Skipped(name, number, "JSON nested too deeply to read")
            continue
        except ValueError as exc:  # e.g. a number Python refuses to convert
            yield Skipped(name, number, f"not readable JSON ({exc})")
            continue
        try:
            yield checked(Document.from_dict(record))
        except InputError as exc:
            yield Skipped(name, number, str(exc))


#: Longest integer read as a number from JSON; longer ones stay strings (Python refuses
#: to convert more than 4,300 digits, and no field dotterel reads is such a number).
MAX_INT_DIGITS = 1000


def _parse_int(text: str) -> int | str:
    return int(text) if len(text) <= MAX_INT_DIGITS else text
