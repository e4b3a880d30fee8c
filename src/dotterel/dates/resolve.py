"""Resolvers: what each pattern's match means, given the publication date and the parse.

Each resolver takes a :class:`Match` (a pattern's core match and its left
context) and the :class:`Context` of the story, and returns :class:`Keep`
(the value, or ``None`` for kept-but-unresolved) or ``None`` to reject the
match. See ``docs/dates.md`` for every choice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..nlp import entities
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
from .lexicon import DateLexicon
from .tense import lean_of_span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

@dataclass(frozen=True, slots=True)
class Keep:
    """A pattern's verdict: keep the match, with this value (``None``: unresolved)."""

    value: Value | None


class Context:
    """What resolvers read: the text, publication date, parse and lexicon."""

    def __init__(self, text: str, pub: date | None, doc: Doc | None, lexicon: DateLexicon):
        self.text = text
        self.pub = pub
        self.doc = doc
        self.lex = lexicon
        self.entity_ranges: list[tuple[int, int]] = []
        self.name_ranges: list[tuple[int, int]] = []
        if doc is not None:
            ents = entities(doc)
            self.name_ranges = [_name_range(e) for e in ents if e.label_ in _NAME_LABELS]
            self.entity_ranges = [
                (e.start_char, e.end_char) for e in ents if e.label_ in ("DATE", "TIME")
            ]

    def in_name(self, start: int, end: int, calendar_day: bool = False) -> bool:
        """Inside a name spaCy found ("USA Today", "Fox News Sunday"): not a date.

        A calendar day (month and day number) that ends the name is spaCy's boundary error
        after a dateline ("Astana March 5" taken as one ORG), not part of the name: names
        may start with such a day ("March 14 Alliance") but do not end with one.
        """
        for s, e in self.name_ranges:
            if s <= start and end <= e:
                if not _CAPITAL_WORD.search(f"{self.text[s:start]} {self.text[end:e]}"):
                    continue  # nothing name-like besides the date: "42 and the 1990s"
                if calendar_day and s < start and not self.text[end:e].strip(_TRAILING_NAME_JUNK):
                    continue
                return True
        return False

    def prev_word(self, start: int) -> str:
        """The word right before ``start`` (lower case), or ""."""
        m = _PREV_WORD.search(self.text, max(0, start - 24), start)
        return "" if m is None else m.group(1).lower()

    def after_since(self, start: int) -> bool:
        return self.prev_word(start) == "since"

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


POSSESSIVE = re.compile(r"['’]s?(?![A-Za-z])")
#: spaCy entity labels whose spans are names, not dates, even when they hold one.
_NAME_LABELS = frozenset({"ORG", "WORK_OF_ART", "PRODUCT", "FAC", "LAW", "PERSON"})
def _name_range(ent: Span) -> tuple[int, int]:
    """A name entity's characters without the lower-case words spaCy ran on into ("... in")."""
    end = ent.end
    while end > ent.start and (ent.doc[end - 1].is_lower or ent.doc[end - 1].is_punct):
        end -= 1
    if end == ent.start:
        return ent.start_char, ent.start_char
    last = ent.doc[end - 1]
    return ent.start_char, last.idx + len(last)


_CAPITAL_WORD = re.compile(r"\b[A-Z]")
#: What may follow a calendar day inside a name entity that it ends ("March 5, 2024." has none).
_TRAILING_NAME_JUNK = " \t,.;:"
_PREV_WORD = re.compile(r"([A-Za-z]+)[^\S\n]+\Z")


class Match:
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


Resolver = Callable[[Match, Context], Keep | None]


def _core(m: Match, name: str) -> tuple[int, int]:
    return m.start(name), m.end(name)


# --- resolvers: absolute ---------------------------------------------------


def iso(m: Match, ctx: Context) -> Keep | None:
    """"2024-03-05": that day."""
    d = valid_day(int(m.req("y")), int(m.req("mo")), int(m.req("d")))
    return Keep(day(d)) if d else None


def full_day(m: Match, ctx: Context) -> Keep | None:
    """"March 5, 2024", "5 March 2024": that day."""
    d = valid_day(int(m.req("y")), ctx.lex.month_of(m.req("mon")), int(m.req("d")))
    return Keep(day(d)) if d else None


def month_year(m: Match, ctx: Context) -> Keep | None:
    """"November 2024", "early March 2020": that month."""
    return Keep(month(int(m.req("y")), ctx.lex.month_of(m.req("mon"))))


