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

from ..nlp import entities
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
_COMMA = re.compile(r",\s*|\s+in\s+|\s*\(")  # "Paris, Texas", "Hyderabad in Pakistan's Sindh", "X (Ga.)"
#: "the Republic of X", "the Islamic Republic of X", "the Kingdom of X": the country X.
_STATE_OF = re.compile(
    r"^(?:[Tt]he )?(?:[A-Z][a-z]+ ){0,3}(?:Republic|Kingdom|Commonwealth|Federation|State|Sultanate|"
    r"Emirate|Principality|Union) of (?:the )?(.+)$")
#: "<Office or body> of [the] <Place>" at the end of an organisation's name.
_OF_PLACE = re.compile(r"\b([A-Z][a-z]+) of (?:the )?([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,2})$")
#: A city this big may be named at the end of an office ("Mayor of London", "Governor of Lagos").
BIG_TOWN = 500_000
_NEXT_WORD = re.compile(r" ([A-Za-z]+)\b")
#: Entity labels of names that may begin with a place's name ("Cambridge Analytica").
_NAME_LABELS = frozenset(["ORG", "FAC", "WORK_OF_ART", "PRODUCT", "EVENT", "PERSON"])
#: What may stand between two entities that together are one name ("Washington, D.C.").
_JOINERS = frozenset([" ", ", ", " and ", " & "])
#: "BEIRUT (AP) —", "KYIV, Ukraine (Reuters) -", "By A. Writer. BOSTON (Reuters) -": an all-caps
#: place at the start of the body or of a paragraph, before a comma, a bracket or a dash; after
#: a sentence's end only before a bracket or a dash ("... the event. NAPLES – The mayor").
_DATELINE = re.compile(
    r"(?:(?:^|\n)[ \t]*(?:By [^\n]{1,60}?\.\s+)?|(?<=[.!?] )(?=[^,\n]{2,40}?\s*(?:\(|[—–]|--?\s)))"
    r"([A-Z][A-Z'’.-]*[A-Z.](?: [A-Z][A-Z'’.-]*[A-Z.]){0,3})"
    r"(?=\s*(?:,\s|\(|[—–]|--?\s))"
)
#: "SALT LAKE CITY The governor said...": two all-caps words opening the story, no punctuation.
_OPENING = re.compile(r"[ \t]*([A-Z]{2,}(?: [A-Z]{2,}){1,3}) (?=[A-Z][a-z])")


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
    #: countries of the admin1 regions listed with it ("California or Washington")
    listed_with_regions: set[str] = field(default_factory=set)
    key: str = ""
    dateline: bool = False  # "BEIRUT (AP) —": the place the story was filed from
    needs_country: bool = False  # "in WA": an abbreviation alone needs its country in the story
    echo: bool = False  # an untagged repeat of a name tagged elsewhere: a place only if that one is
    before_facility: bool = False  # "Heathrow airport": named for a building, not a small town


def find_candidates(story: Story, text: str, gaz: Gazetteer) -> list[Candidate]:
    """The story's candidate place mentions in text order, "X, Y" links resolved."""
    sent_starts = [s.start_char for s in story.sentences]
    candidates = _find_candidates(story, text, gaz, sent_starts)
    _link_within(text, candidates)
    _link_lists(text, candidates)
    return candidates


#: A span to read: start, end (combined string), strong label, first token, locative cue.
_Span = tuple[int, int, bool, int, bool]


