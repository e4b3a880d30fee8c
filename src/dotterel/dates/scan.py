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
    PRESENT,
    RECENT,
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
        self.name_ranges: list[tuple[int, int]] = []
        if doc is not None:
            self.name_ranges = [
                (e.start_char, e.end_char) for e in doc.ents if e.label_ in _NAME_LABELS
            ]
            self.entity_ranges = [
                (e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")
            ]

    def in_name(self, start: int, end: int) -> bool:
        """Inside a name spaCy found ("USA Today", "Fox News Sunday"): not a date."""
        return any(s <= start and end <= e for s, e in self.name_ranges)

    def after_since(self, start: int) -> bool:
        m = _PREV_WORD.search(self.text, max(0, start - 24), start)
        return m is not None and m.group(1).lower() == "since"

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
        body_start = self.doc.user_data.get("body_start", 0) or 0
        return lean_of_span(self.doc, start, end, self.lex, body_start=body_start)


#: spaCy entity labels whose spans are names, not dates, even when they hold one.
_NAME_LABELS = frozenset({"ORG", "WORK_OF_ART", "PRODUCT", "FAC", "LAW", "PERSON"})
_PREV_WORD = re.compile(r"([A-Za-z]+)[^\S\n]+\Z")


class _Match:
    """A pattern's core match and the optional left context before it ("last", "early ")."""

    __slots__ = ("core", "left")

    def __init__(self, core: re.Match[str], left: re.Match[str] | None):
        self.core = core
        self.left = left

    def __getitem__(self, name: str) -> str | None:
        if name in self.core.re.groupindex and self.core.group(name) is not None:
            return self.core.group(name)
        if self.left is not None and name in self.left.re.groupindex:
            return self.left.group(name)
        return None

    def req(self, name: str) -> str:
        value = self[name]
        if value is None:
            raise KeyError(name)
        return value

    def start(self, name: str | int = 0) -> int:
        return self.core.start(name)

    def end(self, name: str | int = 0) -> int:
        return self.core.end(name)

    def group(self, name: str | int = 0) -> str:
        return self.core.group(name)


Resolver = Callable[[_Match, _Context], _Keep | None]


def _core(m: _Match, name: str) -> tuple[int, int]:
    return m.start(name), m.end(name)


# --- resolvers: absolute ---------------------------------------------------


def _iso(m: _Match, ctx: _Context) -> _Keep | None:
    d = valid_day(int(m.req("y")), int(m.req("mo")), int(m.req("d")))
    return _Keep(day(d)) if d else None


def _full_day(m: _Match, ctx: _Context) -> _Keep | None:
    d = valid_day(int(m.req("y")), ctx.lex.month_of(m.req("mon")), int(m.req("d")))
    return _Keep(day(d)) if d else None


def _month_year(m: _Match, ctx: _Context) -> _Keep | None:
    return _Keep(month(int(m.req("y")), ctx.lex.month_of(m.req("mon"))))


def _year(m: _Match, ctx: _Context) -> _Keep | None:
    y = int(m.req("y"))
    if not 1000 <= y <= 2199:
        return None
    if m["mod"] is None and not ctx.licensed(*_core(m, "y")):
        return None
    return _Keep(year(y))


def _unresolved(m: _Match, ctx: _Context) -> _Keep | None:
    return _Keep(None)


# --- resolvers: relative to the publication date ----------------------------


#: How a day without a year ("March 5", "Christmas") leans, by the tense around it.
_DAY_LEAN = {FUTURE: FUTURE, PRESENT: NEAREST}


def _day_month(m: _Match, ctx: _Context) -> _Keep | None:
    mon, dom = ctx.lex.month_of(m.req("mon")), int(m.req("d"))
    if valid_day(2000, mon, dom) is None:  # 2000 is a leap year: Feb 29 exists
        return None
    if ctx.pub is None:
        return _Keep(None)
    if ctx.after_since(m.start()):
        lean = PAST
    else:
        lean = _DAY_LEAN.get(ctx.lean(m.start(), m.end()) or PAST, RECENT)
    d = day_near(ctx.pub, mon, dom, lean)
    return _Keep(day(d) if d else None)


def _month_rel_year(m: _Match, ctx: _Context) -> _Keep | None:
    if ctx.pub is None:
        return _Keep(None)
    shift = {"last": -1, "this": 0, "next": 1}[m.req("rel").lower()]
    return _Keep(month(ctx.pub.year + shift, ctx.lex.month_of(m.req("mon"))))


def _rel_month(m: _Match, ctx: _Context) -> _Keep | None:
    if ctx.pub is None:
        return _Keep(None)
    rel, mon = " ".join(m.req("rel").lower().split()), ctx.lex.month_of(m.req("mon"))
    if rel == "this":
        return _Keep(month(ctx.pub.year, mon))
    lean = FUTURE if rel == "next" else PAST
    return _Keep(month(*month_near(ctx.pub, mon, lean, strict=True)))


def _bare_month(m: _Match, ctx: _Context) -> _Keep | None:
    if m["mod"] is None and not ctx.licensed(*_core(m, "mon")):
        return None
    if ctx.pub is None:
        return _Keep(None)
    lean = ctx.lean(m.start(), m.end())
    lean = {PRESENT: NEAREST, FUTURE: FUTURE}.get(lean or PAST, PAST)
    return _Keep(month(*month_near(ctx.pub, ctx.lex.month_of(m.req("mon")), lean)))


def _weekday(m: _Match, ctx: _Context) -> _Keep | None:
    if ctx.pub is None:
        return _Keep(None)
    wd = ctx.lex.weekdays[m.req("wd")]
    rel = " ".join((m["rel"] or "").lower().split())
    if rel in ("last", "this past"):
        return _Keep(day(weekday_near(ctx.pub, wd, PAST, strict=True)))
    if rel == "next":
        return _Keep(day(weekday_near(ctx.pub, wd, FUTURE, strict=True)))
    lean = ctx.lean(m.start(), m.end())
    if rel == "this":
        return _Keep(day(weekday_near(ctx.pub, wd, PAST if lean == PAST else FUTURE)))
    if lean == FUTURE:
        # on or after: in wire copy "will announce plans Friday" in a Friday story is that day
        return _Keep(day(weekday_near(ctx.pub, wd, FUTURE)))
    if lean == PRESENT and _POSSESSIVE.match(ctx.text, m.end()):
        lean = PAST  # "during Monday's debate": a named day is mostly a past one
    if lean == PRESENT:
        return _Keep(day(weekday_near(ctx.pub, wd, NEAREST)))
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


_CAPITALIZED_BEFORE = re.compile(r"[A-Z][A-Za-z.]*[^\S\n]+\Z")


def _day_word(m: _Match, ctx: _Context) -> _Keep | None:
    start = m.start()
    in_title = ctx.doc is not None and start < (ctx.doc.user_data.get("body_start", 0) or 0)
    if not in_title and m.group(0)[0].isupper() and _CAPITALIZED_BEFORE.search(ctx.text, max(0, start - 30), start):
        before = ctx.text[max(0, start - 30) : start].rstrip()
        if before and before[-1].isalpha():
            return None  # a name: "USA Today", "Russia Today", "The Tonight Show"
    if ctx.pub is None:
        return _Keep(None)
    shift = _DAY_WORDS[" ".join(m.group(0).lower().split())]
    return _Keep(day(ctx.pub + timedelta(days=shift)))


def _ago(m: _Match, ctx: _Context) -> _Keep | None:
    n = ctx.lex.number(m.req("n"))
    if n is None:
        return None
    if ctx.pub is None:
        return _Keep(None)
    unit = m.req("unit").lower()
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


def _rel_unit(m: _Match, ctx: _Context) -> _Keep | None:
    if ctx.pub is None:
        return _Keep(None)
    pub = ctx.pub
    rel = " ".join(m.req("rel").lower().split())
    unit = m.req("unit").lower()
    if rel == "this past":
        if unit != "weekend":
            return _Keep(None)  # "this past week/month/year": the span up to now
        return _Keep(weekend_value(weekday_near(pub, 5, PAST, strict=True)))
    shift = {"last": -1, "this": 0, "next": 1}[rel]
    if unit == "week":
        return _Keep(week_value(pub + timedelta(days=7 * shift)))
    if unit == "weekend":
        saturday = pub - timedelta(days=pub.weekday()) + timedelta(days=5 + 7 * shift)
        return _Keep(weekend_value(saturday))
    if unit == "month":
        return _Keep(month(*shift_month(pub.year, pub.month, shift)))
    return _Keep(year(pub.year + shift))


def _the_weekend(m: _Match, ctx: _Context) -> _Keep | None:
    if m["prep"] is None:
        return None  # "the weekend" needs "over/during/at/on the weekend"
    if ctx.pub is None:
        return _Keep(None)
    lean = FUTURE if ctx.lean(m.start(), m.end()) == FUTURE else PAST
    return _Keep(weekend_value(weekday_near(ctx.pub, 5, lean)))


#: Northern-hemisphere seasons: first and last month. Winter spans two years: left unresolved.
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11)}


