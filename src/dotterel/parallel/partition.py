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
from ..sources.files import format_for, read_file, read_jsonl_stream
from ..sources.items import Item, Skipped

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
    source: str | None = None    # staged gzip partitions: the original file (for messages)
    line_offset: int = 0         # staged: line number in the original of the staged file's first line
    tail_error: str | None = None  # staged: the original could not be read past this partition

    @property
    def name(self) -> str:
        return self.source or self.path

    @property
    def key(self) -> str:
        return f"{self.index:06d}"

    def describe(self) -> str:
        if self.files:
            return f"{len(self.files)} files from {self.files[0]}"
        first = self.start_line + self.line_offset + 1
        end = "end" if self.end_line is None and not self.source else str(first + self.documents - 1)
        return f"{self.name} lines {first}-{end}"


def plan(inputs: Iterable[str | Path], *, size: int = DEFAULT_PARTITION_SIZE,
         input_format: str | None = None, stage_dir: str | Path | None = None) -> list[Partition]:
    """Partitions of at most ``size`` documents covering ``inputs`` in input order.

    With ``stage_dir`` (the Dask engine's job directory), a ``.jsonl.gz`` is split once
    into one small gzip file per partition there (fast compression), so that no worker
    has to decompress the file from its start to reach its lines; messages still name
    the original file and line.

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
            if stage_dir is not None and file.name.lower().endswith(".gz"):
                parts.extend(_stage_gzip(file, size, Path(stage_dir), len(parts), input_format))
                continue
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


def _stage_gzip(path: Path, size: int, stage: Path, first: int,
                input_format: str | None) -> list[Partition]:
    """Split a gzipped JSONL file into one gzip file per partition under ``stage``."""
    import os
    import uuid

    stage.mkdir(parents=True, exist_ok=True)
    parts: list[Partition] = []
    writer: IO[bytes] | None = None
    temp = target = Path()
    start = line = docs = 0
    error: str | None = None

    def close() -> None:
        nonlocal writer
        if writer is not None:
            writer.close()
            os.replace(temp, target)
            writer = None

    def open_next() -> IO[bytes]:
        nonlocal temp, target
        target = stage / f"{first + len(parts):06d}.jsonl.gz"
        temp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        return cast(IO[bytes], gzip.open(temp, "wb", compresslevel=1))

    def finish() -> None:
        close()
        parts.append(Partition(first + len(parts), str(target), input_format=input_format,
                               documents=docs, source=str(path), line_offset=start))

    try:
        with _open(path) as stream:
            for raw in stream:
                if writer is None:
                    writer = open_next()
                writer.write(raw)
                line += 1
                if raw.strip():
                    docs += 1
                    if docs == size:
                        finish()
                        start, docs = line, 0
    except (OSError, EOFError, zlib.error) as exc:
        error = str(exc)
    if writer is not None or error is not None or not parts:
        if writer is None:
            writer = open_next()
        finish()
    if error is not None:
        last = parts[-1]
        parts[-1] = replace(last, tail_error=error)
    return parts


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
    name = part.name
    try:
        with _open(path) as stream:
            if part.start_byte is not None:
                stream.seek(part.start_byte)
            else:
                for _ in itertools.islice(stream, part.start_line):
                    pass
            lines: Iterable[bytes] = stream if part.end_line is None else itertools.islice(
                stream, part.end_line - part.start_line)
            for item in read_jsonl_stream(cast(IO[bytes], _Lines(lines)), name=name):
                if isinstance(item, Skipped) and item.line is not None:
                    item = replace(item, line=item.line + part.start_line + part.line_offset)
                yield item
    except (OSError, EOFError, zlib.error) as exc:  # e.g. a truncated or corrupt .gz
        yield Skipped(name, None, f"could not read the rest of the file: {exc}")
        return
    if part.tail_error is not None:
        yield Skipped(name, None, f"could not read the rest of the file: {part.tail_error}")


class _Lines(io.RawIOBase):
    """Lines from an iterator, as the byte stream ``read_jsonl_stream`` iterates."""

    def __init__(self, lines: Iterable[bytes]) -> None:
        super().__init__()
        self._lines = iter(lines)

    def __iter__(self) -> Iterator[bytes]:
        return self._lines

    def __next__(self) -> bytes:
        return next(self._lines)
