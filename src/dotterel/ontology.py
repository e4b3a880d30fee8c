"""The PLOVER ontology in one place: types, modes, quad classes, scores and CAMEO codes.

Read once per process from the data files (``data/events/types.tsv``, ``data/events/modes.tsv``,
``data/export/plover_cameo.tsv``); every other module (the event lexicon, the store's score
columns, the exports, the web views) imports what it needs from here instead of restating it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .datafiles import check, read_tsv

#: The 16 PLOVER types of manual 2.0 (plover.md §1.1), in the manual's order.
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
#: The quad words of the contract, in quad-class order (1–4).
QUADS = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
#: Quad words → PLOVER quad class (1–4).
QUAD_CLASS = {name: number for number, name in enumerate(QUADS, start=1)}
#: Quad class (1–4) → quad words.
QUAD_NAMES = {number: name for name, number in QUAD_CLASS.items()}


def type_set(*names: str) -> frozenset[str]:
    """A set of PLOVER type names, checked: a name that is no PLOVER type is a ValueError."""
    unknown = [n for n in names if n not in PLOVER_TYPES]
    if unknown:
        raise ValueError(f"not PLOVER types: {', '.join(unknown)}")
    return frozenset(names)


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """One PLOVER type: its quad, base score, CAMEO root and whether a recipient is required."""

    name: str
    quad: str
    score: float
    cameo: str
    recipient_required: bool


@dataclass(frozen=True, slots=True)
class Ontology:
    """The types (by name) and modes ((type, mode) → (score, CAMEO root)) of the data files."""

    version: str
    types: dict[str, TypeInfo]
    modes: dict[tuple[str, str], tuple[float, str]]

    def types_of(self, *quads: str) -> frozenset[str]:
        """The types whose quad is one of ``quads`` ("verbal conflict", ...)."""
        return frozenset(t.name for t in self.types.values() if t.quad in quads)

    def score(self, type_: str, mode: str | None) -> float | None:
        """The PLOVER score of (type, mode): the mode's when it has one, else the type's."""
        if mode and (type_, mode) in self.modes:
            return self.modes[(type_, mode)][0]
        info = self.types.get(type_)
        return info.score if info else None

    def cameo_root(self, type_: str, mode: str | None) -> str:
        """The CAMEO root code (two digits) a PLOVER type and mode map from (plover.md §5)."""
        if mode is not None and (type_, mode) in self.modes:
            return self.modes[(type_, mode)][1]
        return self.types[type_].cameo


def _number(value: str, where: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a number") from None


@cache
def ontology() -> Ontology:
    """The PLOVER types and modes from ``data/events``; raises ValueError naming a bad line."""
    type_table = read_tsv("events/types.tsv", min_cols=5)
    types: dict[str, TypeInfo] = {}
    for row in type_table:
        name, quad, score, cameo, rcp = row.cells[:5]
        check(name in PLOVER_TYPES, row.where, f"unknown type {name!r}")
        check(quad in QUADS, row.where, f"quad must be one of {QUADS}")
        types[name] = TypeInfo(name, quad, _number(score, row.where), cameo, rcp == "yes")
    modes: dict[tuple[str, str], tuple[float, str]] = {}
    for row in read_tsv("events/modes.tsv", min_cols=4):
        type_, mode, score, cameo = row.cells[:4]
        check(type_ in types, row.where, f"unknown type {type_!r}")
        modes[(type_, mode)] = (_number(score, row.where), cameo)
    return Ontology(type_table.version, types, modes)


def event_score(event_type: str, mode: str | None) -> float | None:
    """The PLOVER score of (type, mode): the mode's score when it has one, else the type's."""
    return ontology().score(event_type, mode)


@cache
def plover_cameo_table() -> dict[tuple[str, str], str]:
    """(PLOVER type, mode or "") → CAMEO code used when an event has no ``cameo``."""
    table = read_tsv("export/plover_cameo.tsv", header=True, strip=False, min_cols=3)
    return {(r.cells[0], r.cells[1]): r.cells[2] for r in table}


def cameo_code(event_type: str, mode: str | None, cameo: str | None) -> str | None:
    """The event's own CAMEO code, else the one chosen for its PLOVER type and mode."""
    if cameo:
        return cameo
    table = plover_cameo_table()
    return table.get((event_type, mode or "")) or table.get((event_type, ""))


def cameo_quad(code: str | None) -> int | None:
    """GDELT's QuadClass from the CAMEO root: 01–05 → 1, 06–08 → 2, 09–13 → 3, 14–20 → 4."""
    if not code or not code[:2].isdigit():
        return None
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4
