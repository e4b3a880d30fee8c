"""The event coder's knowledge: PLOVER types, modes, trigger words, patterns and cue lists.

All of it lives in tab-separated files under ``dotterel/data/events/`` (format in
``docs/events.md``); :func:`load_lexicon` reads them once per process and layer setting.

Two layers of triggers and patterns: the tables imported from the CAMEO verb dictionary
(``cameo_*.tsv``, built by ``scripts/build_event_lexicon.py``) and the hand-written overrides
(``triggers.tsv``, ``patterns.tsv``), which win where both know a word. ``layers`` (or the
environment variable ``DOTTEREL_EVENT_LAYERS``) picks ``both`` (default), ``imported`` or
``overrides``.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ..datafiles import check, read_tsv
from ..ontology import PLOVER_TYPES as PLOVER_TYPES  # re-exported: older imports
from ..ontology import QUADS as QUADS
from ..ontology import TypeInfo as TypeInfo
from ..ontology import ontology

#: Flags a trigger line may carry (see triggers.tsv).
TRIGGER_FLAGS = frozenset({"frame", "polar", "order", "recip", "inverse", "joint", "needs", "patient", "conflict"})
#: The pattern "type" that means: this head with this argument is no event ("released a report").
NO_EVENT = "NONE"
#: Parts of speech of trigger lines: verb, noun, adjective.
TRIGGER_POS = frozenset({"V", "N", "A"})
#: Layer settings of :func:`load_lexicon`.
LAYERS = ("both", "imported", "overrides")
#: The environment variable that sets the default layers.
LAYERS_ENV = "DOTTEREL_EVENT_LAYERS"
#: Weights of imported entries, below the surest hand-checked overrides (up to 0.9): a verb whose
#: CAMEO code is a specific act (a leaf such as 111 "criticize", 1822 "torture") above a verb coded
#: only with a category (xx0: 110 "disapprove", 190 "use military force"); a pattern (verb with
#: its argument) at the category level; a noun CAMEO uses as an event (an event synset's word, the
#: object of "launch"/"hold") above a noun made from a verb by its suffix.
IMPORTED_WEIGHT = {"pattern": 0.6, "verb": 0.55, "verb_specific": 0.7, "verb_majority": 0.5,
                   "noun": 0.45, "event_noun": 0.6}


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger lexicon entry: what the word means as an event."""

    lemma: str
    pos: str
    type: str
    mode: str | None
    weight: float
    flags: frozenset[str]
    imported: bool = False


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
    #: further constraints that must hold too ("* ATTEMPT (ON LIFE)"): (relation, arguments)
    extra: tuple[tuple[str, frozenset[str]], ...] = ()
    #: multi-word arguments as (head, modifiers): "humanitarian aid" -> ("aid", {"humanitarian"})
    phrases: tuple[tuple[str, frozenset[str]], ...] = ()
    imported: bool = False

    def matches(self, lemma: str) -> bool:
        return not self.arguments or lemma in self.arguments


@dataclass(frozen=True, slots=True)
class PatternIndex:
    """A head's patterns in their order, with the positions of those that name an argument
    lemma under (relation, lemma), and of those that any argument may satisfy (no argument
    list, or multi-word arguments): a token's arcs select the few patterns worth testing."""

    patterns: tuple[Pattern, ...]
    by_key: dict[tuple[str, str], tuple[int, ...]]
    always: tuple[int, ...]

    @classmethod
    def build(cls, pats: list[Pattern]) -> PatternIndex:
        by_key: dict[tuple[str, str], list[int]] = {}
        always: list[int] = []
        for i, pat in enumerate(pats):
            if not pat.arguments or pat.phrases:
                always.append(i)
                continue
            for arg in pat.arguments:
                by_key.setdefault((pat.relation, arg), []).append(i)
        return cls(tuple(pats), {k: tuple(v) for k, v in by_key.items()}, tuple(always))


