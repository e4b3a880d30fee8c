"""Quotes: direct quotes and reported speech, each with speaker, cue and content spans.

:func:`extract_quotes` combines two finders:

- :mod:`.marks` pairs quotation marks into quoted stretches (apostrophes, inch
  marks and paragraph continuation handled there);
- :mod:`.reported` reads cues off the dependency parse ("X said (that) ...",
  "according to X, ...", "his claim that ...").

A quoted stretch becomes a direct quote (``direct`` true, content = the text
inside the marks) when a cue governs it, stands next to it (``"...," X said``,
``X said: "..."``), or when it continues the previous direct quote of the same
or the previous paragraph. Short quoted stretches (fewer than four words) with
no cue next to them are scare quotes or titles and are not quotes; a quoted
stretch inside a longer reported clause is part of that clause's content (the
partial quote is the speaker's reported wording, not a record of its own).
A quote interrupted by its cue (``"The situation," he said, "is unique."``)
gives two records sharing the speaker and cue. Everything else the parse finds
becomes an indirect quote (``direct`` false) whose content is the reported
clause. Quote ids are ``Q1``, ``Q2``, ... in text order, title first.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Quote, Speaker, TextSpan
from ..nlp import combined_text
from .lexicon import QuoteLexicon, load_lexicon
from .marks import Quoted, find_quoted
from .reported import Attribution, Range, colon_cue, find_attributions

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from ..actors import ActorTable
    from ..nlp import Story

__all__ = ["extract_quotes", "find_quoted", "load_lexicon"]

#: Fewer words than this in quotation marks, with no cue beside them: a scare quote or a title.
MIN_QUOTE_WORDS = 4
#: Quoted text with no cue at all is still a quote (speaker unknown) from this many words on.
MIN_ORPHAN_WORDS = 8
#: Farthest a cue may stand after a closing mark / before an opening mark (characters).
MAX_GAP_AFTER = 60
MAX_GAP_BEFORE = 50
#: Kinds of cue still reported on their own when inside another attribution's content.
NESTED_KINDS: frozenset[str] = frozenset()
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "with", "at", "by", "from"})
_CONTENT_TRIM = " \t\n,;:"


@dataclass(slots=True)
class _Record:
    content: Range
    direct: bool
    attribution: Attribution | None


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _title_like(words: list[str]) -> bool:
    """Every word capitalized (or a digit, or a small word such as "of"): a name or title."""
    return (bool(words) and (words[0][0].isupper() or words[0][0].isdigit())
            and all(w[0].isupper() or w[0].isdigit() or w.lower() in _SMALL_WORDS for w in words))


def _trim(text: str, start: int, end: int) -> Range:
    """``[start, end)`` without surrounding whitespace (any kind) and commas, semicolons, colons."""
    while start < end and (text[start] in _CONTENT_TRIM or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _CONTENT_TRIM or text[end - 1].isspace()):
        end -= 1
    return start, end


class _Finder:
    """The state of one story's quote search (combined-string offsets throughout)."""

    def __init__(self, doc: Doc, text: str, lex: QuoteLexicon, quoted: list[Quoted],
                 attributions: list[Attribution]):
        self.doc = doc
        self.text = text
        self.lex = lex
        self.quoted = quoted
        self.attributions = attributions
        for a in attributions:
            a.content = [piece for piece in (self.clip(p, a.cue) for p in a.content) if piece[1] > piece[0]]
        self.used: set[int] = set()
        separator = "\n\n" if "\n\n" in text else "\n"
        self.paragraph_starts = [0] + [m.end() for m in re.finditer(re.escape(separator), text)]

    def paragraph_of(self, offset: int) -> int:
        """Index of the paragraph holding ``offset`` (paragraphs split by blank lines, else lines)."""
        return bisect_right(self.paragraph_starts, offset) - 1

    def clip(self, piece: Range, cue: Range) -> Range:
        """A reported clause never runs across a line break: keep the part on the cue's side."""
        start, end = piece
        if "\n" not in self.text[start:end]:
            return piece
        if cue[0] >= end:
            start = self.text.rfind("\n", start, end) + 1
        elif cue[1] <= start:
            end = self.text.find("\n", start, end)
        else:
            start = max(start, self.text.rfind("\n", start, cue[0]) + 1)
            newline = self.text.find("\n", cue[1], end)
            end = end if newline < 0 else newline
        return _trim(self.text, start, end)

    def said(self, a: Attribution, q: Quoted) -> bool:
        """A short quote is speech when its cue follows it or is a form of "say" (“No,” he said)."""
        return a.cue[0] > q.open or a.cue_token.lower_ in ("said", "says", "say")

    def spoken(self, q: Quoted) -> bool:
        """Does ``q`` end like a spoken line (“Absolutely,” ... / “Why?” ...)?"""
        return self.text[q.end - 1] in ",!?"

    def title_case_line(self, q: Quoted) -> bool:
        """Is ``q`` on a headline written in title case (where every quote looks like a title)?"""
        start = self.text.rfind("\n", 0, q.open) + 1
        end = self.text.find("\n", q.close)
        line = self.text[start : end if end >= 0 else len(self.text)]
        return _title_like(_words(line))

    def is_scare(self, q: Quoted) -> bool:
        before = self.text[max(0, q.open - 20) : q.open].lower().rstrip()
        return any(before.endswith(" ".join(intro)) for intro in self.lex.scare_introducers)

    def overlapping(self, q: Quoted) -> tuple[Attribution | None, bool]:
        """The attribution whose content overlaps ``q``, and whether ``q`` is all of that content."""
        best: Attribution | None = None
        for a in self.attributions:
            if id(a) in self.used or not a.content:
                continue
            if self._shares(a, q) and (
                best is None or abs(a.cue[0] - q.start) < abs(best.cue[0] - q.start)
            ):
                best = a
        if best is None:
            return None, False
        pieces = [(lo, hi) for lo, hi in best.content if lo < q.end and q.start < hi]
        lo, hi = min(pieces[0][0], q.open), max(pieces[-1][1], q.close)
        outside = self.text[lo : q.open] + " " + self.text[q.close : hi]
        extra = [w for w in _words(outside) if w.lower() != "that"]
        return best, len(extra) <= 1

    def adjacent(self, q: Quoted) -> Attribution | None:
        """A cue right after the closing mark (``"...," X said``) or right before the opening one."""
        best: tuple[int, Attribution] | None = None
        for a in self.attributions:
            if a.content and not self._shares(a, q) and not self.text[a.cue[1] : q.open].rstrip().endswith(":"):
                continue
            if a.cue[0] >= q.close:
                gap = self.text[q.close : a.cue[0]]
                if len(gap) > MAX_GAP_AFTER or "\n" in gap or self._breaks(gap, after=True):
                    continue
                distance = len(gap)
            elif a.cue[1] <= q.open:
                gap = self.text[a.cue[1] : q.open]
                if len(gap) > MAX_GAP_BEFORE or "\n" in gap or self._breaks(gap, after=False):
                    continue
                distance = len(gap) + 5
            else:
                continue
            if best is None or distance < best[0]:
                best = (distance, a)
        return None if best is None else best[1]

    def _shares(self, a: Attribution, q: Quoted) -> bool:
        return any(lo < q.end and q.start < hi for lo, hi in a.content)

    def _breaks(self, gap: str, *, after: bool) -> bool:
        if any(ch in self.lex.marks.all and not (ch in "'’" and 0 < i < len(gap) - 1 and gap[i - 1].isalnum())
               for i, ch in enumerate(gap)):
            return True
        if after:
            return "." in gap.replace("Mr.", "").replace("Ms.", "").replace("Mrs.", "").replace("Dr.", "")
        stripped = gap.strip()
        return "." in stripped or not (stripped == "" or stripped.endswith((",", ":")) or len(_words(gap)) <= 4)

    def run(self) -> list[_Record]:
        """Direct quotes first, then the reported speech left over, sorted by content offset."""
        speech = [q for q in self.quoted if not self.is_scare(q) and q.end > q.start]
        long_quotes = [q for q in speech if len(_words(self.text[q.start : q.end])) >= MIN_QUOTE_WORDS]
        self.attributions = [a for a in self.attributions if not self.inside_quote(a.cue[0], long_quotes)]
        records = self.direct_quotes(speech)
        records.extend(self.reported_speech([r.content for r in records]))
        records.sort(key=lambda r: (r.content[0], r.content[1]))
        return records

    def direct_quotes(self, speech: list[Quoted]) -> list[_Record]:
        """A record for each quoted stretch that is a quote, with the cue it belongs to (step 3)."""
        records: list[_Record] = []
        last_direct: tuple[int, Attribution | None] | None = None
        for q in speech:
            words = _words(self.text[q.start : q.end])
            if not words or self.is_title(q, words):
                continue
            para = self.paragraph_of(q.open)
            keep, attribution = self.cue_for(q, words, para, last_direct)
            if not keep:
                continue
            if attribution is not None:
                self.used.add(id(attribution))
            records.append(_Record(_trim(self.text, q.start, q.end), True, attribution))
            last_direct = (para, attribution)
        return records

    def cue_for(
        self, q: Quoted, words: list[str], para: int, last_direct: tuple[int, Attribution | None] | None
    ) -> tuple[bool, Attribution | None]:
        """Whether ``q`` is a quote, and the attribution it belongs to (None: speaker unknown)."""
        long = len(words) >= MIN_QUOTE_WORDS
        attribution, whole = self.overlapping(q)
        if attribution is not None:
            # a partial quote inside reported speech ("described it as “deplorable”") is not a record
            return whole and (long or (self.spoken(q) and self.said(attribution, q))), attribution
        attribution = self.adjacent(q)
        if attribution is None:
            colon = self.text.rfind(":", max(0, q.open - 3), q.open)
            if colon >= 0 and self.text[colon + 1 : q.open].strip() == "":
                attribution = colon_cue(self.doc, colon)
        if attribution is not None:
            return long or self.said(attribution, q), attribution
        if len(words) < MIN_QUOTE_WORDS or _title_like(words):
            return False, None
        line_start = self.text.rfind("\n", 0, q.open) + 1
        starts_paragraph = not self.text[line_start : q.open].strip()
        if last_direct is not None and last_direct[0] >= para - 1 and (
            q.continued or starts_paragraph or last_direct[0] == para
        ):
            return True, last_direct[1]  # continues the previous quote
        return len(words) >= MIN_ORPHAN_WORDS, None

    def reported_speech(self, direct_ranges: list[Range]) -> list[_Record]:
        """Records for the cues no direct quote took (step 4)."""
        records: list[_Record] = []
        reported = [piece for a in self.attributions if a.content for piece in a.content]
        for a in self.attributions:
            if id(a) in self.used or not a.content:
                continue
            verb = self.lex.verbs.get(a.cue_token.lemma_.lower())
            if verb is not None and verb.takes == {"quote"}:
                continue
            if a.kind not in NESTED_KINDS and any(lo <= a.cue[0] < hi for lo, hi in reported):
                continue  # a stance inside someone's reported words is part of those words
            for piece in a.content:
                if not _words(self.text[piece[0] : piece[1]]):
                    continue
                if any(lo < piece[1] and piece[0] < hi for lo, hi in direct_ranges):
                    continue
                records.append(_Record(self.balance(piece), False, a))
        return records

    def is_title(self, q: Quoted, words: list[str]) -> bool:
        """A quoted name or title ("the 2024 Industry Report", “War and Peace”), not a quote."""
        return (len(words) >= 2 and _title_like(words) and self.text[q.end - 1] not in ",.?!"
                and not self.title_case_line(q))

    def balance(self, piece: Range) -> Range:
        """Keep a reported clause's quotation marks paired: take in a closing mark just
        past its end, drop an opening mark whose quote it leaves before the close."""
        start, end = piece
        for q in self.quoted:
            if start <= q.open < end < q.close <= end + 3:
                end = q.close
            elif start == q.open and q.close > end:
                start = q.start
            elif q.open < start < q.close == end:
                end = q.end
        return _trim(self.text, start, end)

    def inside_quote(self, offset: int, quoted: list[Quoted]) -> bool:
        """Is ``offset`` inside one of ``quoted`` long enough to be speech (not a scare quote)?"""
        return any(q.start <= offset < q.end for q in quoted)


