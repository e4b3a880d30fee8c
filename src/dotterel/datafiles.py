"""One checked reader for the tab-separated knowledge files, and the knowledge version.

Every lexicon loader (events, actors, places, quotes, the ontology) reads its TSV files
through :func:`read_tsv` / :func:`parse_tsv`: comment lines (``#``) and blank lines are left
out, a ``version:`` in a comment is kept, an optional header line is dropped, and a row with
too few columns is refused with ``file:line`` in the message (:class:`DataFileError`).

:func:`knowledge_version` is a short hash over the content of every bundled data file: it
changes whenever any lexicon, table or gazetteer changes, and is written in the ``coder``
info of every record and in the store, so ``dotterel recode --outdated-only`` can find
documents coded with other knowledge.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable


class DataFileError(ValueError):
    """A knowledge file has a row that cannot be used; the message starts with ``file:line``."""


@dataclass(frozen=True, slots=True)
class TsvRow:
    """One data row: where it is (``file:line``), its line number and its cells."""

    where: str
    line: int
    cells: list[str]


@dataclass
class TsvTable:
    """The data rows of one TSV file and the ``version:`` its comments give (or "")."""

    source: str
    version: str = ""
    rows: list[TsvRow] = field(default_factory=list)

    def __iter__(self) -> Iterator[TsvRow]:
        return iter(self.rows)

    def cells(self) -> list[list[str]]:
        """Just the cells of every row."""
        return [row.cells for row in self.rows]


def check(ok: bool, where: str, message: str) -> None:
    """Raise :class:`DataFileError` ``"{where}: {message}"`` unless ``ok``."""
    if not ok:
        raise DataFileError(f"{where}: {message}")


def parse_tsv(lines: Iterable[str], source: str, *, header: bool = False, strip: bool = True,
              min_cols: int = 1) -> TsvTable:
    """The rows of a TSV given as lines; ``source`` names it in messages.

    ``header``: the first non-comment line is a header and is dropped. ``strip``: cells are
    stripped of surrounding white space (else only the line end is removed). ``min_cols``: a
    row with fewer cells is a :class:`DataFileError` naming ``source:line``.
    """
    table = TsvTable(source)
    header_seen = not header
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        if line.startswith("#"):
            if "version:" in line and not table.version:
                table.version = line.split("version:", 1)[1].strip()
            continue
        if not header_seen:
            header_seen = True
            continue
        cells = line.split("\t")
        if strip:
            cells = [cell.strip() for cell in cells]
        where = f"{source}:{number}"
        check(len(cells) >= min_cols, where, f"expected at least {min_cols} tab-separated columns, found {len(cells)}")
        table.rows.append(TsvRow(where, number, cells))
    return table


def data_path(name: str) -> Traversable:
    """A bundled data file, ``name`` relative to ``dotterel/data`` ("events/types.tsv")."""
    ref = resources.files("dotterel").joinpath("data")
    for part in name.split("/"):
        ref = ref.joinpath(part)
    return ref


def data_text(name: str) -> str:
    """The text of a bundled data file (``.gz`` files are decompressed)."""
    ref = data_path(name)
    if name.endswith(".gz"):
        return gzip.decompress(ref.read_bytes()).decode("utf-8")
    return ref.read_text(encoding="utf-8")


def read_tsv(name: str, *, header: bool = False, strip: bool = True, min_cols: int = 1) -> TsvTable:
    """The rows of a bundled TSV file (see :func:`parse_tsv`); messages name ``name:line``."""
    return parse_tsv(data_text(name).splitlines(), name, header=header, strip=strip, min_cols=min_cols)


def _data_files(ref: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for child in sorted(ref.iterdir(), key=lambda c: c.name):
        name = f"{prefix}{child.name}"
        if child.is_dir():
            if child.name != "__pycache__":
                yield from _data_files(child, name + "/")
        elif not child.name.endswith((".py", ".pyc", ".md")):
            yield name, child


@cache
def knowledge_files() -> dict[str, str]:
    """Every bundled data file (path under ``dotterel/data``) → SHA-256 of its bytes."""
    return {name: hashlib.sha256(ref.read_bytes()).hexdigest()
            for name, ref in _data_files(resources.files("dotterel").joinpath("data"))}


def combine_versions(parts: Iterable[tuple[str, str]]) -> str:
    """A 12-hex-digit version over (name, hash) pairs, independent of their order."""
    h = hashlib.sha256()
    for name, digest in sorted(parts):
        h.update(f"{name}\t{digest}\n".encode())
    return h.hexdigest()[:12]


@cache
def knowledge_version() -> str:
    """The version of the bundled knowledge: a short hash over every data file's content."""
    return combine_versions(knowledge_files().items())