def bare_year(m: Match, ctx: Context) -> Keep | None:
    """"2019" (licensed by a DATE entity, a cue word or "early"/"mid"/"late"): that year."""
    y = int(m.req("y"))
    if not 1000 <= y <= 2199:
        return None
    if m["mod"] is None and not ctx.licensed(*_core(m, "y")):
        return None
    return Keep(year(y))


def unresolved(m: Match, ctx: Context) -> Keep | None:
    """Decades, centuries, vague spans ("recent weeks"): kept with no date."""
    return Keep(None)


# --- resolvers: relative to the publication date ----------------------------


#: How a day without a year ("March 5", "Christmas") leans, by the tense around it.
_DAY_LEAN = {FUTURE: FUTURE, PRESENT: NEAREST}


def _day_by_tense(m: Match, ctx: Context, pub: date, mon: int, dom: int) -> Keep:
    """The day ``mon``/``dom`` in the year the tense around the match points to."""
    if ctx.after_since(m.start()):
        lean = PAST
    else:
        lean = _DAY_LEAN.get(ctx.lean(m.start(), m.end()) or PAST, RECENT)
    d = day_near(pub, mon, dom, lean)
    return Keep(day(d) if d else None)


def day_month(m: Match, ctx: Context) -> Keep | None:
    """"March 5", "5 March" without a year: the year that fits the tense (see ``day_near``)."""
    mon, dom = ctx.lex.month_of(m.req("mon")), int(m.req("d"))
    if valid_day(2000, mon, dom) is None:  # 2000 is a leap year: Feb 29 exists
        return None
    if ctx.pub is None:
        return Keep(None)
    return _day_by_tense(m, ctx, ctx.pub, mon, dom)


def month_rel_year(m: Match, ctx: Context) -> Keep | None:
    """"December last year", "January of this year": that month."""
    if ctx.pub is None:
        return Keep(None)
    shift = {"last": -1, "this": 0, "next": 1}[m.req("rel").lower()]
    return Keep(month(ctx.pub.year + shift, ctx.lex.month_of(m.req("mon"))))


def rel_month(m: Match, ctx: Context) -> Keep | None:
    """"last November" / "next November" / "this November"."""
    if ctx.pub is None:
        return Keep(None)
    rel, mon = " ".join(m.req("rel").lower().split()), ctx.lex.month_of(m.req("mon"))
    if rel == "this":
        return Keep(month(ctx.pub.year, mon))
    lean = FUTURE if rel == "next" else PAST
    return Keep(month(*month_near(ctx.pub, mon, lean, strict=True)))


def bare_month(m: Match, ctx: Context) -> Keep | None:
    """"in November", "mid-March": the side of publication the tense says."""
    if m["mod"] is None and not ctx.licensed(*_core(m, "mon")):
        return None
    if ctx.pub is None:
        return Keep(None)
    lean = ctx.lean(m.start(), m.end())
    lean = {PRESENT: NEAREST, FUTURE: FUTURE}.get(lean or PAST, PAST)
    return Keep(month(*month_near(ctx.pub, ctx.lex.month_of(m.req("mon")), lean)))


def weekday(m: Match, ctx: Context) -> Keep | None:
    """"on Friday", "last Friday", "Monday night": a day by the tense (docs/dates.md)."""
    if ctx.pub is None:
        return Keep(None)
    wd = ctx.lex.weekdays[m.req("wd")]
    rel = " ".join((m["rel"] or "").lower().split())
    if rel in ("last", "this past"):
        return Keep(day(weekday_near(ctx.pub, wd, PAST, strict=True)))
    if rel == "next":
        return Keep(day(weekday_near(ctx.pub, wd, FUTURE, strict=True)))
    lean = ctx.lean(m.start(), m.end())
    if rel == "this":
        return Keep(day(weekday_near(ctx.pub, wd, PAST if lean == PAST else FUTURE)))
    if lean == FUTURE:
        # on or after: in wire copy "will announce plans Friday" in a Friday story is that day
        return Keep(day(weekday_near(ctx.pub, wd, FUTURE)))
    if lean != FUTURE and ctx.prev_word(m.start()) in ("until", "till", "to"):
        lean = PRESENT  # "pushed from September 25 to Friday": the nearer Friday
    if lean == PRESENT and POSSESSIVE.match(ctx.text, m.end()):
        lean = PAST  # "during Monday's debate": a named day is mostly a past one
    if lean == PRESENT:
        return Keep(day(weekday_near(ctx.pub, wd, NEAREST)))
    return Keep(day(weekday_near(ctx.pub, wd, PAST)))


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