def _actor_id(actors: ActorTable, head: Token | None, rng: Range) -> str | None:
    actor = actors.actor_for_token(head) if head is not None else None
    if actor is None:
        actor = actors.actor_at(rng[0], rng[1])
    return None if actor is None else actor.id


def _span(story: Story, text: str, rng: Range) -> TextSpan:
    """A contract span for combined-string range ``rng`` (``text`` is ``story.doc.text``, read once)."""
    start, end, _ = story.locate(*rng)
    return TextSpan(text=text[rng[0] : rng[0] + end - start], start=start, end=end)


def extract_quotes(story: Story, actors: ActorTable, lexicon: QuoteLexicon | None = None) -> list[Quote]:
    """Direct quotes and reported speech of ``story``, ids ``Q1``... in text order (title first);
    ``lexicon`` is the quote knowledge (default: the bundled lexicon)."""
    lex = lexicon if lexicon is not None else load_lexicon()
    text = combined_text(story.document)[0]  # story.doc.text, without rebuilding it from the tokens
    doc = story.doc
    if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) != len(text):
        text = doc.text
    finder = _Finder(story.doc, text, lex, find_quoted(text, lex.marks), find_attributions(story.doc, lex))
    quotes: list[Quote] = []
    for record in finder.run():
        start, end = record.content
        if end <= start:
            continue
        in_title = story.in_title(start)
        speaker: Speaker | None = None
        cue: TextSpan | None = None
        a = record.attribution
        if a is not None and a.speaker is not None and story.in_title(a.speaker[0]) == in_title:
            span = _span(story, text, a.speaker)
            speaker = Speaker(_actor_id(actors, a.speaker_head, a.speaker), span.text, span.start, span.end)
        if a is not None and story.in_title(a.cue[0]) == in_title:
            cue = _span(story, text, a.cue)
        quotes.append(Quote(id=f"Q{len(quotes) + 1}", direct=record.direct, in_title=in_title,
                            speaker=speaker, cue=cue, content=_span(story, text, (start, end))))
    return quotes