def _find_candidates(story: Story, text: str, gaz: Gazetteer, sent_starts: list[int]) -> list[Candidate]:
    doc = story.doc
    locative, place_nouns = gaz.cues["locative"], gaz.cues["place_noun"]
    dwellers = gaz.cues.get("dwellers", frozenset())
    special = _datelines(text, story.body_start, gaz, sent_starts) + _abbreviations(text, gaz, sent_starts)
    taken = [(c.start, c.end) for c in special]
    all_ents = list(entities(doc))
    spans, covered = _entity_spans(doc, all_ents, text, gaz)
    spans.extend(_missed_spans(doc, covered, locative, place_nouns, dwellers))
    modifiers = _modifier_spans(doc, all_ents, gaz)
    spans.extend(modifiers)
    inside_names = {(m[0], m[1]) for m in modifiers}  # already judged against the name around them
    known = {name_key(text[slice(*_trim(text, s, e))]) for s, e, *_ in spans}
    untagged, echoes = _untagged_spans(doc, covered, gaz, known)
    spans.extend(untagged)
    spans.sort()
    out: list[Candidate] = list(special)
    facilities = gaz.cues.get("facility", frozenset())
    org_names = {_trim_text(e.text) for e in all_ents if e.label_ in _NAME_LABELS and " " in e.text}
    for start, end, strong, first, cue in spans:
        if any(s < end and start < e for s, e in taken):
            continue
        cue = cue or _has_cue(doc, first, locative, place_nouns | dwellers)
        sent = max(0, bisect.bisect_right(sent_starts, start) - 1)
        initial = bool(sent_starts) and sent_starts[sent] == start
        for cand in _read_span(gaz, text, start, end, strong, cue, sent, initial):
            if (start, end) in inside_names \
                    or not _part_of_a_name(text, cand, gaz.cues.get("name_head", frozenset()), org_names):
                cand.echo = start in echoes
                after = _NEXT_WORD.match(text, cand.end)
                cand.before_facility = after is not None and after.group(1).casefold() in facilities
                out.append(cand)
    out.sort(key=lambda c: (c.start, c.end))
    for a, b in itertools.pairwise(out):  # "hit Rafah and Khan Younis": the cue covers both
        if a.cue and not b.cue and text[a.end : b.start] in (" and ", ", ", " or ", ", and "):
            b.cue = True
    return out


def _entity_spans(doc: Doc, all_ents: list[Span], text: str, gaz: Gazetteer) -> tuple[list[_Span], set[int]]:
    """spaCy's place-like entities, merged and extended where the gazetteer says so."""
    locative = gaz.cues["locative"]
    ents = [e for e in all_ents if e.label_ in STRONG_LABELS or e.label_ in WEAK_LABELS
            or (e.label_ == "NORP" and (_region_after_cue(doc, e, gaz, locative) or _named_place(e.text, gaz)
                                        or _before_admin_word(doc, e, gaz)))]
    spans: list[_Span] = []
    covered: set[int] = set()
    i = 0
    while i < len(ents):
        ent = ents[i]
        start, end, strong, last = ent.start_char, ent.end_char, ent.label_ in STRONG_LABELS, ent.end - 1
        if ent.label_ in ("ORG", "FAC") and _us_university(ent.text, gaz):
            covered.update(range(ent.start, ent.end))  # "Ohio State" (University), not the state
            i += 1
            continue
        if i + 1 < len(ents):  # "Republika" + "Srpska", "Washington, D.C.", "Trinidad and Tobago"
            nxt = ents[i + 1]
            if text[end : nxt.start_char] in _JOINERS and gaz.is_known(text[start:nxt.end_char]):
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
            if _us_university(text[start : doc[last + 1].idx + len(doc[last + 1])], gaz):
                covered.update(range(ent.start, last + 2))  # "Ohio State beat Michigan"
                i += 1
                continue
            # "Kharkiv" + " region": the word says it is a place, whatever spaCy's label
            end, last, strong = doc[last + 1].idx + len(doc[last + 1]), last + 1, True
        elif _named_with_next(doc, last, end, gaz, text[start:end]):
            covered.update(range(ent.start, last + 1))  # "Cambridge Analytica", "Paris Hilton"
            i += 1
            continue
        spans.append((start, end, strong, ent.start, False))
        covered.update(range(ent.start, last + 1))
        i += 1
    return spans, covered


def _named_place(text: str, gaz: Gazetteer) -> bool:
    """A NORP entity that is really a country's or a city's own name ("Beirut"), not a demonym
    ("Lebanese"). Not a region's: many are named after their people ("Somali", "Afar")."""
    key = name_key(text)
    return any(name_key(m.entry.name) == key and (m.entry.kind == COUNTRY or (
        m.entry.kind == CITY and m.entry.population >= MID_TOWN)) for m in gaz.lookup(text))


def _before_admin_word(doc: Doc, ent: Span, gaz: Gazetteer) -> bool:
    """A NORP entity before "province", "region"... that names one ("Punjab province")."""
    return ent.end < len(doc) and doc[ent.end].lower_ in gaz.admin_words and bool(gaz.admins_named(ent.text))


def _us_university(text: str, gaz: Gazetteer) -> bool:
    """ "Ohio State", "Colorado State University": a US state's name + capitalised "State".

    Americans write "State" after a state's name for its university; only the states
    named like a big city ("New York State", "Washington State") use it for the state.
    """
    words = _trim_text(text).split()
    if len(words) < 2 or "State" not in words[1:]:
        return False
    core = " ".join(words[: words.index("State", 1)])
    admins = gaz.admins_named(core)
    if not admins or any(a.country != "USA" for a in admins):
        return False
    return not any(m.preferred and m.entry.kind == CITY for m in gaz.lookup(core))


