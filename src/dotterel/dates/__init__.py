"""Dates: temporal expressions of a story resolved against its publication date.

:func:`extract_dates` finds "on Friday", "in November 2024", "December last
year", "two weeks ago"... and resolves each to ``YYYY-MM-DD`` / ``YYYY-MM`` /
``YYYY`` with precision day / month / year, or leaves it unresolved (``date``
null) when it is vague or relative with no publication date. The machine's
clock is never read. :func:`governing_date` tells the event coder which of
them dates a given trigger. Choices are documented in ``docs/dates.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import TimeExpr
from .govern import governing_date
from .scan import find_dates

if TYPE_CHECKING:
    from ..nlp import Story
    from .lexicon import DateLexicon

__all__ = ["extract_dates", "governing_date"]


def extract_dates(story: Story, lexicon: DateLexicon | None = None) -> list[TimeExpr]:
    """The story's temporal expressions, title first, in text order, with exact offsets;
    ``lexicon`` is the date knowledge (default: the bundled lexicon)."""
    out: list[TimeExpr] = []
    full = story.text  # not Doc.text, which joins the tokens on every access
    for found in find_dates(full, story.pub_date, story.doc, lexicon):
        start, end, in_title = story.locate(found.start, found.end)
        text = full[found.start : found.start + (end - start)]
        date, precision = found.value if found.value is not None else (None, None)
        out.append(
            TimeExpr(text=text, start=start, end=end, in_title=in_title, date=date, precision=precision)
        )
    return out
