"""Which record a candidate names, and whether to trust it (disambiguation).

**Context.** Countries named unambiguously elsewhere in the story, the actors'
countries, the admin1 regions named ("Texas") and the sentences they are in.

**Choice.** Each record scores its prior (countries and regions first, then
admin1 regions, then cities by log population), a bonus when an alias names it
(``aliases.tsv``) or when the mention is its own name, and bonuses for story,
sentence and nearby-region context. The same plain name gets one record per
story. A country name is never read as a town (see ``Gazetteer.lookup``).

**Precision.** A small town needs its country in the story; a weakly labelled
name needs context and a locative cue; a name that is part of a person's name in
the story ("Washington" when "Denzel Washington" is there) is not a city or a
region. A mention's own evidence never vouches for it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..nlp import entities
from .candidates import MID_TOWN, Candidate
from .gazetteer import ADMIN, CITY, COUNTRY, OTHER, SMALL_PLACE, Entry, Match, name_key

if TYPE_CHECKING:
    from ..actors import ActorTable
    from ..nlp import Story

#: Below this population a city needs its country or its admin1 region in the same sentence.
SMALL_TOWN = 15_000
#: From this population a city needs no locative cue when weakly labelled.
BIG_CITY = 1_000_000

# score weights: a country named elsewhere is a mild hint (the US is named in most
# stories); a region named nearby ("Texas"), or a sibling region ("Kansas, Nebraska"), a strong one.
_ALIAS = 4.0
_EXACT = 2.0  # the record's own name, not one of its alternate names ("New Delhi")
_IN_STORY = 1.0
_IN_SENTENCE = 0.5
_IN_ADMIN = 2.0
_SIBLING_ADMIN = 2.0
_LISTED_WITH_REGION = 4.0  # "California or Washington": the state, not the capital
_REGION_NAMED = 3.0  # "Washington" in a story filed from "SPOKANE, Wash.": the state
_NEAR = 2  # sentences
#: Words that make a region's name generic ("Eastern District"): it needs its country named.
_GENERIC = frozenset(["north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "upper", "lower", "capital", "district", "region", "province", "state"])


@dataclass
class Context:
    """What the story says about where it is."""

    in_story: Counter[str] = field(default_factory=Counter)  # ISO3 -> mentions (+ actors)
    in_sentence: dict[int, set[str]] = field(default_factory=dict)  # sentence -> ISO3
    admins: dict[str, list[int]] = field(default_factory=dict)  # admin1 code -> sentences naming it
    #: admin1 code -> the names a strong mention may name it by ("Alabama", "Wash.")
    story_admins: dict[str, set[str]] = field(default_factory=dict)
    by_name: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def elsewhere(self, cand: Candidate, country: str | None) -> bool:
        """``country`` is named in the story by something other than this very name."""
        if not country:
            return False
        return self.in_story[country] - self.by_name[cand.key][country] > 0

    def region_named(self, admin_code: str | None, cand: Candidate) -> bool:
        """The admin1 region is named in the story by another name than this mention's."""
        return admin_code is not None and bool(self.story_admins.get(admin_code, set()) - {cand.key})

    def near(self, admin_code: str | None, sent: int) -> bool:
        """A region named within two sentences: "Paris ... the governor of Texas", not 40 lines away."""
        return admin_code is not None and any(abs(s - sent) <= _NEAR for s in self.admins.get(admin_code, ()))


def _distinct(matches: list[Match]) -> list[Entry]:
    seen: dict[str, Entry] = {}
    for m in matches:
        seen.setdefault(m.entry.ident, m.entry)
    return list(seen.values())


def build_context(candidates: list[Candidate], actors: ActorTable) -> Context:
    """Countries and regions the story names unambiguously, and the actors' countries."""
    ctx = Context()
    for cand in candidates:
        entries = _distinct(cand.matches)
        preferred = [m.entry for m in cand.matches if m.preferred]
        if len(entries) != 1 and len({e.ident for e in preferred}) == 1 and cand.strong:
            entries = preferred[:1]
        admins = [e for e in entries if e.kind == ADMIN]
        if cand.strong and len(admins) == 1 and admins[0].admin_code \
                and all(e.kind == CITY and e.population < admins[0].population for e in entries if e is not admins[0]):
            ctx.story_admins.setdefault(admins[0].admin_code, set()).add(cand.key)  # "Alabama" (also a town in Texas)
        countries = {e.country for e in entries}
        if len(entries) > 1 and len(countries) == 1 and cand.strong:  # "New Delhi" (or Delhi): India
            country = next(iter(countries))
            if country:
                ctx.in_story[country] += 1
                ctx.by_name[cand.key][country] += 1
            continue
        if len(entries) != 1 or (not cand.strong and entries[0].kind == CITY):
            continue
        entry = entries[0]
        if entry.country:
            ctx.in_story[entry.country] += 1
            ctx.by_name[cand.key][entry.country] += 1
            ctx.in_sentence.setdefault(cand.sent, set()).add(entry.country)
        if entry.admin_code and entry.kind == ADMIN:  # "Texas", not "Houston": a named region
            ctx.admins.setdefault(entry.admin_code, []).append(cand.sent)
            ctx.story_admins.setdefault(entry.admin_code, set()).add(cand.key)
    for actor in getattr(actors, "actors", ()) or ():
        country = getattr(actor, "country", None)
        if isinstance(country, str) and len(country) == 3:
            ctx.in_story[country] += 1
    return ctx


