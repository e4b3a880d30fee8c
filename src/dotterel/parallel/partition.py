"""Splitting inputs into partitions, and reading one partition back.

A partition is either a range of lines of one JSONL file (``.jsonl`` or
``.jsonl.gz``) or a run of consecutive ``.txt``/``.html`` files. The plan keeps
input order: inputs as given, a directory's files sorted by path (as
:func:`dotterel.read.read_inputs` reads them), lines in file order. A plain
``.jsonl`` partition also knows the byte offset of its first line, so a worker
seeks straight to it; a gzipped one is decompressed from the start and the
lines before it skipped (gzip streams cannot seek). The last partition of a
file reads to the end, so a truncated or corrupt end is met, and reported, by
whoever reads it.
"""

from __future__ import annotations

import gzip
import io
import itertools
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, cast

from ..errors import UsageError
from ..read import Item, Skipped, format_for, read_file, read_jsonl_stream

#: Documents per partition by default.
DEFAULT_PARTITION_SIZE = 500


@dataclass(frozen=True)
class Partition:
    """One unit of work: ``index`` is its place in the plan (and in the output)."""

    index: int
    path: str
    start_line: int = 0          # 0-based, JSONL only
    end_line: int | None = None  # exclusive; None: to the end of the file
    start_byte: int | None = None  # plain .jsonl: offset of start_line
    files: tuple[str, ...] = ()  # .txt/.html partitions: the files, in order
    input_format: str | None = None
    documents: int = 0           # non-blank lines or files in it, known when planned

    @property
    def key(self) -> str:
        return f"{self.index:06d}"

    def describe(self) -> str:
        if self.files:
            return f"{len(self.files)} files from {self.files[0]}"
        end = "end" if self.end_line is None else str(self.end_line)
        return f"{self.path} lines {self.start_line + 1}-{end}"


def plan(inputs: Iterable[str | Path], *, size: int = DEFAULT_PARTITION_SIZE,
         input_format: str | None = None) -> list[Partition]:
    """Partitions of at most ``size`` documents covering ``inputs`` in input order.

    Only files and directories can be split: standard input (``-``), URLs and
    feeds raise :class:`UsageError` (code them with the local engine).
    """
    size = max(1, size)
    parts: list[Partition] = []
    loose: list[str] = []

    def flush_loose() -> None:
        while loose:
            chunk, loose[:] = loose[:size], loose[size:]
            parts.append(Partition(len(parts), chunk[0], files=tuple(chunk), input_format=input_format,
                                   documents=len(chunk)))

    for raw in inputs:
        text = str(raw)
        if text == "-" or "://" in text or text.lower().endswith((".rss", ".atom", ".xml")):
            raise UsageError(
                f"{text!r}: the dask engine reads files and directories only; "
                "code standard input, URLs and feeds with the local engine"
            )
        path = Path(text)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and format_for(p))
        elif path.is_file():
            files = [path]
        else:
            raise UsageError(f"input {text!r} does not exist (give a file or a directory)")
        for file in files:
            fmt = input_format or format_for(file)
            if fmt is None:
                raise UsageError(f"cannot tell the format of {str(file)!r} from its name: pass --input-format")
            if fmt != "jsonl":
                loose.append(str(file))
                if len(loose) >= size:
                    flush_loose()
                continue
            flush_loose()
            for start, end, offset, docs in _line_ranges(file, size):
                parts.append(Partition(len(parts), str(file), start, end, offset,
                                       input_format=input_format, documents=docs))
    flush_loose()
    return parts


def _line_ranges(path: Path, size: int) -> Iterator[tuple[int, int | None, int | None, int]]:
    """(start line, end line or None for the last, byte offset or None for gzip, documents) per partition."""
    gz = path.name.lower().endswith(".gz")
    starts: list[tuple[int, int | None]] = [(0, None if gz else 0)]
    docs = 0
    line = 0
    offset = 0
    try:
        with _open(path) as stream:
            for raw in stream:
                line += 1
                offset += len(raw)
                if raw.strip():
                    docs += 1
                    if docs % size == 0:
                        starts.append((line, None if gz else offset))
    except (OSError, EOFError, zlib.error):
        pass  # the partition that reaches this point reports it
    if len(starts) > 1 and docs == size * (len(starts) - 1):
        starts.pop()  # the file ended exactly at a partition boundary
    for i, (start, byte) in enumerate(starts):
        last = i + 1 == len(starts)
        yield start, None if last else starts[i + 1][0], byte, docs - size * i if last else size


def _open(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def read_partition(part: Partition) -> Iterator[Item]:
    """The documents (and skipped lines) of one partition, in order; never raises on bad input."""
    if part.files:
        for name in part.files:
            yield from read_file(Path(name), input_format=part.input_format)
        return
    path = Path(part.path)
    try:
        with _open(path) as stream:
            if part.start_byte is not None:
                stream.seek(part.start_byte)
            else:
                for _ in itertools.islice(stream, part.start_line):
                    pass
            lines: Iterable[bytes] = stream if part.end_line is None else itertools.islice(
                stream, part.end_line - part.start_line)
            for item in read_jsonl_stream(cast(IO[bytes], _Lines(lines)), name=str(path)):
                if isinstance(item, Skipped) and item.line is not None:
                    item = replace(item, line=item.line + part.start_line)
                yield item
    except (OSError, EOFError, zlib.error) as exc:  # e.g. a truncated or corrupt .gz
        yield Skipped(str(path), None, f"could not read the rest of the file: {exc}")


class _Lines(io.RawIOBase):
    """Lines from an iterator, as the byte stream ``read_jsonl_stream`` iterates."""

    def __init__(self, lines: Iterable[bytes]) -> None:
        super().__init__()
        self._lines = iter(lines)

    def __iter__(self) -> Iterator[bytes]:
        return self._lines

    def __next__(self) -> bytes:
        return next(self._lines)
