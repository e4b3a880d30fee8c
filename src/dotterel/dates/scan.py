"""Finding temporal expressions in a story and resolving them against the publication date.

Candidates come from the patterns (``patterns.py``, regexes built from the lexicon) run
over the parsed string, and from spaCy's DATE/TIME entities that no pattern
covers. Overlaps keep the longest match. Each pattern has a resolver; the
resolved value is ``(date, precision)`` or ``None`` (kept, unresolved). See
``docs/dates.md`` for every choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..nlp import entities
from .calendar import Value
from .lexicon import WS, DateLexicon, load_lexicon
from .patterns import patterns
from .resolve import POSSESSIVE, Context, Keep, Match

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class Found:
    """A temporal expression in the combined (title + body) string, resolved or not."""

    start: int
    end: int
    value: Value | None


_TRAILING_JUNK = " \t,;:.-–—"
#: Patterns that match a whole calendar day (month and day number, with or without a year).
CALENDAR_DAYS = frozenset({"iso", "month_day_year", "day_month_year", "month_day", "day_month"})
#: Patterns that match a day with its year.
FULL_DAYS = frozenset({"iso", "month_day_year", "day_month_year"})
_LEADING_JUNK = " \t,;:-–—"


def _may_be_a_name(pattern: str, matched: str) -> bool:
    """Whether a date could be part of a name around it ("USA Today", "Vision 2030").

    Names are capitalised and do not hold a whole dated day: a match with a lower-case
    word ("last November", "mid-March") or a day with its year ("March 5, 2024") inside a
    spaCy name entity is the entity's boundary error ("Astana March 5, 2024 ..." as ORG).
    """
    return pattern not in FULL_DAYS and not _LOWER_WORD.search(matched)


_LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z]")


def _spacy_only(ctx: Context, taken: list[tuple[int, int]]) -> list[Found]:
    """DATE/TIME entities no pattern found that still anchor time elsewhere ("days later").

    Kept unresolved when they hold a time unit and an anaphoric cue; durations
    ("two weeks"), ages and frequencies are left out.
    """
    out: list[Found] = []
    if ctx.doc is None:
        return out
    for ent in entities(ctx.doc):
        if ent.label_ not in ("DATE", "TIME"):
            continue
        s, e = ent.start_char, ent.end_char
        if any(s < te and ts < e for ts, te in taken):
            continue
        words = [t.lower_ for t in ent]
        if "old" in words or any(w.endswith("-old") for w in words):
            continue
        if not (set(words) & ctx.lex.anaphoric_cues and set(words) & ctx.lex.time_units):
            continue
        raw = ctx.text[s:e]
        s += len(raw) - len(raw.lstrip(_LEADING_JUNK))
        e -= len(raw) - len(raw.rstrip(_TRAILING_JUNK))
        if e > s:
            out.append(Found(s, e, None))
    return out


def _with_preposition(text: str, found: Found, preps: re.Pattern[str]) -> Found:
    """Widen a span over the preposition right before it ("on Friday", "since 2022")."""
    if POSSESSIVE.match(text, found.end):
        return found  # "during last year's talks": the preposition governs "talks"
    m = preps.search(text, max(0, found.start - 12), found.start)
    if m is None:
        return found
    return Found(m.start(), found.end, found.value)


@lru_cache(maxsize=4)
def _preposition_re(lex: DateLexicon) -> re.Pattern[str]:
    alternatives = "|".join(
        WS.join(re.escape(w) for w in p.split()) for p in sorted(lex.span_prepositions, key=len, reverse=True)
    )
    return re.compile(rf"(?<![A-Za-z])(?i:{alternatives}){WS}\Z")


def find_dates(text: str, pub: date | None, doc: Doc | None, lex: DateLexicon | None = None) -> list[Found]:
    """Every temporal expression in ``text`` (offsets into it), sorted by position.

    ``doc`` (the parse of ``text``) adds spaCy's DATE entities as licences and
    candidates, and the verb tense that decides "on Friday" past or future; it
    may be ``None`` (patterns only, no tense).
    """
    lex = lex if lex is not None else load_lexicon()
    ctx = Context(text, pub, doc, lex)
    hits: list[tuple[int, int, int, Value | None]] = []
    lowered = text.lower()
    for rank, pattern in enumerate(patterns(lex)):
        if pattern.needs is not None and pattern.needs not in lowered:
            continue  # no match can hold its word
        for core in pattern.core.finditer(text):
            start = core.start()
            if start and text[start - 1] in pattern.bad_before:
                continue
            left = None
            if pattern.left is not None and start:
                left = pattern.left.search(text, max(0, start - 24), start)
                if left is not None and left.start() and text[left.start() - 1].isalpha():
                    left = None
            begin = start if left is None else left.start()
            if _may_be_a_name(pattern.name, text[begin : core.end()]) and ctx.in_name(
                begin, core.end(), calendar_day=pattern.name in CALENDAR_DAYS
            ):
                continue
            kept = _resolve_in_calendar(pattern, Match(core, left), ctx)
            if kept is not None:
                hits.append((start if left is None else left.start(), core.end(), rank, kept.value))
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[2], h[0]))
    chosen: list[Found] = []
    taken: list[tuple[int, int]] = []
    for s, e, _rank, value in hits:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        chosen.append(Found(s, e, value))
    chosen.extend(_spacy_only(ctx, taken))
    preps = _preposition_re(lex)
    result = [_with_preposition(text, f, preps) for f in chosen]
    result.sort(key=lambda f: (f.start, f.end))
    return result


def _resolve_in_calendar(pattern: Any, match: Match, ctx: Context) -> Keep | None:
    """``pattern.resolve``, kept unresolved when the date falls outside years 1-9999.

    A publication date at the calendar's ends (0001-01-01, 9999-12-31) with
    "yesterday" or "next week", or "2025 years ago", has no date: the expression
    is kept, unresolved, instead of raising OverflowError or giving year "-001".
    """
    try:
        kept: Keep | None = pattern.resolve(match, ctx)
    except (OverflowError, ValueError):
        return Keep(None)
    if kept is not None and kept.value is not None:
        text = kept.value[0]
        head = text.split("-")[0]
        if not head.isdigit() or not 1 <= int(head) <= 9999:
            return Keep(None)
    return kept