def _season(m: _Match, ctx: _Context) -> _Keep | None:
    if ctx.pub is None:
        return _Keep(None)
    rel, season = m.req("rel").lower(), m.req("season").lower()
    if season not in _SEASONS:
        return _Keep(None)
    first, last = _SEASONS[season]
    pub = ctx.pub
    if rel == "this":
        return _Keep(year(pub.year))
    if rel == "last":
        return _Keep(year(pub.year if pub.month > last else pub.year - 1))
    return _Keep(year(pub.year if pub.month < first else pub.year + 1))


def _holiday(m: _Match, ctx: _Context) -> _Keep | None:
    name = m.req("hol")
    if not name.endswith(("Day", "Eve")) and not ctx.licensed(m.start(), m.end()):
        return None
    if ctx.pub is None:
        return _Keep(None)
    mon, dom = ctx.lex.holidays[name]
    if ctx.after_since(m.start()):
        lean = PAST
    else:
        lean = _DAY_LEAN.get(ctx.lean(m.start(), m.end()) or PAST, RECENT)
    d = day_near(ctx.pub, mon, dom, lean)
    return _Keep(day(d) if d else None)


# --- the patterns -------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """A core regex (starting with a literal, so the regex engine skips ahead fast), the
    optional context allowed right before it, the characters that may not precede the
    whole match, and the resolver."""

    name: str
    core: re.Pattern[str]
    left: re.Pattern[str] | None
    bad_before: str
    resolve: Resolver


def _cased(words: list[str]) -> str:
    """An alternation of words in lower case and Capitalized ("last|Last")."""
    forms = sorted({w for word in words for w in (word, word[:1].upper() + word[1:])}, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(f).replace(r"\ ", WS) for f in forms) + ")"


@lru_cache(maxsize=1)
def patterns() -> tuple[Pattern, ...]:
    """The patterns, in order of preference for equal spans."""
    lex = load_lexicon()
    mon = rf"(?P<mon>{lex.month_re})(?![A-Za-z])"
    dom = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
    yr = r"(?P<y>[12]\d{3})(?![\d%])"
    num = "(?:\\d{1,4}|" + _cased(sorted(lex.number_words)) + ")"
    mod = rf"(?P<mod>{_cased(['early', 'mid', 'late', 'the end of', 'the beginning of', 'the start of', 'the middle of'])})(?:-|{WS})\Z"
    the_mod = rf"(?:(?:{_cased(['the'])}{WS})?{mod[:-2]}|{_cased(['the'])}{WS})\Z"
    weekday_prefix = rf"{lex.weekday_re},?{WS}\Z"
    e = r"(?![A-Za-z])"
    alnum = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    specs: list[tuple[str, str, str | None, str, Resolver]] = [
        ("iso", r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?![\d-])", None, alnum + "-", _iso),
        ("month_day_year", rf"{mon}\.?{WS}{dom},?{WS}{yr}", weekday_prefix, alnum, _full_day),
        ("day_month_year", rf"{dom}{WS}(?:of{WS})?{mon}\.?,?{WS}{yr}", weekday_prefix, alnum + ".,", _full_day),
        ("month_year", rf"{mon}\.?,?{WS}(?:of{WS})?{yr}", mod, alnum, _month_year),
        ("month_rel_year", rf"{mon}\.?{WS}(?:of{WS})?(?P<rel>(?i:last|this|next)){WS}(?i:year){e}", mod, alnum, _month_rel_year),
        ("rel_month", rf"(?P<rel>{_cased(['last', 'next', 'this past', 'this'])}){WS}{mon}", mod, alnum, _rel_month),
        ("month_day", rf"{mon}\.?{WS}{dom}(?![\d:])", weekday_prefix, alnum, _day_month),
        ("day_month", rf"{dom}{WS}(?:of{WS})?{mon}", None, alnum + ".,$£€", _day_month),
        ("decade", rf"(?:[12]\d{{2}}0|['’]\d0)s{e}", the_mod, alnum, _unresolved),
        ("century", rf"\d{{1,2}}(?:st|nd|rd|th){WS}(?i:century|centuries){e}", the_mod, alnum, _unresolved),
        ("year", rf"{yr}(?!s{e}|,\d|\.\d)", mod, alnum + "$£€.,#", _year),
        ("holiday", rf"(?P<hol>{lex.holiday_re}){e}", None, alnum, _holiday),
        ("month", rf"{mon}(?![\w'’])", mod, alnum, _bare_month),
        (
            "weekday",
            rf"(?P<wd>{lex.weekday_re})(?:{WS}(?i:morning|afternoon|evening|night))?{e}",
            rf"(?P<rel>{_cased(['last', 'next', 'this past', 'this', 'early', 'late', 'earlier', 'later'])}){WS}\Z",
            alnum,
            _weekday,
        ),
        (
            "day_word",
            _cased(["yesterday", "today", "tomorrow", "tonight", "last night", "this morning",
                    "this afternoon", "this evening", "the day before yesterday",
                    "the day after tomorrow"]) + e,
            None,
            alnum,
            _day_word,
        ),
        (
            "ago",
            rf"(?P<n>{num}){WS}(?P<unit>(?i:day|week|month|year|decade))(?i:s)?{WS}(?i:ago){e}",
            _cased(["about", "nearly", "almost", "some", "just", "only", "roughly", "around",
                    "over", "more than"]) + rf"{WS}\Z",
            alnum,
            _ago,
        ),
        (
            "vague_ago",
            _cased(["days", "weeks", "months", "years", "decades"]) + rf"{WS}(?i:ago){e}",
            _cased(["a few", "several", "many", "some", "a couple of"]) + rf"{WS}\Z",
            alnum,
            _unresolved,
        ),
        (
            "rel_unit",
            rf"(?P<rel>{_cased(['last', 'this past', 'this', 'next'])}){WS}(?P<unit>(?i:week|weekend|month|year)){e}",
            rf"(?:{_cased(['earlier', 'later', 'early', 'late', 'the end of', 'the beginning of', 'the start of', 'the middle of'])}{WS}|{_cased(['mid'])}-)\Z",
            alnum,
            _rel_unit,
        ),
        (
            "the_weekend",
            rf"{_cased(['the'])}{WS}(?i:weekend){e}",
            rf"(?P<prep>{_cased(['over', 'during', 'at', 'on', 'through'])}){WS}\Z",
            alnum,
            _the_weekend,
        ),
        (
            "season",
            rf"(?P<rel>{_cased(['last', 'this', 'next'])}){WS}(?P<season>(?i:spring|summer|fall|autumn|winter)){e}",
            None,
            alnum,
            _season,
        ),
        (
            "vague",
            _cased(["recent", "past", "last", "coming", "next", "following", "previous", "upcoming"])
            + rf"{WS}(?:(?:few|several|couple{WS}of|{num}){WS})?"
            + rf"(?i:days|weeks|months|years|decades|day|week|month|year|decade){e}",
            rf"{_cased(['the', 'this'])}{WS}\Z",
            alnum,
            _unresolved,
        ),
    ]
    return tuple(
        Pattern(name, re.compile(core), None if left is None else re.compile(left), bad, fn)
        for name, core, left, bad, fn in specs
    )


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
    for rank, pattern in enumerate(patterns()):
        for core in pattern.core.finditer(text):
            start = core.start()
            if start and text[start - 1] in pattern.bad_before:
                continue
            left = None
            if pattern.left is not None and start:
                left = pattern.left.search(text, max(0, start - 24), start)
                if left is not None and left.start() and text[left.start() - 1].isalpha():
                    left = None
            if ctx.in_name(start, core.end()):
                continue
            kept = pattern.resolve(_Match(core, left), ctx)
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
    preps = _preposition_re()
    result = [_with_preposition(text, f, preps) for f in chosen]
    result.sort(key=lambda f: (f.start, f.end))
    return result
