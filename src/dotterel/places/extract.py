"""Toponyms of a story → :class:`~dotterel.model.Place` records.

1. **Spans.** spaCy's GPE, LOC and FAC entities (strong evidence), PERSON and
   ORG entities whose whole text is a gazetteer name (weak evidence: spaCy's small
   model calls "Aktau" a person), and capitalised names after "the city of",
   "the town of"... that spaCy missed. A leading "the" and a possessive are
   trimmed; "Ghazni province" / "Kharkiv region" name a first-level region;
   "Russia-Ukraine" is read as two names; adjacent entities that together form a
   gazetteer name ("Republika" + "Srpska") are merged.
2. **Context.** Countries named unambiguously anywhere in the story, the
   actors' countries, the admin1 regions named ("Texas"), and the countries named
   in the same sentence.
3. **Choice.** Each candidate record scores its prior (countries and regions
   first, then admin1 regions, then cities by log population), a bonus when an
   alias names it (``aliases.tsv``), and bonuses for story, sentence and admin1
   context. "X, Y" (``Paris, Texas``) keeps only the X inside Y. A country name is
   never read as a town.
4. **Precision.** A small town needs its country in the story; a weakly
   labelled name needs context and a locative cue; a name that is part of a
   person's name in the story ("Washington" when "Denzel Washington" is there)
   or listed in ``not_places.tsv`` is not a city.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Mention, Place
from ..nlp import combined_text
from .gazetteer import ADMIN, CITY, COUNTRY, OTHER, Entry, Gazetteer, Match, name_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from ..actors import ActorTable
    from ..nlp import Story

STRONG_LABELS = frozenset({"GPE", "LOC", "FAC"})
WEAK_LABELS = frozenset({"PERSON", "ORG"})
#: Entity labels whose words are never read as a missed place name ("in March").
NOT_PLACE_LABELS = frozenset(
    {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "NORP", "LANGUAGE", "EVENT", "LAW"}
)
#: Below this population a city needs its country or its admin1 region in the same sentence.
SMALL_TOWN = 15_000
#: Below this population a city needs its country in the story, and "X, Y" with no X inside Y drops X.
MID_TOWN = 100_000
#: From this population a city needs no locative cue when weakly labelled.
BIG_CITY = 1_000_000

_LEADING = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING = re.compile(r"(?:\s*['’]s?|[\s,;:!?\"“”)]+)$")
_SEPARATOR = re.compile(r"[-–/]")
_COMMA = re.compile(r",\s*|\s+in\s+")  # "Paris, Texas", "Hyderabad in Pakistan's Sindh"

# score weights: a country named elsewhere is a mild hint (the US is named in most
# stories); a region named ("Texas"), or a sibling region ("Kansas, Nebraska"), a strong one.
_ALIAS = 4.0
_EXACT = 2.0  # the record's own name, not one of its alternate names ("New Delhi")
_IN_STORY = 1.0
_IN_SENTENCE = 0.5
_IN_ADMIN = 2.0
_SIBLING_ADMIN = 2.0
_NEAR = 2  # sentences


@dataclass
class _Candidate:
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
    own_country: str | None = None  # what this mention added to the story's countries
    key: str = ""


def extract_places(story: Story, gazetteer: Gazetteer, actors: ActorTable) -> list[Place]:
    """Geocode the story's toponyms: one Place per distinct place, in order of first mention.

    ``actors`` gives context only (their countries); it may be empty.
    """
    text, _ = combined_text(story.document)  # == story.doc.text, which is slow to rebuild
    sent_starts = [s.start_char for s in story.sentences]
    candidates = _find_candidates(story, text, gazetteer, sent_starts)
    if not candidates:
        return []
    _link_within(text, candidates)
    in_story, in_sentence, admins = _context(candidates, actors)
    person_words = _person_words(story, actors)
    choices = _choose_all(candidates, in_story, in_sentence, admins)
    places: dict[str, Place] = {}
    for cand, entry in zip(candidates, choices, strict=True):
        if entry is None or not _accept(cand, entry, in_story, in_sentence, admins, person_words):
            continue
        place = places.get(entry.ident)
        if place is None:
            place = places[entry.ident] = Place(
                name=entry.name,
                country=entry.country,
                admin1=entry.admin1 if entry.kind in (CITY, ADMIN) else None,
                lat=entry.lat,
                lon=entry.lon,
                geonames_id=entry.geonames_id,
                feature=entry.kind,
            )
        place.mentions.append(_mention(story, text, cand.start, cand.end))
    return list(places.values())


def _mention(story: Story, text: str, start: int, end: int) -> Mention:
    """``story.mention(start, end)`` without rebuilding ``doc.text``."""
    s, e, in_title = story.locate(start, end)
    return Mention(start=s, end=e, text=text[start : start + (e - s)], in_title=in_title)


# -- spans ----------------------------------------------------------------------------
#: A span to read: start, end (combined string), strong label, first token, locative cue.
_Span = tuple[int, int, bool, int, bool]


def _find_candidates(story: Story, text: str, gaz: Gazetteer, sent_starts: list[int]) -> list[_Candidate]:
    doc = story.doc
    locative, place_nouns = gaz.cues["locative"], gaz.cues["place_noun"]
    spans, covered = _entity_spans(doc, text, gaz)
    spans.extend(_missed_spans(doc, covered, locative, place_nouns))
    spans.sort()
    out: list[_Candidate] = []
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
) -> list[_Candidate]:
    start, end = _trim(text, start, end)
    if end <= start:
        return []
    name = text[start:end]

    def make(s: int, e: int, matches: list[Match], *, admin_only: bool = False,
             city_only: bool = False) -> _Candidate:
        return _Candidate(s, e, strong, cue, sent, initial, matches, admin_only, city_only,
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
            for m in core_matches:
                code = m.entry.admin_code
                if m.entry.kind == CITY and code in gaz.admins and code not in seen:
                    seen.add(code)
                    admins.append(Match(gaz.admins[code]))
        if admins:  # "Kiev Oblast": the word says it is a place, whatever spaCy's label
            return [_Candidate(start, end, True, cue, sent, initial, admins, admin_only=True,
                               key=name_key(name))]
        countries = [m for m in core_matches if m.entry.kind == COUNTRY]
        return [make(start, end, countries)] if countries else []
    if _SEPARATOR.search(name):
        parts: list[_Candidate] = []
        for part in re.finditer(r"[^-–/]+", name):
            s, e = _trim(text, start + part.start(), start + part.end())
            found = [m for m in gaz.lookup(text[s:e]) if m.entry.kind != CITY or m.entry.population >= 100_000]
            if found:
                parts.append(make(s, e, found))
        return parts
    return []


def _link_within(text: str, candidates: list[_Candidate]) -> None:
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


# -- context and choice ---------------------------------------------------------------
def _distinct(matches: list[Match]) -> list[Entry]:
    seen: dict[str, Entry] = {}
    for m in matches:
        seen.setdefault(m.entry.ident, m.entry)
    return list(seen.values())


def _context(
    candidates: list[_Candidate], actors: ActorTable
) -> tuple[Counter[str], dict[int, set[str]], dict[str, list[int]]]:
    """Countries of the story, countries by sentence, admin1 codes: from unambiguous names."""
    in_story: Counter[str] = Counter()
    in_sentence: dict[int, set[str]] = {}
    admins: dict[str, list[int]] = {}  # admin1 code -> sentences naming it
    for cand in candidates:
        entries = _distinct(cand.matches)
        preferred = [m.entry for m in cand.matches if m.preferred]
        if len(entries) != 1 and len({e.ident for e in preferred}) == 1 and cand.strong:
            entries = preferred[:1]
        countries = {e.country for e in entries}
        if len(entries) > 1 and len(countries) == 1 and cand.strong:  # "New Delhi" (or Delhi): India
            country = next(iter(countries))
            if country:
                in_story[country] += 1
                cand.own_country = country
            continue
        if len(entries) != 1 or (not cand.strong and entries[0].kind == CITY):
            continue
        entry = entries[0]
        if entry.country:
            in_story[entry.country] += 1
            cand.own_country = entry.country
            in_sentence.setdefault(cand.sent, set()).add(entry.country)
        if entry.admin_code and entry.kind == ADMIN:  # "Texas", not "Houston": a named region
            admins.setdefault(entry.admin_code, []).append(cand.sent)
    for actor in getattr(actors, "actors", ()) or ():
        country = getattr(actor, "country", None)
        if isinstance(country, str) and len(country) == 3:
            in_story[country] += 1
    return in_story, in_sentence, admins


def _score(match: Match, cand: _Candidate, in_story: Counter[str],
           in_sentence: dict[int, set[str]], admins: dict[str, list[int]]) -> float:
    entry = match.entry
    score = entry.prior + (_ALIAS if match.preferred else 0.0)
    if name_key(entry.name) == cand.key:
        score += _EXACT
    if entry.country and entry.kind != OTHER:
        if in_story[entry.country]:
            score += _IN_STORY
        if entry.country in in_sentence.get(cand.sent, ()):
            score += _IN_SENTENCE
    if entry.kind == CITY and entry.admin_code and _near(admins.get(entry.admin_code), cand.sent):
        score += _IN_ADMIN
    if entry.kind == ADMIN and entry.admin_code and entry.country:
        if _near(admins.get(entry.admin_code), cand.sent):
            score += _IN_ADMIN
        elif any(code.startswith(entry.country + ".") and _near(sents, cand.sent)
                 for code, sents in admins.items()):
            score += _SIBLING_ADMIN
    return score


def _near(sentences: list[int] | None, sent: int) -> bool:
    """A region named within two sentences: "Paris ... the governor of Texas", not 40 lines away."""
    return bool(sentences) and any(abs(s - sent) <= _NEAR for s in sentences or ())


def _choose_all(candidates: list[_Candidate], in_story: Counter[str],
                in_sentence: dict[int, set[str]], admins: dict[str, list[int]]) -> list[Entry | None]:
    """The record of each mention; one sense per story for the same plain name.

    Mentions of the same name without a constraint of their own ("X, Y", "X province")
    get the record with the highest total score over all of them: "Rome" is one
    city throughout a story, not Rome, Italy in the headline and Rome, New York
    where New York is named nearby.
    """
    groups: dict[str, list[int]] = {}
    for i, cand in enumerate(candidates):
        if not (cand.within or cand.container or cand.admin_only or cand.city_only):
            groups.setdefault(cand.key, []).append(i)
    ranked = [_ranked(cand, in_story, in_sentence, admins) for cand in candidates]
    choices: list[Entry | None] = [r[0][1].entry if r else None for r in ranked]
    for members in groups.values():
        if len(members) < 2:
            continue
        totals: dict[str, float] = {}
        entries: dict[str, Entry] = {}
        for i in members:
            best_here: dict[str, float] = {}
            for score, match in ranked[i]:
                ident = match.entry.ident
                best_here[ident] = max(score, best_here.get(ident, score))
                entries.setdefault(ident, match.entry)
            for ident, score in best_here.items():
                totals[ident] = totals.get(ident, 0.0) + score
        best = max(totals, key=lambda ident: (totals[ident], entries[ident].population,
                                              -(entries[ident].geonames_id or 0), ident))
        for i in members:
            choices[i] = entries[best]
    return choices


def _ranked(cand: _Candidate, in_story: Counter[str], in_sentence: dict[int, set[str]],
            admins: dict[str, list[int]]) -> list[tuple[float, Match]]:
    """The candidate records of a mention, best first, with their scores."""
    matches = cand.matches
    if cand.container:
        matches = [m for m in matches if m.entry.kind in (COUNTRY, ADMIN)]
    if cand.admin_only:
        matches = [m for m in matches if m.entry.kind == ADMIN]
    elif cand.city_only:
        matches = [m for m in matches if m.entry.kind == CITY]
    else:
        # a name that is an admin1 region and a town of that region ("Donetsk"): the town
        named_admins = {m.entry.admin_code for m in matches if m.entry.kind == ADMIN}
        if named_admins and any(m.entry.kind == CITY and m.entry.admin_code in named_admins
                                and name_key(m.entry.name) == cand.key
                                and m.entry.population >= 100_000 for m in matches):
            matches = [m for m in matches if m.entry.kind != ADMIN]
    scored = [(_score(m, cand, in_story, in_sentence, admins), m) for m in matches]
    scored.sort(key=lambda sm: (-sm[0], -sm[1].entry.population, sm[1].entry.geonames_id or 0,
                                sm[1].entry.name, not sm[1].preferred))
    return scored


def _accept(cand: _Candidate, entry: Entry, in_story: Counter[str], in_sentence: dict[int, set[str]],
            admins: dict[str, list[int]], person_words: frozenset[str]) -> bool:
    key = cand.key
    # its country named somewhere else in the story (this mention's own evidence does not count)
    others = in_story[entry.country] - (cand.own_country == entry.country) if entry.country else 0
    known_country = others > 0 or bool(cand.within)
    if entry.kind in (CITY, ADMIN) and key in person_words:
        return False
    if entry.kind == ADMIN and entry.country != "USA" and not known_country \
            and not cand.admin_only and name_key(entry.name) != key:
        return False  # "Manus" is not Manus Province without Papua New Guinea in the story
    if entry.kind == CITY:
        if cand.outside and entry.population < MID_TOWN:
            return False  # "Charlevoix, Quebec" is not Charlevoix, Michigan
        if entry.population < MID_TOWN and not known_country:
            return False  # a town abroad that nothing else in the story points to ("Korea", Ivory Coast)
        if entry.population < SMALL_TOWN and not (
            cand.within or (entry.admin_code and _near(admins.get(entry.admin_code), cand.sent))
            or entry.country in in_sentence.get(cand.sent, ())
        ):
            return False
        if cand.sent_initial and " " not in key and not known_country:
            return False
        if not cand.strong:
            return known_country and (cand.cue or entry.population >= BIG_CITY)
        return True
    if cand.strong:
        return True
    if key in person_words:
        return False
    if entry.kind == ADMIN:
        return known_country
    if entry.kind == COUNTRY:
        return True  # "Mali" tagged ORG is still Mali (not "Chad" of "Chad Smith": see above)
    return cand.cue or known_country


def _person_words(story: Story, actors: ActorTable) -> frozenset[str]:
    """Words of the multi-word person names of the story ("Denzel Washington")."""
    words: set[str] = set()
    for ent in story.doc.ents:
        if ent.label_ == "PERSON" and len(ent) > 1:
            words.update(name_key(t.text) for t in ent if t.is_alpha)
    for actor in getattr(actors, "actors", ()) or ():
        name = getattr(actor, "name", "")
        if getattr(actor, "kind", None) == "person" and isinstance(name, str) and " " in name:
            words.update(name_key(w) for w in name.split())
    return frozenset(words)
