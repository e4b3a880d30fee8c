"""The date lexicon (``data/dates/lexicon.json``), loaded once, and the regex pieces built from it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..datafiles import data_text

#: Whitespace inside one expression: never a line break, so no span crosses
#: the title/body boundary or a paragraph.
WS = r"[^\S\n]+"


@dataclass(frozen=True, eq=False)
class DateLexicon:
    """Month and weekday names, number words, holidays and the cue words of the resolver.

    Compared and hashed by identity: the regexes built from a lexicon are cached per lexicon."""

    months: dict[str, int]
    weekdays: dict[str, int]
    number_words: dict[str, int]
    holidays: dict[str, tuple[int, int]]
    span_prepositions: tuple[str, ...]
    licensing_words: frozenset[str]
    future_auxiliaries: frozenset[str]
    future_lemmas: frozenset[str]
    anaphoric_cues: frozenset[str]
    time_units: frozenset[str]

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> DateLexicon:
        """Build the lexicon from the parsed JSON file; raises ``ValueError`` on a bad entry."""
        months = {str(k): int(v) for k, v in raw["months"].items()}
        weekdays = {str(k): int(v) for k, v in raw["weekdays"].items()}
        if sorted(set(months.values())) != list(range(1, 13)):
            raise ValueError("data/dates/lexicon.json: months must cover 1..12")
        if sorted(weekdays.values()) != list(range(7)):
            raise ValueError("data/dates/lexicon.json: weekdays must be 0 (Monday)..6 (Sunday)")
        holidays: dict[str, tuple[int, int]] = {}
        for name, (mon, dom) in raw["holidays"].items():
            holidays[str(name)] = (int(mon), int(dom))
        return cls(
            months=months,
            weekdays=weekdays,
            number_words={str(k).lower(): int(v) for k, v in raw["number_words"].items()},
            holidays=holidays,
            span_prepositions=tuple(str(p).lower() for p in raw["span_prepositions"]),
            licensing_words=frozenset(str(w).lower() for w in raw["licensing_words"]),
            future_auxiliaries=frozenset(str(w).lower() for w in raw["future_auxiliaries"]),
            future_lemmas=frozenset(str(w).lower() for w in raw["future_lemmas"]),
            anaphoric_cues=frozenset(str(w).lower() for w in raw["anaphoric_cues"]),
            time_units=frozenset(str(w).lower() for w in raw["time_units"]),
        )

    def month_of(self, name: str) -> int:
        """The month number (1–12) of a month name or abbreviation as written."""
        return self.months[name] if name in self.months else self.months[name.rstrip(".")]

    def number(self, word: str) -> int | None:
        """``7`` for "7" or "seven" (case-insensitive), else ``None``."""
        if word.isdigit():
            return int(word)
        return self.number_words.get(word.lower())

    @property
    def month_re(self) -> str:
        """A regex alternation of the month names, longest first (no group)."""
        return _alternation(self.months)

    @property
    def weekday_re(self) -> str:
        return _alternation(self.weekdays)

    @property
    def number_re(self) -> str:
        """Digits or a number word, case-insensitive (no group)."""
        return r"(?:\d{1,4}|(?i:" + _alternation(self.number_words) + "))"

    @property
    def holiday_re(self) -> str:
        return _alternation(self.holidays)


def _alternation(words: Any) -> str:
    names = sorted((str(w) for w in words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(n) for n in names) + ")"


@lru_cache(maxsize=1)
def load_lexicon() -> DateLexicon:
    """The bundled lexicon, parsed once per process."""
    return DateLexicon.from_json(json.loads(data_text("dates/lexicon.json")))
