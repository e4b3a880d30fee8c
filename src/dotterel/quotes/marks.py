"""Finding text in quotation marks: pairing marks, apostrophes, inch marks, paragraphs.

:func:`find_quoted` works on a plain string (no parse needed). Rules:

- Double marks (“ ” „ « » and straight ``"``) pair up within a paragraph. A
  straight ``"`` right after a digit is an inch mark when no quote is open.
- Single marks (‘ ’ and straight ``'``) are quotes only outside double quotes.
  A ’ or ``'`` between two letters or digits is an apostrophe (Kazakhstan’s,
  didn’t); a ’ closes an open single quote only when followed by a non-letter.
  The mixed ‘...' pair of some headlines works.
- A paragraph that ends inside a double quote continues into the next paragraph
  when that one opens with a quotation mark (the newspaper convention): both
  parts are returned, the first with ``closed`` false, the second with
  ``continued`` true. Single quotes never run across paragraphs.
- Marks inside pseudo-HTML tags (``<tweet author="...">``) are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import QuoteMarks

_TAG = re.compile(r"<[A-Za-z][^<>\n]*>")
_PARAGRAPH = re.compile(r"[^\n]+")
_OPEN_CONTEXT = "([{—–-/"


@dataclass(frozen=True, slots=True)
class Quoted:
    """A stretch of text in quotation marks (offsets into the string searched).

    ``start``/``end`` delimit the content without the marks, ``open``/``close``
    include them (``close == end`` when the quote runs to the end of its paragraph).
    """

    open: int
    start: int
    end: int
    close: int
    double: bool
    closed: bool = True
    continued: bool = False


def _masked(text: str) -> set[int]:
    masked: set[int] = set()
    for m in _TAG.finditer(text):
        masked.update(range(m.start(), m.end()))
    return masked


def _opens_quote(text: str, start: int, marks: QuoteMarks) -> bool:
    """Does the paragraph starting at ``start`` open with a double quotation mark?"""
    stripped = text[start:].lstrip(" \t")
    return bool(stripped) and (stripped[0] in marks.double_open or stripped[0] in marks.double_straight)


def find_quoted(text: str, marks: QuoteMarks) -> list[Quoted]:
    """Every quotation in ``text``, in text order (see the module docstring for the rules)."""
    masked = _masked(text) if "<" in text else set()
    found: list[Quoted] = []
    paragraphs = [m.span() for m in _PARAGRAPH.finditer(text)]
    carry = False
    mark = _mark_re(marks)
    for n, (p_start, p_end) in enumerate(paragraphs):
        continued, carry = carry and _opens_quote(text, p_start, marks), False
        d_open: int | None = None
        s_open: int | None = None
        for hit in mark.finditer(text, p_start, p_end):  # the marks only, not every character
            i = hit.start()
            if i in masked:
                continue
            ch = text[i]
            prev = text[i - 1] if i > p_start else " "
            nxt = text[i + 1] if i + 1 < p_end else " "
            if ch in marks.double_open:
                if d_open is None and s_open is None:
                    d_open = i
            elif ch in marks.double_close:
                if d_open is not None:
                    found.append(Quoted(d_open, d_open + 1, i, i + 1, True, continued=continued))
                    d_open, continued = None, False
            elif ch in marks.double_straight:
                if d_open is not None:
                    found.append(Quoted(d_open, d_open + 1, i, i + 1, True, continued=continued))
                    d_open, continued = None, False
                elif s_open is None and not prev.isdigit():
                    opening_context = i == p_start or prev.isspace() or prev in _OPEN_CONTEXT
                    if opening_context or not (nxt.isspace() or nxt in ",.;:!?)"):
                        d_open = i
            elif d_open is None:
                s_open = _single(text, found, i, prev, nxt, s_open, marks)
        if d_open is not None:
            end = p_end
            while end > d_open + 1 and text[end - 1].isspace():
                end -= 1
            carry = n + 1 < len(paragraphs) and _opens_quote(text, paragraphs[n + 1][0], marks)
            found.append(Quoted(d_open, d_open + 1, end, end, True, closed=False, continued=continued))
    return found


@lru_cache(maxsize=8)
def _mark_re(marks: QuoteMarks) -> re.Pattern[str]:
    """One character of ``marks.all``."""
    chars = sorted(c for c in marks.all if len(c) == 1)
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]" if chars else "(?!)")


def _single(
    text: str, found: list[Quoted], i: int, prev: str, nxt: str, s_open: int | None, marks: QuoteMarks
) -> int | None:
    """Handle a single mark at ``i``; returns the new open position (None when none is open)."""
    ch = text[i]
    if ch in marks.single_open:
        return i if s_open is None and not nxt.isspace() else s_open
    if prev.isalnum() and nxt.isalnum():
        return s_open  # an apostrophe inside a word
    if s_open is not None:
        if not prev.isspace() and not nxt.isalnum():
            found.append(Quoted(s_open, s_open + 1, i, i + 1, False))
            return None
        return s_open
    if ch in marks.single_straight and (prev.isspace() or prev in _OPEN_CONTEXT) and nxt.isalpha():
        return i
    return None
