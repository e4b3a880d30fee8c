"""Finding temporal expressions in a story and resolving them against the publication date.

Candidates come from the patterns below (regexes built from the lexicon) run
over the parsed string, and from spaCy's DATE/TIME entities that no pattern
covers. Overlaps keep the longest match. Each pattern has a resolver; the
resolved value is ``(date, precision)`` or ``None`` (kept, unresolved). See
``docs/dates.md`` for every choice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from .calendar import (
    FUTURE,
    NEAREST,
    PAST,
    Value,
    day,
    day_near,
    month,
    month_near,
    shift_month,
    valid_day,
    week_value,
    weekday_near,
    weekend_value,
    year,
)
from .lexicon import WS, DateLexicon, load_lexicon
from .tense import lean_of_span

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class Found:
    """A temporal expression in the combined (title + body) string, resolved or not."""

    start: int
    end: int
    value: Value | None


@dataclass(frozen=True, slots=True)
class _Keep:
    """A pattern's verdict: keep the match, with this value (``None``: unresolved)."""

    value: Value | None


class _Context:
    """What resolvers read: the text, publication date, parse and lexicon."""

    def __init__(self, text: str, pub: date | None, doc: Doc | None, lexicon: DateLexicon):
        self.text = text
        self.pub = pub
        self.doc = doc
        self.lex = lexicon
        self.entity_ranges: list[tuple[int, int]] = []
        if doc is not None:
            self.entity_ranges = [
                (e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")
            ]

    def in_date_entity(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.entity_ranges)

    def licensed(self, start: int, end: int) -> bool:
        """A bare month or year counts as a date: inside a spaCy DATE entity or after a cue word."""
        if self.in_date_entity(start, end):
            return True
        m = _PREV_WORD.search(self.text, max(0, start - 24), start)
        return m is not None and m.group(1).lower() in self.lex.licensing_words

    def lean(self, start: int, end: int) -> str | None:
        if self.doc is None:
            return None
        return lean_of_span(self.doc, start, end, self.lex)


_PREV_WORD = re.compile(r"([A-Za-z]+)[^\S\n]+\Z")
Resolver = Callable[[re.Match[str], _Context], _Keep | None]


def _core(m: re.Match[str], name: str = "core") -> tuple[int, int]:
    return m.start(name), m.end(name)


# --- resolvers: absolute ---------------------------------------------------


def _iso(m: re.Match[str], ctx: _Context) -> _Keep | None:
    d = valid_day(int(m["y"]), int(m["mo"]), int(m["d"]))
    return _Keep(day(d)) if d else None


def _full_day(m: re.Match[str], ctx: _Context) -> _Keep | None:
    d = valid_day(int(m["y"]), ctx.lex.month_of(m["mon"]), int(m["d"]))
    return _Keep(day(d)) if d else None


def _month_year(m: re.Match[str], ctx: _Context) -> _Keep | None:
    return _Keep(month(int(m["y"]), ctx.lex.month_of(m["mon"])))


def _year(m: re.Match[str], ctx: _Context) -> _Keep | None:
    y = int(m["y"])
    if not 1000 <= y <= 2199:
        return None
    if m["mod"] is None and not ctx.licensed(*_core(m, "y")):
        return None
    return _Keep(year(y))


def _unresolved(m: re.Match[str], ctx: _Context) -> _Keep | None:
    return _Keep(None)


# --- resolvers: relative to the publication date ----------------------------


def _day_month(m: re.Match[str], ctx: _Context) -> _Keep | None:
    mon, dom = ctx.lex.month_of(m["mon"]), int(m["d"])
    if valid_day(2000, mon, dom) is None:  # 2000 is a leap year: Feb 29 exists
        return None
    if ctx.pub is None:
        return _Keep(None)
    lean = ctx.lean(m.start(), m.end()) or NEAREST
    d = day_near(ctx.pub, mon, dom, lean)
    return _Keep(day(d) if d else None)


def _month_rel_year(m: re.Match[str], ctx: _Context) -> _Keep | None:
    if ctx.pub is None:
        return _Keep(None)
    shift = {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    return _Keep(month(ctx.pub.year + shift, ctx.lex.month_of(m["mon"])))


def _rel_month(m: re.Match[str], ctx: _Context) -> _Keep | None:
    if ctx.pub is None:
        return _Keep(None)
    rel, mon = " ".join(m["rel"].lower().split()), ctx.lex.month_of(m["mon"])
    if rel == "this":
        return _Keep(month(ctx.pub.year, mon))
    lean = FUTURE if rel == "next" else PAST
    return _Keep(month(*month_near(ctx.pub, mon, lean, strict=True)))


def _bare_month(m: re.Match[str], ctx: _Context) -> _Keep | None:
    if m["mod"] is None and not ctx.licensed(*_core(m, "mon")):
        return None
    if ctx.pub is None:
        return _Keep(None)
    lean = FUTURE if ctx.lean(m.start(), m.end()) == FUTURE else PAST
    return _Keep(month(*month_near(ctx.pub, ctx.lex.month_of(m["mon"]), lean)))


def _weekday(m: re.Match[str], ctx: _Context) -> _Keep | None:
    if ctx.pub is None:
        return _Keep(None)
    wd = ctx.lex.weekdays[m["wd"]]
    rel = " ".join((m["rel"] or "").lower().split())
    if rel in ("last", "this past"):
        return _Keep(day(weekday_near(ctx.pub, wd, PAST, strict=True)))
    if rel == "next":
        return _Keep(day(weekday_near(ctx.pub, wd, FUTURE, strict=True)))
    lean = ctx.lean(m.start("wd"), m.end("wd"))
    if rel == "this":
        return _Keep(day(weekday_near(ctx.pub, wd, PAST if lean == PAST else FUTURE)))
    if lean == FUTURE:
        return _Keep(day(weekday_near(ctx.pub, wd, FUTURE, strict=True)))
    return _Keep(day(weekday_near(ctx.pub, wd, PAST)))


_DAY_WORDS = {
    "yesterday": -1,
    "today": 0,
    "tonight": 0,
    "tomorrow": 1,
    "last night": -1,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
}


def _day_word(m: re.Match[str], ctx: _Context) -> _Keep | None:
    if ctx.pub is None:
        return _Keep(None)
    shift = _DAY_WORDS[" ".join(m.group(0).lower().split())]
    return _Keep(day(ctx.pub + timedelta(days=shift)))


def _ago(m: re.Match[str], ctx: _Context) -> _Keep | None:
    n = ctx.lex.number(m["n"])
    if n is None:
        return None
    if ctx.pub is None:
        return _Keep(None)
    unit = m["unit"].lower()
    pub = ctx.pub
    if unit == "day":
        return _Keep(day(pub - timedelta(days=n)))
    if unit == "week":
        return _Keep(week_value(pub - timedelta(days=7 * n)))
    if unit == "month":
        return _Keep(month(*shift_month(pub.year, pub.month, -n)))
    if unit == "year":
        return _Keep(year(pub.year - n))
    return _Keep(None)  # decades ago: too coarse for a year


def _rel_unit(m: re.Match[str], ctx: _Context) -> _Keep | None:
    if ctx.pub is None:
        return _Keep(None)
    pub = ctx.pub
    shift = {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    unit = m["unit"].lower()
    if unit == "week":
        return _Keep(week_value(pub + timedelta(days=7 * shift)))
    if unit == "weekend":
        saturday = pub - timedelta(days=pub.weekday()) + timedelta(days=5 + 7 * shift)
        return _Keep(weekend_value(saturday))
    if unit == "month":
        return _Keep(month(*shift_month(pub.year, pub.month, shift)))
    return _Keep(year(pub.year + shift))


def _holiday(m: re.Match[str], ctx: _Context) -> _Keep | None:
    name = m["hol"]
    if not name.endswith(("Day", "Eve")) and not ctx.licensed(m.start(), m.end()):
        return None
    if ctx.pub is None:
        return _Keep(None)
    mon, dom = ctx.lex.holidays[name]
    lean = ctx.lean(m.start(), m.end()) or NEAREST
    d = day_near(ctx.pub, mon, dom, lean)
    return _Keep(day(d) if d else None)


# --- the patterns -------------------------------------------------------------


@lru_cache(maxsize=1)
def patterns() -> tuple[tuple[str, re.Pattern[str], Resolver], ...]:
    """(name, compiled regex, resolver), in order of preference for equal spans."""
    lex = load_lexicon()
    mon = rf"(?P<mon>{lex.month_re})(?![A-Za-z])"
    wd_prefix = rf"(?:{lex.weekday_re},?{WS})?"
    dom = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
    yr = r"(?P<y>[12]\d{3})(?![\d%])"
    mod = rf"(?P<mod>(?i:early|mid|late|the{WS}(?:end|beginning|start|middle){WS}of)(?:-|{WS}))"
    rel3 = r"(?P<rel>(?i:last|this|next))"
    num = lex.number_re
    b = r"(?<![A-Za-z0-9])"
    e = r"(?![A-Za-z])"
    specs: list[tuple[str, str, Resolver]] = [
        ("iso", r"(?<![\d-])(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?![\d-])", _iso),
        ("month_day_year", rf"{b}{wd_prefix}{mon}\.?{WS}{dom},?{WS}{yr}", _full_day),
        ("day_month_year", rf"{b}{wd_prefix}{dom}{WS}(?:of{WS})?{mon}\.?,?{WS}{yr}", _full_day),
        ("month_year", rf"{b}{mod}?{mon}\.?,?{WS}(?:of{WS})?{yr}", _month_year),
        ("month_rel_year", rf"{b}{mod}?{mon}\.?{WS}(?:of{WS})?{rel3}{WS}(?i:year){e}", _month_rel_year),
        ("rel_month", rf"{b}{mod}?(?P<rel>(?i:last|next|this{WS}past|this)){WS}{mon}", _rel_month),
        ("month_day", rf"{b}{wd_prefix}{mon}\.?{WS}{dom}(?![\d:])", _day_month),
        ("day_month", rf"(?<![\d.,$£€]){dom}{WS}(?:of{WS})?{mon}", _day_month),
        ("decade", rf"{b}(?:(?i:the){WS})?{mod}?(?:[12]\d{{2}}0|['’]\d0)s{e}", _unresolved),
        (
            "century",
            rf"{b}(?:(?i:the){WS})?{mod}?\d{{1,2}}(?:st|nd|rd|th){WS}(?i:century|centuries){e}",
            _unresolved,
        ),
        ("year", rf"{b}{mod}?(?<![\d$£€.,#]){yr}(?!s{e}|,\d|\.\d)", _year),
        ("holiday", rf"{b}(?P<hol>{lex.holiday_re}){e}", _holiday),
        ("month", rf"{b}{mod}?{mon}(?![\w'’])", _bare_month),
        (
            "weekday",
            rf"{b}(?:(?P<rel>(?i:last|next|this{WS}past|this|early|late)){WS})?"
            rf"(?P<wd>{lex.weekday_re})(?:{WS}(?i:morning|afternoon|evening|night))?(?![A-Za-z])",
            _weekday,
        ),
        (
            "day_word",
            rf"{b}(?i:the{WS}day{WS}(?:before{WS}yesterday|after{WS}tomorrow)|yesterday|today"
            rf"|tomorrow|tonight|last{WS}night|this{WS}(?:morning|afternoon|evening)){e}",
            _day_word,
        ),
        (
            "ago",
            rf"{b}(?:(?i:about|nearly|almost|some|just|only|roughly|around|over|more{WS}than)"
            rf"{WS})?(?P<n>{num}){WS}(?P<unit>(?i:day|week|month|year|decade))(?i:s)?{WS}(?i:ago){e}",
            _ago,
        ),
        (
            "vague_ago",
            rf"{b}(?:(?i:a{WS}few|several|many|some|a{WS}couple{WS}of){WS})?"
            rf"(?i:days|weeks|months|years|decades){WS}(?i:ago){e}",
            _unresolved,
        ),
        (
            "rel_unit",
            rf"{b}(?:(?i:earlier|later|early|late|the{WS}(?:end|beginning|start|middle){WS}of)"
            rf"{WS}|(?i:mid)-)?{rel3}{WS}(?P<unit>(?i:week|weekend|month|year)){e}",
            _rel_unit,
        ),
        (
            "vague",
            rf"{b}(?:(?i:the){WS})?(?i:recent|past|last|coming|next|following|previous|upcoming"
            rf"|this{WS}past){WS}(?:(?i:few|several|couple{WS}of|{num}){WS})?"
            rf"(?i:days|weeks|months|years|decades|day|week|month|year|decade){e}",
            _unresolved,
        ),
    ]
    return tuple((name, re.compile(rx), fn) for name, rx, fn in specs)


_TRAILING_JUNK = " \t,;:.-–—"
_LEADING_JUNK = " \t,;:-–—"


def _spacy_only(ctx: _Context, taken: list[tuple[int, int]]) -> list[Found]:
    """DATE/TIME entities no pattern found that still anchor time elsewhere ("days later").

    Kept unresolved when they hold a time unit and an anaphoric cue; durations
    ("two weeks"), ages and frequencies are left out.
    """
    out: list[Found] = []
    if ctx.doc is None:
        return out
    for ent in ctx.doc.ents:
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


_POSSESSIVE = re.compile(r"['’]s?(?![A-Za-z])")


def _with_preposition(text: str, found: Found, preps: re.Pattern[str]) -> Found:
    """Widen a span over the preposition right before it ("on Friday", "since 2022")."""
    if _POSSESSIVE.match(text, found.end):
        return found  # "during last year's talks": the preposition governs "talks"
    m = preps.search(text, max(0, found.start - 12), found.start)
    if m is None:
        return found
    return Found(m.start(), found.end, found.value)


@lru_cache(maxsize=1)
def _preposition_re() -> re.Pattern[str]:
    lex = load_lexicon()
    alternatives = "|".join(
        WS.join(re.escape(w) for w in p.split()) for p in sorted(lex.span_prepositions, key=len, reverse=True)
    )
    return re.compile(rf"(?<![A-Za-z])(?i:{alternatives}){WS}\Z")


def find_dates(text: str, pub: date | None, doc: Doc | None) -> list[Found]:
    """Every temporal expression in ``text`` (offsets into it), sorted by position.

    ``doc`` (the parse of ``text``) adds spaCy's DATE entities as licences and
    candidates, and the verb tense that decides "on Friday" past or future; it
    may be ``None`` (patterns only, no tense).
    """
    ctx = _Context(text, pub, doc, load_lexicon())
    hits: list[tuple[int, int, int, Value | None]] = []
    for rank, (_name, rx, resolve) in enumerate(patterns()):
        for m in rx.finditer(text):
            kept = resolve(m, ctx)
            if kept is not None:
                hits.append((m.start(), m.end(), rank, kept.value))
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[2], h[0]))
    chosen: list[Found] = []
    taken: list[tuple[int, int]] = []
    for s, e, _rank, value in hits:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        chosen.append(Found(s, e, value))
    chosen.extend(_spacy_only(ctx, taken))
    preps = _preposition_re()
    result = [_with_preposition(text, f, preps) for f in chosen]
    result.sort(key=lambda f: (f.start, f.end))
    return result
