"""The event coder's knowledge: PLOVER types, modes, trigger words, patterns and cue lists.

All of it lives in tab-separated files under ``dotterel/data/events/`` (format in
``docs/events.md``); :func:`load_lexicon` reads them once per process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

#: The 16 PLOVER types of manual 2.0 (plover.md §1.1), in the manual's order.
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
#: The quad words of the contract.
QUADS = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
#: Flags a trigger line may carry (see triggers.tsv).
TRIGGER_FLAGS = frozenset({"frame", "polar", "order", "recip", "inverse", "joint", "needs", "patient", "conflict"})
#: The pattern "type" that means: this head with this argument is no event ("released a report").
NO_EVENT = "NONE"
#: Parts of speech of trigger lines: verb, noun, adjective.
TRIGGER_POS = frozenset({"V", "N", "A"})


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """One PLOVER type: its quad, base score, CAMEO root and whether a recipient is required."""

    name: str
    quad: str
    score: float
    cameo: str
    recipient_required: bool


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger lexicon entry: what the word means as an event."""

    lemma: str
    pos: str
    type: str
    mode: str | None
    weight: float
    flags: frozenset[str]


@dataclass(frozen=True, slots=True)
class Pattern:
    """A head word plus an argument (object, particle or preposition) that decides the type."""

    head: str
    pos: str
    relation: str  # "obj", "prt:off", "prep:for"
    arguments: frozenset[str]  # empty = any
    type: str
    mode: str | None
    weight: float
    neg_type: str | None

    def matches(self, lemma: str) -> bool:
        return not self.arguments or lemma in self.arguments


@dataclass
class Lexicon:
    """Everything the event coder knows, loaded from ``data/events``."""

    version: str
    types: dict[str, TypeInfo]
    modes: dict[tuple[str, str], tuple[float, str]]
    triggers: dict[tuple[str, str], Trigger]
    patterns: dict[tuple[str, str], list[Pattern]]
    cues: dict[str, frozenset[str]] = field(default_factory=dict)
    _verb_lemmas: frozenset[str] | None = field(default=None, repr=False)

    @property
    def verb_lemmas(self) -> frozenset[str]:
        """Every verb lemma the lexicon knows (triggers, pattern heads, light/transparent/speech)."""
        if self._verb_lemmas is None:
            words = {t.lemma.split()[0] for t in self.triggers.values() if t.pos == "V"}
            words |= {head for head, pos in self.patterns if pos == "V"}
            for name in ("light", "transparent", "speech", "hyp_verb", "neg_verb", "undergo"):
                words |= self.cue(name)
            self._verb_lemmas = frozenset(words)
        return self._verb_lemmas

    def trigger(self, lemma: str, pos: str) -> Trigger | None:
        """The trigger entry for ``lemma`` ("call for", "hunger strike") as ``pos`` (V/N/A)."""
        return self.triggers.get((lemma, pos))

    def patterns_for(self, head: str, pos: str) -> list[Pattern]:
        return self.patterns.get((head, pos), [])

    def cue(self, name: str) -> frozenset[str]:
        return self.cues.get(name, frozenset())

    def cameo(self, type_: str, mode: str | None) -> str:
        """The CAMEO root code (two digits) that corresponds to a PLOVER type and mode."""
        if mode is not None and (type_, mode) in self.modes:
            return self.modes[(type_, mode)][1]
        return self.types[type_].cameo

    def score(self, type_: str, mode: str | None) -> float:
        """The PLOVER score of a type, or of its mode when the mode has one (plover.md §2)."""
        if mode is not None and (type_, mode) in self.modes:
            return self.modes[(type_, mode)][0]
        return self.types[type_].score


def _rows(name: str) -> tuple[str, list[list[str]]]:
    """Non-comment rows of a data file, split on tabs, and the file's version string."""
    text = resources.files("dotterel").joinpath("data", "events", name).read_text(encoding="utf-8")
    version = ""
    rows: list[list[str]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if line.startswith("#"):
            if "version:" in line and not version:
                version = line.split("version:", 1)[1].strip()
            continue
        cells = [c.strip() for c in line.split("\t")]
        rows.append([f"{name}:{lineno}", *cells])
    return version, rows


def _opt(value: str) -> str | None:
    return None if value in ("", "-") else value


def _check(ok: bool, where: str, message: str) -> None:
    if not ok:
        raise ValueError(f"{where}: {message}")


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read and check the event data files (once per process); raises ValueError naming a bad line."""
    version, type_rows = _rows("types.tsv")
    types: dict[str, TypeInfo] = {}
    for where, name, quad, score, cameo, rcp in type_rows:
        _check(name in PLOVER_TYPES, where, f"unknown type {name!r}")
        _check(quad in QUADS, where, f"quad must be one of {QUADS}")
        types[name] = TypeInfo(name, quad, float(score), cameo, rcp == "yes")
    _, mode_rows = _rows("modes.tsv")
    modes: dict[tuple[str, str], tuple[float, str]] = {}
    for where, type_, mode, score, cameo in mode_rows:
        _check(type_ in types, where, f"unknown type {type_!r}")
        modes[(type_, mode)] = (float(score), cameo)
    _, trig_rows = _rows("triggers.tsv")
    triggers: dict[tuple[str, str], Trigger] = {}
    for where, lemma, pos, type_, mode, weight, flags in trig_rows:
        _check(pos in TRIGGER_POS, where, f"pos must be one of {sorted(TRIGGER_POS)}")
        _check(type_ in types, where, f"unknown type {type_!r}")
        m = _opt(mode)
        _check(m is None or (type_, m) in modes, where, f"unknown mode {type_} {m!r}")
        flagset = frozenset() if flags == "-" else frozenset(flags.split(","))
        _check(flagset <= TRIGGER_FLAGS, where, f"flags must be among {sorted(TRIGGER_FLAGS)}")
        _check((lemma, pos) not in triggers, where, f"duplicate trigger {lemma!r} {pos}")
        triggers[(lemma, pos)] = Trigger(lemma, pos, type_, m, float(weight), flagset)
    _, pat_rows = _rows("patterns.tsv")
    patterns: dict[tuple[str, str], list[Pattern]] = {}
    for where, head, pos, relation, args, type_, mode, weight, neg in pat_rows:
        _check(type_ in types or type_ == NO_EVENT, where, f"unknown type {type_!r}")
        m = _opt(mode)
        _check(m is None or (type_, m) in modes, where, f"unknown mode {type_} {m!r}")
        _check(relation in ("obj", "xcomp") or relation.startswith(("prt:", "prep:")), where, "bad relation")
        arguments = frozenset() if args == "*" else frozenset(args.split("|"))
        patterns.setdefault((head, pos), []).append(
            Pattern(head, pos, relation, arguments, type_, m, float(weight), _opt(neg))
        )
    _, cue_rows = _rows("cues.tsv")
    cues = {row[1]: frozenset(" ".join(row[2:]).split()) for row in cue_rows}
    return Lexicon(version=version, types=types, modes=modes, triggers=triggers,
                   patterns=patterns, cues=cues)