@dataclass
class Lexicon:
    """Everything the event coder knows, loaded from ``data/events``."""

    version: str
    types: dict[str, TypeInfo]
    modes: dict[tuple[str, str], tuple[float, str]]
    triggers: dict[tuple[str, str], Trigger]
    patterns: dict[tuple[str, str], list[Pattern]]
    cues: dict[str, frozenset[str]] = field(default_factory=dict)
    layers: str = "both"
    _verb_lemmas: frozenset[str] | None = field(default=None, repr=False)
    _compound_heads: frozenset[str] | None = field(default=None, repr=False)
    _pattern_index: dict[tuple[str, str], PatternIndex | None] = field(default_factory=dict, repr=False)

    @property
    def compound_heads(self) -> frozenset[str]:
        """Last words of two-word noun triggers and of the cue list of non-event compounds:
        the nouns whose modifiers need a look ("hunger strike", "press release")."""
        if self._compound_heads is None:
            words = {t.lemma.split()[-1] for t in self.triggers.values() if t.pos == "N" and " " in t.lemma}
            words |= {w.split("_")[-1] for w in self.cue("non_event_noun")}
            self._compound_heads = frozenset(words)
        return self._compound_heads

    @property
    def verb_lemmas(self) -> frozenset[str]:
        """Every verb lemma the lexicon knows (triggers, pattern heads, light/transparent/speech)."""
        if self._verb_lemmas is None:
            words = {t.lemma.split()[0] for t in self.triggers.values() if t.pos == "V"}
            words |= {head.split()[0] for head, pos in self.patterns if pos == "V"}
            for name in ("light", "transparent", "speech", "hyp_verb", "neg_verb", "undergo"):
                words |= self.cue(name)
            self._verb_lemmas = frozenset(words)
        return self._verb_lemmas

    def trigger(self, lemma: str, pos: str) -> Trigger | None:
        """The trigger entry for ``lemma`` ("call for", "hunger strike") as ``pos`` (V/N/A)."""
        return self.triggers.get((lemma, pos))

    def patterns_for(self, head: str, pos: str) -> list[Pattern]:
        return self.patterns.get((head, pos), [])

    def pattern_index(self, head: str, pos: str) -> PatternIndex | None:
        """The head's patterns indexed by (relation, argument lemma), built once per head."""
        key = (head, pos)
        if key not in self._pattern_index:
            pats = self.patterns.get(key)
            self._pattern_index[key] = None if not pats else PatternIndex.build(pats)
        return self._pattern_index[key]

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


def _rows(name: str, columns: int = 1) -> tuple[str, list[list[str]]]:
    """Rows of a data file as ``[file:line, cell, ...]`` (at least ``columns`` cells, else a
    :class:`~dotterel.datafiles.DataFileError` naming the line), and the file's version string."""
    table = read_tsv(f"events/{name}", min_cols=columns)
    return table.version, [[row.where, *row.cells] for row in table]


def _opt(value: str) -> str | None:
    return None if value in ("", "-") else value


_check = check


def load_lexicon(layers: str | None = None) -> Lexicon:
    """The event lexicon with ``layers`` ``both`` (default, or ``$DOTTEREL_EVENT_LAYERS``),
    ``imported`` (CAMEO tables only) or ``overrides`` (hand tables only); read once per setting.
    Raises ValueError naming a bad line or an unknown setting."""
    chosen = layers or os.environ.get(LAYERS_ENV) or "both"
    if chosen not in LAYERS:
        raise ValueError(f"event lexicon layers must be one of {LAYERS}, not {chosen!r}")
    return _load(chosen)


def _pattern(where: str, head: str, pos: str, relation: str, args: str, type_: str, mode: str,
             weight: float, neg: str | None, types: dict[str, TypeInfo],
             modes: dict[tuple[str, str], tuple[float, str]], extra: str = "-", imported: bool = False) -> Pattern:
    _check(type_ in types or type_ == NO_EVENT, where, f"unknown type {type_!r}")
    m = _opt(mode)
    _check(m is None or (type_, m) in modes, where, f"unknown mode {type_} {m!r}")
    _check(relation in ("obj", "xcomp") or relation.startswith(("prt:", "prep:")), where, "bad relation")
    arguments = frozenset() if args == "*" else frozenset(args.split("|"))
    extras: list[tuple[str, frozenset[str]]] = []
    if extra != "-":
        rel, _, vals = extra.partition("=")
        _check(rel == "obj" or rel.startswith(("prt:", "prep:")), where, "bad extra relation")
        extras.append((rel, frozenset() if vals == "*" else frozenset(vals.split("|"))))
    phrases = tuple(sorted((a.split()[-1], frozenset(a.split()[:-1])) for a in arguments if " " in a))
    return Pattern(head, pos, relation, arguments, type_, m, weight, neg, tuple(extras), phrases, imported)


def _specific_first(pat: Pattern) -> tuple[int, int]:
    """Order of imported patterns: more parts first, then named arguments before "any"."""
    return (0 if pat.extra else 1, 1 if not pat.arguments else 0)


@lru_cache(maxsize=3)
def _load(layers: str) -> Lexicon:
    plover = ontology()
    version, types, modes = plover.version, dict(plover.types), dict(plover.modes)
    triggers: dict[tuple[str, str], Trigger] = {}
    patterns: dict[tuple[str, str], list[Pattern]] = {}
    if layers in ("both", "overrides"):
        _, trig_rows = _rows("triggers.tsv", 6)
        for where, lemma, pos, type_, mode, weight, flags, *_reason in trig_rows:
            trig = _trigger(where, lemma, pos, type_, mode, float(weight), flags, types, modes)
            _check((lemma, pos) not in triggers, where, f"duplicate trigger {lemma!r} {pos}")
            triggers[(lemma, pos)] = trig
        _, pat_rows = _rows("patterns.tsv", 8)
        for where, head, pos, relation, args, type_, mode, weight, neg, *_reason in pat_rows:
            patterns.setdefault((head, pos), []).append(
                _pattern(where, head, pos, relation, args, type_, mode, float(weight), _opt(neg), types, modes))
    _, cue_rows = _rows("cues.tsv", 1)
    cues = {row[1]: frozenset(" ".join(row[2:]).split()) for row in cue_rows}
    if layers in ("both", "imported"):
        _add_imported(triggers, patterns, types, modes, cues.get("transparent", frozenset()))
    return Lexicon(version=version, types=types, modes=modes, triggers=triggers,
                   patterns=patterns, cues=cues, layers=layers)


