"""The patterns: a literal-first core regex, its optional left context and its resolver.

Built once from the lexicon (``data/dates/lexicon.json``). A core starts with
a literal ("November", "Friday", "ago"...) so the regex engine skips ahead
fast; the left context ("early ", "last ", "the end of ") is matched backwards
from the core's start.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..language import words
from .lexicon import WS, DateLexicon, load_lexicon
from .resolve import (
    Resolver,
    ago,
    bare_month,
    bare_year,
    day_month,
    day_word,
    full_day,
    holiday,
    iso,
    month_rel_year,
    month_year,
    rel_month,
    rel_unit,
    season,
    the_weekend,
    unresolved,
    weekday,
)


@dataclass(frozen=True)
class Pattern:
    """A core regex (starting with a literal, so the regex engine skips ahead fast), the
    optional context allowed right before it, the characters that may not precede the
    whole match, and the resolver. ``needs``: a lower-case word every match of the core
    holds in some letter case; a text without it is not scanned (the cores that start with
    a long alternation, such as "ago", cost most of the scan)."""

    name: str
    core: re.Pattern[str]
    left: re.Pattern[str] | None
    bad_before: str
    resolve: Resolver
    needs: str | None = None


def _cased(words: Sequence[str]) -> str:
    """An alternation of words in lower case and Capitalized ("last|Last")."""
    forms = sorted({w for word in words for w in (word, word[:1].upper() + word[1:])}, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(f).replace(r"\ ", WS) for f in forms) + ")"


def patterns(lex: DateLexicon | None = None) -> tuple[Pattern, ...]:
    """The patterns of ``lex`` (default: the bundled lexicon), in order of preference for equal spans."""
    return _patterns(lex if lex is not None else load_lexicon())


@lru_cache(maxsize=4)
def _patterns(lex: DateLexicon) -> tuple[Pattern, ...]:
    mon = rf"(?P<mon>{lex.month_re})(?![A-Za-z])"
    dom = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
    yr = r"(?P<y>[12]\d{3})(?![\d%])"
    num = "(?:\\d{1,4}|" + _cased(sorted(lex.number_words)) + ")"
    mod = rf"(?P<mod>{_cased(words('dates.period_parts'))})(?:-|{WS})\Z"
    the_mod = rf"(?:(?:{_cased(['the'])}{WS})?{mod[:-2]}|{_cased(['the'])}{WS})\Z"
    weekday_prefix = rf"{lex.weekday_re},?{WS}\Z"
    e = r"(?![A-Za-z])"
    alnum = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    specs: list[tuple[str, str, str | None, str, Resolver]] = [
        ("iso", r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?![\d-])", None, alnum + "-", iso),
        ("month_day_year", rf"{mon}\.?{WS}{dom},?{WS}{yr}", weekday_prefix, alnum, full_day),
        ("day_month_year", rf"{dom}{WS}(?:of{WS})?{mon}\.?,?{WS}{yr}", weekday_prefix, alnum + ".,", full_day),
        ("month_year", rf"{mon}\.?,?{WS}(?:of{WS})?{yr}", mod, alnum, month_year),
        ("month_rel_year", rf"{mon}\.?{WS}(?:of{WS})?(?P<rel>(?i:last|this|next)){WS}(?i:year){e}", mod, alnum, month_rel_year),
        ("rel_month", rf"(?P<rel>{_cased(words('dates.relative_unit'))}){WS}{mon}", mod, alnum, rel_month),
        ("month_day", rf"{mon}\.?{WS}{dom}(?![\d:])", weekday_prefix, alnum, day_month),
        ("day_month", rf"{dom}{WS}(?:of{WS})?{mon}", None, alnum + ".,$£€", day_month),
        ("decade", rf"(?:[12]\d{{2}}0|['’]\d0)s{e}", the_mod, alnum, unresolved),
        ("century", rf"\d{{1,2}}(?:st|nd|rd|th){WS}(?i:century|centuries){e}", the_mod, alnum, unresolved),
        ("year", rf"{yr}(?!s{e}|,\d|\.\d)", mod, alnum + "$£€.,#", bare_year),
        ("holiday", rf"(?P<hol>{lex.holiday_re}){e}", None, alnum, holiday),
        ("month", rf"{mon}(?![\w'’])", mod, alnum, bare_month),
        (
            "weekday",
            rf"(?P<wd>{lex.weekday_re})(?:{WS}(?i:morning|afternoon|evening|night))?{e}",
            rf"(?P<rel>{_cased(words('dates.relative_weekday'))}){WS}\Z",
            alnum,
            weekday,
        ),
        (
            "day_word",
            _cased(words("dates.day_words")) + e,
            None,
            alnum,
            day_word,
        ),
        (
            "ago",
            rf"(?P<n>{num}){WS}(?P<unit>(?i:day|week|month|year|decade))(?i:s)?{WS}(?i:ago){e}",
            _cased(words("dates.approximately")) + rf"{WS}\Z",
            alnum,
            ago,
        ),
        (
            "vague_ago",
            _cased(words("dates.plural_units")) + rf"{WS}(?i:ago){e}",
            _cased(words("dates.vague_quantities")) + rf"{WS}\Z",
            alnum,
            unresolved,
        ),
        (
            "rel_unit",
            rf"(?P<rel>{_cased(words('dates.relative_unit'))}){WS}(?P<unit>(?i:week|weekend|month|year)){e}",
            rf"(?:{_cased(words('dates.unit_edges'))}{WS}|{_cased(['mid'])}-)\Z",
            alnum,
            rel_unit,
        ),
        (
            "the_weekend",
            rf"{_cased(['the'])}{WS}(?i:weekend){e}",
            rf"(?P<prep>{_cased(words('dates.weekend_preps'))}){WS}\Z",
            alnum,
            the_weekend,
        ),
        (
            "season",
            rf"(?P<rel>{_cased(words('dates.season_relative'))}){WS}(?P<season>(?i:spring|summer|fall|autumn|winter)){e}",
            None,
            alnum,
            season,
        ),
        (
            "vague",
            _cased(words("dates.vague_relative"))
            + rf"{WS}(?:(?:few|several|couple{WS}of|{num}){WS})?"
            + rf"(?i:days|weeks|months|years|decades|day|week|month|year|decade){e}",
            rf"{_cased(['the', 'this'])}{WS}\Z",
            alnum,
            unresolved,
        ),
    ]
    return tuple(
        Pattern(name, re.compile(core), None if left is None else re.compile(left), bad, fn, _NEEDS.get(name))
        for name, core, left, bad, fn in specs
    )


#: The word each of these cores ends with, ``(?i:ago)``.
_NEEDS = {"ago": "ago", "vague_ago": "ago"}