def _prior(entry: Entry) -> float:
    """The record's prior; a small admin1 region weighs no more than a town its size.

    (``Entry.prior`` gives every admin1 region 6.5: a Jamaican parish of 60,000 people
    would beat Manchester, England.)
    """
    if entry.kind == ADMIN:
        return min(entry.prior, max(3.0, math.log10(entry.population + 1) + 0.5))
    return entry.prior


def add_choices(ctx: Context, chosen: list[tuple[Candidate, Entry]]) -> Context | None:
    """The context plus the countries of the trusted places whose name alone was ambiguous.

    "London" (also in Ontario and Kentucky) does not count as Britain before it is
    resolved; once the story's reading of it is trusted it does: "born in Manchester"
    next to London is Manchester, England. None when the trusted places add nothing.
    """
    adding = [(cand, entry) for cand, entry in chosen
              if entry.country and entry.kind in (CITY, ADMIN) and cand.strong
              and len({m.entry.country for m in cand.matches}) > 1]
    if not adding:
        return None
    out = Context(Counter(ctx.in_story), {k: set(v) for k, v in ctx.in_sentence.items()},
                  dict(ctx.admins), {k: set(v) for k, v in ctx.story_admins.items()}, defaultdict(Counter))
    for key, counts in ctx.by_name.items():
        out.by_name[key] = Counter(counts)
    for cand, entry in adding:  # an unambiguous name is counted already
        assert entry.country is not None
        out.in_story[entry.country] += 1
        out.by_name[cand.key][entry.country] += 1
        out.in_sentence.setdefault(cand.sent, set()).add(entry.country)
        if entry.kind == ADMIN and entry.admin_code:
            out.story_admins.setdefault(entry.admin_code, set()).add(cand.key)
    return out


def _score(match: Match, cand: Candidate, ctx: Context) -> float:
    entry = match.entry
    score = _prior(entry) + (_ALIAS if match.preferred else 0.0)
    if name_key(entry.name) == cand.key:
        score += _EXACT
    if entry.country and entry.kind != OTHER:
        if ctx.in_story[entry.country]:
            score += _IN_STORY
        if entry.country in ctx.in_sentence.get(cand.sent, ()):
            score += _IN_SENTENCE
    if entry.kind == CITY and ctx.near(entry.admin_code, cand.sent):
        score += _IN_ADMIN
    elif entry.kind == CITY and ctx.region_named(entry.admin_code, cand):
        score += _IN_STORY  # "Oneonta" in a story about Alabama
    if entry.kind == ADMIN and entry.country in cand.listed_with_regions:
        score += _LISTED_WITH_REGION
    if entry.kind == ADMIN and ctx.region_named(entry.admin_code, cand):
        score += _REGION_NAMED
    if entry.kind == ADMIN and entry.admin_code and entry.country:
        if ctx.near(entry.admin_code, cand.sent):
            score += _IN_ADMIN
        elif any(code.startswith(entry.country + ".") and ctx.near(code, cand.sent) for code in ctx.admins):
            score += _SIBLING_ADMIN
    return score


def choose_all(candidates: list[Candidate], ctx: Context) -> list[Entry | None]:
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
    ranked = [_ranked(cand, ctx) for cand in candidates]
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


