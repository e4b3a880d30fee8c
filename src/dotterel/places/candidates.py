"""Where a story names places: candidate spans and the gazetteer records each may name.

spaCy's GPE, LOC and FAC entities are strong evidence; PERSON and ORG entities
whose whole text is a gazetteer name are weak evidence (spaCy's small model
calls "Aktau" a person); NORP entities after "in" that name a region ("farmers
in Punjab"); capitalised names spaCy missed after "the city of", after a
locative word, before ", Country" / "in Country", and the second half of
"Russia-Ukraine". A leading "the" and a possessive are trimmed; "Ghazni
province" / "Kharkiv region" name a first-level region; adjacent entities that
together form a gazetteer name ("Republika" + "Srpska") are merged.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .gazetteer import ADMIN, CITY, COUNTRY, OTHER, Entry, Gazetteer, Match, name_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from ..nlp import Story

STRONG_LABELS = frozenset({"GPE", "LOC", "FAC"})
WEAK_LABELS = frozenset({"PERSON", "ORG"})
#: Entity labels whose words are never read as a missed place name ("in March").
NOT_PLACE_LABELS = frozenset(
    {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "NORP", "LANGUAGE", "EVENT", "LAW"}
)
#: Cities from this population count as a part of "X-Y" or a region's namesake.
MID_TOWN = 100_000

_LEADING = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING = re.compile(r"(?:\s*['’]s?|[\s,;:!?\"“”)]+)$")
_SEPARATOR = re.compile(r"[-–/]")
_COMMA = re.compile(r",\s*|\s+in\s+")  # "Paris, Texas", "Hyderabad in Pakistan's Sindh"


@dataclass
class Candidate:
    """A span of the story that may name a place, and the records it may name."""

    start: int  # combined-string offsets
    end: int
    strong: bool
    cue: bool
    sent: int
    sent_initial: bool
    matches: list[Match]
    admin_only: bool = False
    city_only: bool = False
    within: list[Entry] = field(default_factory=list)
    container: bool = False  # the Y of "X, Y"
    outside: bool = False  # the X of "X, Y" where no X of the gazetteer is inside Y
    key: str = ""


def find_candidates(story: Story, text: str, gaz: Gazetteer) -> list[Candidate]:
    """The story's candidate place mentions in text order, "X, Y" links resolved."""
    sent_starts = [s.start_char for s in story.sentences]
    candidates = _find_candidates(story, text, gaz, sent_starts)
    _link_within(text, candidates)
    return candidates


#: A span to read: start, end (combined string), strong label, first token, locative cue.
_Span = tuple[int, int, bool, int, bool]


def _find_candidates(story: Story, text: str, gaz: Gazetteer, sent_starts: list[int]) -> list[Candidate]:
    doc = story.doc
    locative, place_nouns = gaz.cues["locative"], gaz.cues["place_noun"]
    spans, covered = _entity_spans(doc, text, gaz)
    spans.extend(_missed_spans(doc, covered, locative, place_nouns))
    spans.sort()
    out: list[Candidate] = []
    for start, end, strong, first, cue in spans:
        cue = cue or _has_cue(doc, first, locative, place_nouns)
        sent = max(0, bisect.bisect_right(sent_starts, start) - 1)
        initial = bool(sent_starts) and sent_starts[sent] == start
        out.extend(_read_span(gaz, text, start, end, strong, cue, sent, initial))
    for a, b in itertools.pairwise(out):  # "hit Rafah and Khan Younis": the cue covers both
        if a.cue and not b.cue and text[a.end : b.start] in (" and ", ", ", " or ", ", and "):
            b.cue = True
    return out


