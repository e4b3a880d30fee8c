"""The quote lexicon: cue verbs, cue phrases, cue nouns and quotation marks.

Everything here is read from the data files in ``dotterel/data/quotes/`` once
per process (:func:`load_lexicon` is cached).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import DataFileError, TsvTable, data_text, read_tsv

#: Complement kinds a cue verb may take (the ``takes`` column of ``cue_verbs.tsv``).
TAKES = frozenset({"clause", "object", "to", "quote"})
#: Kinds of cue verb (the ``kind`` column).
KINDS = frozenset({"speech", "belief", "intent", "evidence", "none"})


@dataclass(frozen=True, slots=True)
class CueVerb:
    """One row of ``cue_verbs.tsv``."""

    lemma: str
    kind: str
    takes: frozenset[str]


@dataclass(frozen=True, slots=True)
class QuoteMarks:
    """The quotation-mark characters of ``marks.json``."""

    double_open: frozenset[str]
    double_close: frozenset[str]
    double_straight: frozenset[str]
    single_open: frozenset[str]
    single_close: frozenset[str]
    single_straight: frozenset[str]
    all: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        every = (self.double_open | self.double_close | self.double_straight
                 | self.single_open | self.single_close | self.single_straight)
        object.__setattr__(self, "all", every)


@dataclass(frozen=True, slots=True)
class QuoteLexicon:
    """Cue verbs by lemma, cue phrases as token tuples, cue nouns, marks, scare introducers,
    and the light verbs whose object cue noun takes their subject as source."""

    verbs: dict[str, CueVerb]
    phrases: tuple[tuple[str, ...], ...]
    nouns: dict[str, frozenset[str]]
    marks: QuoteMarks
    scare_introducers: tuple[tuple[str, ...], ...]
    light_verbs: frozenset[str] = frozenset()


def _data_text(name: str) -> str:
    return data_text(f"quotes/{name}")


def _rows(name: str) -> TsvTable:
    """Non-comment, non-blank rows of a TSV file, header dropped, each with its ``file:line``."""
    return read_tsv(f"quotes/{name}", header=True, strip=False)


def _located(rows: TsvTable | Sequence[list[str]], name: str) -> Iterator[tuple[str, list[str]]]:
    """(where, cells) of each row: ``file:line`` from a table, ``file row N`` from bare lists."""
    if isinstance(rows, TsvTable):
        for row in rows:
            yield row.where, row.cells
    else:
        for number, cells in enumerate(rows, start=1):
            yield f"{name} row {number}", cells


def parse_verbs(rows: TsvTable | Sequence[list[str]]) -> dict[str, CueVerb]:
    """Build the verb table from ``cue_verbs.tsv`` rows; raises ValueError naming a bad row."""
    verbs: dict[str, CueVerb] = {}
    for where, row in _located(rows, "cue_verbs.tsv"):
        if len(row) != 3:
            raise DataFileError(f"{where}: expected lemma, kind, takes in {row!r}")
        lemma, kind, takes_text = (cell.strip() for cell in row)
        takes = frozenset(t.strip() for t in takes_text.split(",") if t.strip() not in ("", "-"))
        if kind not in KINDS or any(t not in TAKES and not (t.startswith("prep:") and len(t) > 5) for t in takes):
            raise DataFileError(f"{where}: unknown kind or complement in {row!r}")
        if lemma in verbs:
            raise DataFileError(f"{where}: {lemma!r} is listed twice")
        verbs[lemma] = CueVerb(lemma, kind, takes)
    return verbs


def parse_nouns(rows: TsvTable | Sequence[list[str]]) -> dict[str, frozenset[str]]:
    """Build the noun table from ``cue_nouns.tsv`` rows (noun → complements); raises ValueError."""
    nouns: dict[str, frozenset[str]] = {}
    for where, row in _located(rows, "cue_nouns.tsv"):
        if len(row) != 2:
            raise DataFileError(f"{where}: expected noun, takes in {row!r}")
        takes = frozenset(t.strip() for t in row[1].split(","))
        if any(t != "clause" and not (t.startswith("prep:") and len(t) > 5) for t in takes):
            raise DataFileError(f"{where}: unknown complement in {row!r}")
        if row[0] in nouns:
            raise DataFileError(f"{where}: {row[0]!r} is listed twice")
        nouns[row[0].strip()] = takes
    return nouns


@lru_cache(maxsize=1)
def load_lexicon() -> QuoteLexicon:
    """The bundled quote lexicon, loaded once."""
    marks = json.loads(_data_text("marks.json"))
    return QuoteLexicon(
        verbs=parse_verbs(_rows("cue_verbs.tsv")),
        phrases=tuple(tuple(row.cells[0].split()) for row in _rows("cue_phrases.tsv")),
        nouns=parse_nouns(_rows("cue_nouns.tsv")),
        marks=QuoteMarks(
            double_open=frozenset(marks["double_open"]),
            double_close=frozenset(marks["double_close"]),
            double_straight=frozenset(marks["double_straight"]),
            single_open=frozenset(marks["single_open"]),
            single_close=frozenset(marks["single_close"]),
            single_straight=frozenset(marks["single_straight"]),
        ),
        scare_introducers=tuple(tuple(p.split()) for p in marks["scare_introducers"]),
        light_verbs=frozenset(row.cells[0].strip() for row in _rows("light_verbs.tsv")),
    )