def _trigger(where: str, lemma: str, pos: str, type_: str, mode: str, weight: float, flags: str,
             types: dict[str, TypeInfo], modes: dict[tuple[str, str], tuple[float, str]],
             imported: bool = False) -> Trigger:
    _check(pos in TRIGGER_POS, where, f"pos must be one of {sorted(TRIGGER_POS)}")
    _check(type_ in types, where, f"unknown type {type_!r}")
    m = _opt(mode)
    _check(m is None or (type_, m) in modes, where, f"unknown mode {type_} {m!r}")
    flagset = frozenset() if flags == "-" else frozenset(flags.split(","))
    _check(flagset <= TRIGGER_FLAGS, where, f"flags must be among {sorted(TRIGGER_FLAGS)}")
    return Trigger(lemma, pos, type_, m, weight, flagset, imported)


def _add_imported(triggers: dict[tuple[str, str], Trigger], patterns: dict[tuple[str, str], list[Pattern]],
                  types: dict[str, TypeInfo], modes: dict[tuple[str, str], tuple[float, str]],
                  transparent: frozenset[str]) -> None:
    """Add the CAMEO tables under the overrides: a trigger the overrides know keeps the override;
    a verb's imported patterns (its blocks') are tried after the override patterns. Transparent
    verbs ("continue", "try") get none: their complement is the event ("continued their attacks")."""
    by_block: dict[str, list[Pattern]] = {}
    _, rows = _rows("cameo_patterns.tsv", 8)
    for where, block, relation, args, extra, _cameo, type_, mode, _source in rows:
        by_block.setdefault(block, []).append(
            _pattern(where, block, "V", relation, args, type_, mode, IMPORTED_WEIGHT["pattern"], None,
                     types, modes, extra, imported=True))
    for pats in by_block.values():
        pats.sort(key=_specific_first)
    _, rows = _rows("cameo_verbs.tsv", 6)
    blocks_of: dict[str, list[str]] = {}
    block_codes: dict[str, Counter[str]] = {}
    own_type: dict[str, str] = {}  # verbs CAMEO codes apart from their block ("arrest" 173 in [171])
    for _where, _lemma, block, cameo, *_rest in rows:
        block_codes.setdefault(block, Counter())[cameo] += 1
    for where, lemma, block, cameo, type_, mode, flags in rows:
        blocks_of.setdefault(lemma, []).append(block)
        if type_ != "-" and cameo != block_codes[block].most_common(1)[0][0]:
            own_type[lemma] = type_
        if type_ != "-" and (lemma, "V") not in triggers:
            # "~120": the type of most of the block's patterns (the block codes no bare verb)
            kind = "verb_majority" if cameo.startswith("~") else "verb" if cameo.endswith("0") else "verb_specific"
            weight = IMPORTED_WEIGHT[kind]
            triggers[(lemma, "V")] = _trigger(where, lemma, "V", type_, mode, weight, flags,
                                              types, modes, imported=True)
    for lemma, blocks in blocks_of.items():
        imported = [p for b in sorted(set(blocks)) for p in by_block.get(b, [])]
        if lemma in own_type:
            # the block's patterns were written for its other verbs' sense ("seize * hostage"):
            # a verb with its own code keeps only those that agree with it or say "no event"
            imported = [p for p in imported if p.type in (own_type[lemma], NO_EVENT)]
        if not imported or lemma in transparent:
            continue
        if ((lemma, "V") in triggers and not triggers[(lemma, "V")].imported) or (lemma, "V") in patterns:
            # a hand-checked head: only imported patterns that name their argument are more specific
            imported = [p for p in imported if p.arguments]
        own = patterns.get((lemma, "V"))
        patterns[(lemma, "V")] = imported if own is None else [*own, *imported]
    _, rows = _rows("cameo_nouns.tsv", 6)
    for where, lemma, type_, mode, flags, _cameo, origin in rows:
        if (lemma, "N") not in triggers:
            weight = IMPORTED_WEIGHT["noun" if origin.startswith("nominalisation") else "event_noun"]
            triggers[(lemma, "N")] = _trigger(where, lemma, "N", type_, mode, weight, flags,
                                              types, modes, imported=True)