def _ranked(cand: Candidate, ctx: Context) -> list[tuple[float, Match]]:
    """The candidate records of a mention, best first, with their scores."""
    matches = cand.matches
    if cand.container:
        matches = [m for m in matches if m.entry.kind in (COUNTRY, ADMIN)]
    if cand.admin_only:
        matches = [m for m in matches if m.entry.kind == ADMIN]
    elif cand.city_only:
        matches = [m for m in matches if m.entry.kind == CITY]
    else:
        # a name that is an admin1 region and a big town of that region ("Donetsk"): the town;
        # "Kyiv" is the city, not "Kyiv Oblast" without its "Oblast"
        big_towns = [m.entry for m in matches if m.entry.kind == CITY and m.entry.population >= MID_TOWN
                     and name_key(m.entry.name) == cand.key]
        if big_towns:
            inside = {e.admin_code for e in big_towns}
            matches = [m for m in matches if m.entry.kind != ADMIN or (
                m.entry.admin_code not in inside and name_key(m.entry.name) == cand.key)]
    scored = [(_score(m, cand, ctx), m) for m in matches]
    scored.sort(key=lambda sm: (-sm[0], -sm[1].entry.population, sm[1].entry.geonames_id or 0,
                                sm[1].entry.name, not sm[1].preferred))
    return scored


def accept(cand: Candidate, entry: Entry, ctx: Context, persons: frozenset[str]) -> bool:
    """Whether to trust the chosen record: precision over recall (``docs/places.md``)."""
    key = cand.key
    known_country = ctx.elsewhere(cand, entry.country) or bool(cand.within)
    if cand.needs_country:  # "water in WA": Western Australia only when Australia is named
        return ctx.elsewhere(cand, entry.country)
    if cand.dateline:  # "BEIRUT (AP) —": the agency names a real place; a small town needs its region
        return entry.kind != CITY or entry.population >= SMALL_TOWN or known_country
    if entry.kind in (CITY, ADMIN) and key in persons:
        return False
    if entry.kind == ADMIN and entry.country != "USA" and not known_country and not cand.admin_only \
            and (name_key(entry.name) != key or not cand.strong or _GENERIC.intersection(key.split())):
        return False  # "Manus" is not Manus Province, nor "Eastern District" in American Samoa
    if entry.kind == CITY:
        return _accept_city(cand, entry, ctx, known_country)
    if cand.strong:
        return True
    if entry.kind == ADMIN:
        return known_country
    if entry.kind == COUNTRY:
        return key not in persons  # "Mali" tagged ORG is still Mali, not "Chad" of "Chad Smith"
    if any(m.preferred and m.entry is entry for m in cand.matches):
        return True  # "EU" tagged ORG is still the EU: an alias of a region is no person or town
    return cand.cue or known_country


def _accept_city(cand: Candidate, entry: Entry, ctx: Context, known_country: bool) -> bool:
    key = cand.key
    if not known_country and name_key(entry.name) != key \
            and not any(m.preferred and m.entry is entry for m in cand.matches):
        return False  # "Lester" (Holt) is not Leicester: an alternate name needs its country
    if cand.before_facility and entry.population < SMALL_TOWN \
            and not (cand.within or ctx.near(entry.admin_code, cand.sent)):
        return False  # "Heathrow airport": an airport or a port is not named after a village abroad
    if cand.outside and entry.population < MID_TOWN:
        return False  # "Charlevoix, Quebec" is not Charlevoix, Michigan
    if entry.population < MID_TOWN and not known_country:
        return False  # a town abroad that nothing else in the story points to ("Korea", Ivory Coast)
    if entry.population < SMALL_PLACE and not (
        cand.within or ctx.near(entry.admin_code, cand.sent)
        or (cand.strong and cand.cue and entry.country in ctx.in_sentence.get(cand.sent, ()))
    ):
        return False  # a village, camp or crossing: where its region, or its country and "in", say so
    if entry.population < SMALL_TOWN and not (
        cand.within or ctx.near(entry.admin_code, cand.sent)
        or entry.country in ctx.in_sentence.get(cand.sent, ())
        or (cand.strong and ctx.region_named(entry.admin_code, cand))  # "Oneonta" in a story about Alabama
    ):
        return False
    if cand.sent_initial and " " not in key and not known_country:
        return False
    if not cand.strong:
        if cand.cue and entry.population >= BIG_CITY and name_key(entry.name) == key:
            return True  # "concerts in Stockholm": a big city by its own name after "in"
        return known_country and (cand.cue or entry.population >= BIG_CITY)
    return True


def person_words(story: Story, actors: ActorTable) -> frozenset[str]:
    """Words of the multi-word person names of the story ("Denzel Washington")."""
    words: set[str] = set()
    for ent in entities(story.doc):
        if ent.label_ == "PERSON" and len(ent) > 1:
            words.update(name_key(t.text) for t in ent if t.is_alpha)
    for actor in getattr(actors, "actors", ()) or ():
        name = getattr(actor, "name", "")
        if getattr(actor, "kind", None) == "person" and isinstance(name, str) and " " in name:
            words.update(name_key(w) for w in name.split())
    return frozenset(words)