def _named_with_next(doc: Doc, last: int, end: int, gaz: Gazetteer, here: str) -> bool:
    """A place name right before another name the gazetteer does not know: one longer name.

    "Cambridge" + "Analytica", "Paris" + "Hilton": spaCy split a firm's or a person's name.
    A country stays a place ("Ukraine" + "Defence Ministry" is Ukraine's ministry).
    """
    if last + 1 >= len(doc):
        return False
    nxt = doc[last + 1]
    if nxt.idx != end + 1 or not nxt.is_title or nxt.pos_ != "PROPN":
        return False
    if not (nxt.ent_iob_ == "B" and nxt.ent_type_ in ("GPE", "LOC", "FAC", "ORG", "PERSON")) and nxt.ent_type_:
        return False  # "Moscow Thursday" (a date)
    name = nxt.text
    if gaz.is_known(name) or nxt.lower_ in gaz.admin_words or nxt.lower_.rstrip(".") in gaz.cues.get("office", ()):
        return False  # "Texas Governor", "Kyiv Mayor", "Gaza Strip"
    facility = gaz.cues.get("facility", frozenset())
    for tok in doc[last + 1 : min(len(doc), last + 5)]:  # "Damascus International Airport" is in Damascus
        if not tok.is_title:
            break
        if tok.lower_ in facility:
            return False
    return not any(m.entry.kind == COUNTRY or m.preferred for m in gaz.lookup(here))


def _trim_text(text: str) -> str:
    start, end = _trim(text, 0, len(text))
    return text[start:end]


def _datelines(text: str, body_start: int, gaz: Gazetteer, sent_starts: list[int]) -> list[Candidate]:
    """The all-caps place a news agency puts before the story ("WASHINGTON —")."""
    out: list[Candidate] = []
    opening = _OPENING.match(text, body_start)
    for m in itertools.chain([opening] if opening else [], _DATELINE.finditer(text, body_start)):
        start, end = m.span(1)
        if any(c.start == start for c in out):
            continue
        name = text[start:end].rstrip(".") if not text[start:end].endswith("ST.") else text[start:end]
        end = start + len(name)
        if len(name) < 3 or not any(c.isalpha() for c in name):
            continue
        # "UN", "HIV": a short all-caps word names a country or an alias only ("US"), never a town
        matches = [x for x in gaz.lookup(name if len(name) <= 3 else name.title()) if x.entry.kind != OTHER]
        if not matches and name.endswith(" CITY"):  # "CEBU CITY": the city Cebu
            matches = [x for x in gaz.lookup(name[:-5].title()) if x.entry.kind == CITY]
        if not matches:
            continue
        sent = max(0, bisect.bisect_right(sent_starts, start) - 1)
        out.append(Candidate(start, end, True, True, sent, False, matches, key=name_key(name), dateline=True))
    return out