def day_word(m: Match, ctx: Context) -> Keep | None:
    """"yesterday", "today", "tomorrow", "last night"...: publication day plus or minus."""
    start = m.start()
    in_title = ctx.doc is not None and start < (ctx.doc.user_data.get("body_start", 0) or 0)
    if not in_title and m.group(0)[0].isupper() and _CAPITALIZED_BEFORE.search(ctx.text, max(0, start - 30), start):
        before = ctx.text[max(0, start - 30) : start].rstrip()
        if before and before[-1].isalpha():
            return None  # a name: "USA Today", "Russia Today", "The Tonight Show"
    if ctx.pub is None:
        return Keep(None)
    shift = _DAY_WORDS[" ".join(m.group(0).lower().split())]
    return Keep(day(ctx.pub + timedelta(days=shift)))


def ago(m: Match, ctx: Context) -> Keep | None:
    """"three days ago", "two weeks ago", "5 years ago"."""
    n = ctx.lex.number(m.req("n"))
    if n is None:
        return None
    if ctx.pub is None:
        return Keep(None)
    unit = m.req("unit").lower()
    pub = ctx.pub
    if unit == "day":
        return Keep(day(pub - timedelta(days=n)))
    if unit == "week":
        return Keep(week_value(pub - timedelta(days=7 * n)))
    if unit == "month":
        return Keep(month(*shift_month(pub.year, pub.month, -n)))
    if unit == "year":
        return Keep(year(pub.year - n))
    return Keep(None)  # decades ago: too coarse for a year


def rel_unit(m: Match, ctx: Context) -> Keep | None:
    """"last week", "this month", "next year", "this past weekend"."""
    if ctx.pub is None:
        return Keep(None)
    pub = ctx.pub
    rel = " ".join(m.req("rel").lower().split())
    unit = m.req("unit").lower()
    if rel == "this past":
        if unit != "weekend":
            return Keep(None)  # "this past week/month/year": the span up to now
        return Keep(weekend_value(weekday_near(pub, 5, PAST, strict=True)))
    shift = {"last": -1, "this": 0, "next": 1}[rel]
    if unit == "week":
        return Keep(week_value(pub + timedelta(days=7 * shift)))
    if unit == "weekend":
        saturday = pub - timedelta(days=pub.weekday()) + timedelta(days=5 + 7 * shift)
        return Keep(weekend_value(saturday))
    if unit == "month":
        return Keep(month(*shift_month(pub.year, pub.month, shift)))
    return Keep(year(pub.year + shift))


def the_weekend(m: Match, ctx: Context) -> Keep | None:
    """"over the weekend": the latest weekend (the coming one with a future verb)."""
    if m["prep"] is None:
        return None  # "the weekend" needs "over/during/at/on the weekend"
    if ctx.pub is None:
        return Keep(None)
    lean = FUTURE if ctx.lean(m.start(), m.end()) == FUTURE else PAST
    return Keep(weekend_value(weekday_near(ctx.pub, 5, lean)))


#: Northern-hemisphere seasons: first and last month. Winter spans two years: left unresolved.
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11)}


def season(m: Match, ctx: Context) -> Keep | None:
    """"last summer", "next spring": the year of that season."""
    if ctx.pub is None:
        return Keep(None)
    rel, season = m.req("rel").lower(), m.req("season").lower()
    if season not in _SEASONS:
        return Keep(None)
    first, last = _SEASONS[season]
    pub = ctx.pub
    if rel == "this":
        return Keep(year(pub.year))
    if rel == "last":
        return Keep(year(pub.year if pub.month > last else pub.year - 1))
    return Keep(year(pub.year if pub.month < first else pub.year + 1))


def holiday(m: Match, ctx: Context) -> Keep | None:
    """"Christmas Day", "New Year's Eve": that day in the year the tense says."""
    name = m.req("hol")
    if not name.endswith(("Day", "Eve")) and not ctx.licensed(m.start(), m.end()):
        return None
    if ctx.pub is None:
        return Keep(None)
    mon, dom = ctx.lex.holidays[name]
    return _day_by_tense(m, ctx, ctx.pub, mon, dom)
