"""The quote lexicon: cue verbs, cue phrases, cue nouns and quotation marks.

Everything here is read from the data files in ``dotterel/data/quotes/`` once
per process (:func:`load_lexicon` is cached).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

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
    return resources.files("dotterel").joinpath("data", "quotes", name).read_text(encoding="utf-8")


def _rows(name: str) -> list[list[str]]:
    """Non-comment, non-blank rows of a TSV file, header dropped."""
    rows = [line.rstrip("\n").split("\t") for line in _data_text(name).splitlines()
            if line.strip() and not line.startswith("#")]
    return rows[1:]


def parse_verbs(rows: list[list[str]]) -> dict[str, CueVerb]:
    """Build the verb table from ``cue_verbs.tsv`` rows; raises ValueError on a bad row."""
    verbs: dict[str, CueVerb] = {}
    for row in rows:
        if len(row) != 3:
            raise ValueError(f"cue_verbs.tsv: expected lemma, kind, takes in {row!r}")
        lemma, kind, takes_text = (cell.strip() for cell in row)
        takes = frozenset(t.strip() for t in takes_text.split(",") if t.strip() not in ("", "-"))
        if kind not in KINDS or any(t not in TAKES and not (t.startswith("prep:") and len(t) > 5) for t in takes):
            raise ValueError(f"cue_verbs.tsv: unknown kind or complement in {row!r}")
        if lemma in verbs:
            raise ValueError(f"cue_verbs.tsv: {lemma!r} is listed twice")
        verbs[lemma] = CueVerb(lemma, kind, takes)
    return verbs


def parse_nouns(rows: list[list[str]]) -> dict[str, frozenset[str]]:
    """Build the noun table from ``cue_nouns.tsv`` rows (noun → complements); raises ValueError."""
    nouns: dict[str, frozenset[str]] = {}
    for row in rows:
        if len(row) != 2:
            raise ValueError(f"cue_nouns.tsv: expected noun, takes in {row!r}")
        takes = frozenset(t.strip() for t in row[1].split(","))
        if any(t != "clause" and not (t.startswith("prep:") and len(t) > 5) for t in takes):
            raise ValueError(f"cue_nouns.tsv: unknown complement in {row!r}")
        if row[0] in nouns:
            raise ValueError(f"cue_nouns.tsv: {row[0]!r} is listed twice")
        nouns[row[0].strip()] = takes
    return nouns


@lru_cache(maxsize=1)
def load_lexicon() -> QuoteLexicon:
    """The bundled quote lexicon, loaded once."""
    marks = json.loads(_data_text("marks.json"))
    return QuoteLexicon(
        verbs=parse_verbs(_rows("cue_verbs.tsv")),
        phrases=tuple(tuple(row[0].split()) for row in _rows("cue_phrases.tsv")),
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
        light_verbs=frozenset(row[0].strip() for row in _rows("light_verbs.tsv")),
    )