def _abbreviation_patterns(abbreviations: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    alts = "|".join(re.escape(a) for a in sorted(abbreviations, key=len, reverse=True))
    end = r"(?=$|[\s,;:)—–])"
    after_name = re.compile(rf"(?<=[A-Za-z.])(?:,\s|\s?\()({alts}){end}")
    after_cue = re.compile(rf"\b(?:in|across|throughout|from|to)\s({alts}){end}")
    return after_name, after_cue


_PATTERNS: dict[tuple[str, ...], tuple[re.Pattern[str], re.Pattern[str]]] = {}


def _abbreviations(text: str, gaz: Gazetteer, sent_starts: list[int]) -> list[Candidate]:
    """"Gainesville, Va.", "Cobb County (Ga.)", "FRESNO, Calif. (AP)"; "in WA" needs its country."""
    if not gaz.abbreviations:
        return []
    keys = tuple(gaz.abbreviations)
    if keys not in _PATTERNS:
        _PATTERNS[keys] = _abbreviation_patterns(keys)
    after_name, after_cue = _PATTERNS[keys]
    out: dict[int, Candidate] = {}
    for pattern, alone in ((after_name, False), (after_cue, True)):
        for m in pattern.finditer(text):
            start, end = m.span(1)
            if start in out:
                continue
            before = text[max(0, m.start() - 40) : m.start()]
            if not alone and not re.search(r"[A-Z][\w'’.-]*$", before):
                continue  # "Gainesville, Va.": a capitalised name before the comma
            matches = [Match(e, preferred=True) for e in gaz.abbreviations[m.group(1)]]
            sent = max(0, bisect.bisect_right(sent_starts, start) - 1)
            out[start] = Candidate(start, end, True, True, sent, False, matches, admin_only=True,
                                   key=name_key(m.group(1)), needs_country=alone)
    return list(out.values())


def _modifier_spans(doc: Doc, all_ents: list[Span], gaz: Gazetteer) -> list[_Span]:
    """A country inside an amount of money ("5 billion US dollars") or at the end of an
    office's or body's name ("the Foreign Minister of Uzbekistan", "Mayor of London"): a place
    as a modifier. Banks and universities keep their names ("Bank of England")."""
    spans: list[_Span] = []
    heads = gaz.cues.get("name_head", frozenset()) | {"bank"}
    facilities = gaz.cues.get("facility", frozenset())
    keeps = gaz.cues.get("title", frozenset()) | facilities
    for ent in all_ents:
        label = ent.label_
        # Span.text joins the tokens on every access: read once, for the names it is asked of
        words = ent.text if label in ("ORG", "PERSON", "FAC", "WORK_OF_ART") else ""
        if label in ("ORG", "PERSON", "FAC") and len(ent) > 1 and (
                "'s" in words or "’s" in words or any(t.lower_.rstrip(".") in keeps for t in ent[1:])):
            lead = _leading_place(ent, gaz, keeps, facilities)
            if lead is not None:
                spans.append(lead)
                continue
        if label in ("ORG", "PERSON", "WORK_OF_ART"):
            m = _OF_PLACE.search(words) if " of " in words else None
            if m and m.group(1).casefold() not in heads:
                place = m.group(2)
                found = gaz.lookup(place)
                if any(x.entry.kind in (COUNTRY, ADMIN) or (x.preferred and x.entry.kind == OTHER)
                       or (x.entry.kind == CITY and x.entry.population >= BIG_TOWN) for x in found):
                    start = ent.start_char + m.start(2)
                    part = doc.char_span(start, ent.end_char, alignment_mode="expand")
                    if part is not None:
                        spans.append((start, ent.end_char, False, part.start, False))
            continue
        if label != "MONEY":
            continue
        for tok in ent:
            if (tok.pos_ == "PROPN" or tok.is_upper) and len(tok.text) > 1 \
                    and any(m.entry.kind == COUNTRY for m in gaz.lookup(tok.text)):
                spans.append((tok.idx, tok.idx + len(tok.text), False, tok.i, False))
    return spans


def _leading_place(ent: Span, gaz: Gazetteer, keeps: frozenset[str], facilities: frozenset[str]) -> _Span | None:
    """The place that opens an organisation's or a person's name when the rest does not
    make it part of a name: a possessive ("Chile's Mining Ministry", "Ontario's
    Opposition"), or an office or a building there ("Alberta Premier Danielle Smith",
    "Lagos Governor", "Bristol Hospital")."""
    first = 1 if ent[0].lower_ == "the" else 0
    for k in range(min(len(ent) - 1, first + 3), first, -1):
        nxt = ent[k]
        possessive = nxt.text in ("'s", "’s")
        building = any(t.lower_ in facilities for t in ent[k : k + 3])  # "X International Airport"
        if not possessive and not building and nxt.lower_.rstrip(".") not in keeps:
            continue
        part = ent[first:k]
        found = [m for m in gaz.lookup(part.text) if m.entry.kind != CITY or m.entry.population >= 15_000]
        if found and all(t.is_title or t.is_upper for t in part):
            return (part.start_char, part.end_char, False, part.start, False)
    return None


def _part_of_a_name(text: str, cand: Candidate, heads: frozenset[str], org_names: set[str]) -> bool:
    """ "Washington Post", "Cambridge University", "State Street": the place names something else.

    Also the first words of an organisation the story names elsewhere: after "Cambridge
    Analytica" (ORG) once, "the Cambridge Analytica scandal" is no Cambridge either.
    """
    m = re.match(r" ([A-Z][a-z]*)\b", text[cand.end : cand.end + 30])
    if m is not None and m.group(1).casefold() in heads:
        return True
    if any(m.entry.kind == COUNTRY or m.preferred for m in cand.matches):
        return False  # "EU Transport Commissioner": a country or alias stays a place
    return any(len(org) > cand.end - cand.start and text.startswith(org, cand.start) for org in org_names)


def _region_after_cue(doc: Doc, ent: Span, gaz: Gazetteer, locative: frozenset[str]) -> bool:
    """A NORP entity that is a region after "in" ("farmers in Punjab"), not a demonym."""
    if ent.start == 0 or doc[ent.start - 1].lower_ not in locative:
        return False
    matches = gaz.lookup(ent.text)
    return bool(matches) and all(m.entry.kind in (ADMIN, COUNTRY) for m in matches)


def _missed_spans(doc: Doc, covered: set[int], locative: frozenset[str],
                  place_nouns: frozenset[str], dwellers: frozenset[str] = frozenset()) -> list[_Span]:
    """Proper names spaCy did not tag, where the words around say they are places.

    "the city of X" (strong); "in X", "near X", "X, Pakistan", "X in Pakistan", the next name
    of a list of tagged places ("Lagos, Abuja and Port Harcourt") and the "Ukraine" of
    "Russia-Ukraine" (weak, with a cue: they still need the story's context to be accepted).
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
        after_cue = tok.pos_ == "PROPN" and (prev.lower_ in locative or (
            prev.lower_ == "of" and i > 1 and doc[i - 2].lower_ in dwellers))  # "residents of X"
        after_hyphen = (prev.text in ("-", "/") and i - 2 in covered and tok.pos_ == "PROPN"
                        and prev.idx == doc[i - 2].idx + len(doc[i - 2]) and tok.idx == prev.idx + 1)
        j = i
        while j < n and j in titled and j not in covered \
                and doc[j].ent_type_ not in NOT_PLACE_LABELS and (after_of or doc[j].pos_ == "PROPN"):
            j += 1
        # "Hyderabad, Pakistan" / "Hyderabad in Pakistan's Sindh": a name before a tagged place
        before_place = j > i and j + 1 < n and j + 1 in covered and doc[j].lower_ in (",", "in")
        # "in Lagos, Abuja and Port Harcourt": the next name of a list of tagged places
        in_list = tok.pos_ == "PROPN" and _after_listed_place(doc, i, covered)
        if not (after_of or after_cue or after_hyphen or before_place or in_list):
            continue
        if j == i:
            continue
        spans.append((tok.idx, doc[j - 1].idx + len(doc[j - 1]), after_of, i, True))
        covered.update(range(i, j))
        done = j - 1
    return spans


def _after_listed_place(doc: Doc, i: int, covered: set[int]) -> bool:
    """Whether token ``i`` follows "<tagged place>, " or "<tagged place> and/or" (", and")."""
    j = i - 1
    if doc[j].lower_ in ("and", "or"):
        j -= 1
        if j >= 0 and doc[j].text == ",":
            j -= 1
    elif doc[j].text == ",":
        j -= 1
    else:
        return False
    return j >= 0 and j in covered and doc[j].ent_type_ in STRONG_LABELS


def _untagged_spans(doc: Doc, covered: set[int], gaz: Gazetteer, known: set[str]) -> tuple[list[_Span], set[int]]:
    """Capitalised names spaCy left untagged that are places by themselves.

    A country's name or alias ("Moldova wants closer ties", "the Foreign Minister of
    Uzbekistan"), a first-level region with its generic word ("Kano State"), and repeats of a
    name tagged elsewhere in the story ("Afrin is quiet"; a place only if that
    other mention is one: ``Candidate.echo``).
    """
    from spacy.attrs import IS_TITLE, IS_UPPER, POS

    spans: list[_Span] = []
    echoes: set[int] = set()
    n = len(doc)
    flags = doc.to_array([IS_TITLE, IS_UPPER, POS])
    propn = doc.vocab.strings["PROPN"]
    # cheap first pass: capitalised proper nouns spaCy did not tag or tagged as a weak label
    capitalised = (flags[:, 0] > 0) | (flags[:, 1] > 0)
    names = {int(i) for i in (capitalised & (flags[:, 2] == propn)).nonzero()[0]}
    names = {i for i in names if i not in covered and doc[i].ent_type_ not in NOT_PLACE_LABELS
             and (not doc[i].ent_type_ or doc[i].ent_type_ in WEAK_LABELS)
             and (doc[i].is_title or len(doc[i]) > 1)}
    done = -1
    for i in sorted(names):
        if i <= done:
            continue
        j = i
        while j < n and j - i < 4 and j in names:
            j += 1
        for k in range(j, i, -1):
            kind = _untagged_kind(doc[i:k].text, doc[k - 1].lower_, gaz, known)
            if kind:
                start, end = doc[i].idx, doc[k - 1].idx + len(doc[k - 1])
                spans.append((start, end, False, i, False))
                if kind == "echo":
                    echoes.add(start)
                covered.update(range(i, k))
                done = k - 1
                break
        else:
            done = j - 1
    return spans, echoes


def _untagged_kind(name: str, last: str, gaz: Gazetteer, known: set[str]) -> str:
    matches = gaz.lookup(name)
    if any(m.entry.kind == COUNTRY or (m.preferred and m.entry.kind == OTHER) for m in matches):
        return "country"
    if last in gaz.admin_words and " " in name and gaz.admins_named(name.rsplit(" ", 1)[0]):
        return "admin"
    if matches and name_key(name) in known:
        return "echo"
    return ""


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
    words = name.split()
    if matches and len(words) > 1 and words[-1].casefold() in gaz.admin_words \
            and any(m.entry.kind == ADMIN for m in matches):  # "Kano State": the word says it is a place
        admins = [m for m in matches if m.entry.kind == ADMIN]
        return [Candidate(start, end, True, cue, sent, initial, admins, admin_only=True, key=name_key(name))]
    if matches:
        return [make(start, end, matches)]
    if not strong and words[-1].casefold() not in gaz.admin_words:  # "Kiev Oblast" is a place
        return []
    state_of = _STATE_OF.match(name)
    if state_of:  # "the Republic of Armenia", "the Kingdom of Saudi Arabia"
        found = [m for m in gaz.lookup(state_of.group(1)) if m.entry.kind == COUNTRY]
        if found:
            return [Candidate(start, end, strong, cue, sent, initial, found, key=name_key(state_of.group(1)))]
    directions = gaz.cues.get("direction", frozenset())
    lead = 0
    while lead < len(words) - 1 and words[lead].casefold() in directions:
        lead += 1
    if lead:  # "north east London", "West Texas": the place is the rest, the span the whole
        rest = " ".join(words[lead:])
        found = [m for m in gaz.lookup(rest) if m.entry.kind != CITY or m.entry.population >= MID_TOWN]
        if found:
            return [Candidate(start, end, strong, cue, sent, initial, found, key=name_key(rest))]
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
    for i, (a, b) in enumerate(itertools.pairwise(candidates)):
        sep = _COMMA.match(text, a.end)
        if sep is None or sep.end() != b.start:
            continue
        containers = [m.entry for m in b.matches if m.entry.kind in (COUNTRY, ADMIN)]
        if not containers or any(m.entry.kind in (COUNTRY, OTHER) for m in a.matches):
            continue  # "Canada, Britain, France" is a list, not a place in a country
        after = candidates[i + 2] if i + 2 < len(candidates) else None
        if any(m.preferred and m.entry.kind == CITY for m in b.matches) and after is not None \
                and text[b.end : after.start] in _LIST:
            continue  # "Washington, New York and San Francisco": a list of cities
        inside = [m for m in a.matches if m.entry.kind in (CITY, ADMIN) and _contained(m.entry, containers)]
        if inside:
            a.matches, a.within, b.container = inside, containers, True
        else:  # a place missing from the gazetteer, or a list of places ("Beijing, New York")
            a.outside = True


_LIST = frozenset([", ", " and ", " or ", ", and ", ", or ", " & "])


def _link_lists(text: str, candidates: list[Candidate]) -> None:
    """"California or Washington", "Kansas, Georgia and Alabama": a name listed with a region
    that can only be an admin1 region is read as one too."""
    for a, b in itertools.pairwise(candidates):
        if text[a.end : b.start] not in _LIST:
            continue
        for this, other in ((a, b), (b, a)):
            kinds = {m.entry.kind for m in other.matches}
            if ADMIN in kinds and COUNTRY not in kinds and OTHER not in kinds \
                    and not any(m.preferred and m.entry.kind != ADMIN for m in other.matches):
                this.listed_with_regions.update(
                    m.entry.country for m in other.matches if m.entry.kind == ADMIN and m.entry.country)


def _contained(entry: Entry, containers: list[Entry]) -> bool:
    for box in containers:
        if box.kind == COUNTRY and entry.country == box.country:
            return True
        if box.kind == ADMIN and entry.admin_code == box.admin_code and entry.kind == CITY:
            return True
    return False