def _entity_spans(doc: Doc, text: str, gaz: Gazetteer) -> tuple[list[_Span], set[int]]:
    """spaCy's place-like entities, merged and extended where the gazetteer says so."""
    locative = gaz.cues["locative"]
    ents = [e for e in doc.ents if e.label_ in STRONG_LABELS or e.label_ in WEAK_LABELS
            or (e.label_ == "NORP" and _region_after_cue(doc, e, gaz, locative))]
    spans: list[_Span] = []
    covered: set[int] = set()
    i = 0
    while i < len(ents):
        ent = ents[i]
        start, end, strong, last = ent.start_char, ent.end_char, ent.label_ in STRONG_LABELS, ent.end - 1
        if i + 1 < len(ents):  # "Republika" + "Srpska"
            nxt = ents[i + 1]
            if nxt.start_char == end + 1 and text[end] == " " and gaz.is_known(text[start:nxt.end_char]):
                end, strong, last = nxt.end_char, strong or nxt.label_ in STRONG_LABELS, nxt.end - 1
                i += 1
        while last + 2 < len(doc) and doc[last + 1].text == "-" and doc[last + 2].idx == end + 1 \
                and gaz.is_known(text[start : doc[last + 2].idx + len(doc[last + 2])]):
            end, last = doc[last + 2].idx + len(doc[last + 2]), last + 2  # "Guinea" + "-Bissau"
        if last + 2 < len(doc) and doc[last + 1].text == "-" and doc[last + 2].is_title \
                and doc[last + 1].idx == end and doc[last + 2].idx == end + 1 \
                and not any(m.entry.kind != CITY or m.entry.population >= MID_TOWN
                            for m in gaz.lookup(doc[last + 2].text)):
            covered.update(range(ent.start, last + 3))  # "Guinea-Lanta", an NGO: not Guinea
            i += 1
            continue
        if last + 1 < len(doc) and doc[last + 1].lower_ in gaz.admin_words \
                and doc[last + 1].idx == end + 1 \
                and not any(m.entry.kind == COUNTRY for m in gaz.lookup(text[start:end])):
            # "Kharkiv" + " region": the word says it is a place, whatever spaCy's label
            end, last, strong = doc[last + 1].idx + len(doc[last + 1]), last + 1, True
        spans.append((start, end, strong, ent.start, False))
        covered.update(range(ent.start, last + 1))
        i += 1
    return spans, covered


def _region_after_cue(doc: Doc, ent: Span, gaz: Gazetteer, locative: frozenset[str]) -> bool:
    """A NORP entity that is a region after "in" ("farmers in Punjab"), not a demonym."""
    if ent.start == 0 or doc[ent.start - 1].lower_ not in locative:
        return False
    matches = gaz.lookup(ent.text)
    return bool(matches) and all(m.entry.kind in (ADMIN, COUNTRY) for m in matches)


def _missed_spans(doc: Doc, covered: set[int], locative: frozenset[str],
                  place_nouns: frozenset[str]) -> list[_Span]:
    """Proper names spaCy did not tag, where the words around say they are places.

    "the city of X" (strong); "in X", "near X", "X, Pakistan", "X in Pakistan" and the
    "Ukraine" of "Russia-Ukraine" (weak, with a cue: they still need the story's
    context to be accepted).
    """
    from spacy.attrs import IS_TITLE

    spans: list[_Span] = []
    n = len(doc)
    titled = {int(i) for i in doc.to_array([IS_TITLE]).nonzero()[0]}  # cheap: most tokens are not
    done = -1
    for i in sorted(titled):
        if i == 0 or i <= done or i in covered:
            continue
        tok, prev = doc[i], doc[i - 1]
        if tok.ent_type_ in NOT_PLACE_LABELS:  # "in March"
            continue
        after_of = prev.lower_ == "of" and i > 1 and doc[i - 2].lower_ in place_nouns
        after_cue = prev.lower_ in locative and tok.pos_ == "PROPN"
        after_hyphen = (prev.text in ("-", "/") and i - 2 in covered and tok.pos_ == "PROPN"
                        and prev.idx == doc[i - 2].idx + len(doc[i - 2]) and tok.idx == prev.idx + 1)
        j = i
        while j < n and j in titled and j not in covered \
                and doc[j].ent_type_ not in NOT_PLACE_LABELS and (after_of or doc[j].pos_ == "PROPN"):
            j += 1
        # "Hyderabad, Pakistan" / "Hyderabad in Pakistan's Sindh": a name before a tagged place
        before_place = j > i and j + 1 < n and j + 1 in covered and doc[j].lower_ in (",", "in")
        if not (after_of or after_cue or after_hyphen or before_place):
            continue
        if j == i:
            continue
        spans.append((tok.idx, doc[j - 1].idx + len(doc[j - 1]), after_of, i, True))
        covered.update(range(i, j))
        done = j - 1
    return spans


def _has_cue(doc: Doc, first: int, locative: frozenset[str], place_nouns: frozenset[str]) -> bool:
    j = first - 1
    if j >= 0 and doc[j].lower_ == "the":
        j -= 1
    if j < 0:
        return False
    word = doc[j].lower_
    if word in locative or word in place_nouns:
        return True
    return word == "of" and j > 0 and doc[j - 1].lower_ in place_nouns


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    span = text[start:end]
    lead = _LEADING.match(span)
    if lead:
        start += lead.end()
    span = text[start:end]
    trail = _TRAILING.search(span)
    if trail and trail.start() > 0:
        end = start + trail.start()
    return start, end


def _read_span(
    gaz: Gazetteer, text: str, start: int, end: int, strong: bool, cue: bool, sent: int, initial: bool
) -> list[Candidate]:
    start, end = _trim(text, start, end)
    if end <= start:
        return []
    name = text[start:end]

    def make(s: int, e: int, matches: list[Match], *, admin_only: bool = False,
             city_only: bool = False) -> Candidate:
        return Candidate(s, e, strong, cue, sent, initial, matches, admin_only, city_only,
                          key=name_key(text[s:e]))

    matches = gaz.lookup(name)
    if matches:
        return [make(start, end, matches)]
    words = name.split()
    if not strong and words[-1].casefold() not in gaz.admin_words:  # "Kiev Oblast" is a place
        return []
    if len(words) > 1 and words[-1].casefold() in gaz.admin_words | {"city"}:
        core = " ".join(words[:-1])
        if words[-1].casefold() == "city":
            found = [m for m in gaz.lookup(core) if m.entry.kind == CITY]
            return [make(start, end, found, city_only=True)] if found else []
        core_matches = gaz.lookup(core)
        regions = [m for m in core_matches if m.entry.kind == OTHER]  # "the Sahel region"
        if regions:
            return [make(start, end, regions)]
        admins = [Match(a) for a in gaz.admins_named(core)]
        if not admins:  # "Kharkiv region": the admin1 region of the city Kharkiv
            seen: set[str] = set()
            for m in core_matches:  # a big city of that very name, not "Sunshine state"
                code = m.entry.admin_code
                if m.entry.kind == CITY and code in gaz.admins and code not in seen \
                        and m.entry.population >= MID_TOWN and name_key(m.entry.name) == name_key(core):
                    seen.add(code)
                    admins.append(Match(gaz.admins[code]))
        if admins:  # "Kiev Oblast": the word says it is a place, whatever spaCy's label
            return [Candidate(start, end, True, cue, sent, initial, admins, admin_only=True,
                               key=name_key(name))]
        countries = [m for m in core_matches if m.entry.kind == COUNTRY]
        return [make(start, end, countries)] if countries else []
    if _SEPARATOR.search(name):
        parts: list[Candidate] = []
        for part in re.finditer(r"[^-–/]+", name):
            s, e = _trim(text, start + part.start(), start + part.end())
            found = [m for m in gaz.lookup(text[s:e]) if m.entry.kind != CITY or m.entry.population >= 100_000]
            if found:
                parts.append(make(s, e, found))
        return parts
    return []


def _link_within(text: str, candidates: list[Candidate]) -> None:
    """"X, Y" with Y a country or admin1 region: keep only the X inside Y."""
    for a, b in itertools.pairwise(candidates):
        sep = _COMMA.match(text, a.end)
        if sep is None or sep.end() != b.start:
            continue
        containers = [m.entry for m in b.matches if m.entry.kind in (COUNTRY, ADMIN)]
        if not containers or any(m.entry.kind in (COUNTRY, OTHER) for m in a.matches):
            continue  # "Canada, Britain, France" is a list, not a place in a country
        inside = [m for m in a.matches if m.entry.kind in (CITY, ADMIN) and _contained(m.entry, containers)]
        if inside:
            a.matches, a.within, b.container = inside, containers, True
        else:  # a place missing from the gazetteer, or a list of places ("Beijing, New York")
            a.outside = True


def _contained(entry: Entry, containers: list[Entry]) -> bool:
    for box in containers:
        if box.kind == COUNTRY and entry.country == box.country:
            return True
        if box.kind == ADMIN and entry.admin_code == box.admin_code and entry.kind == CITY:
            return True
    return False


