"""Story-level decisions once every mention is found: the story's own country, titled
officials without a country, "his country", and merging agent nouns into actors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..nlp import entities
from .assemble import Cluster, dominant_country
from .describe import LOCATIVE, STATE_SECTORS, Tokens
from .knowledge import ActorKnowledge

if TYPE_CHECKING:
    from ..nlp import Story


def settle(
    story: Story,
    toks: Tokens,
    kb: ActorKnowledge,
    named: list[Cluster],
    agents: list[tuple[Cluster, bool, bool]],
    get_cluster: Callable[[tuple[str, ...], str], Cluster],
) -> dict[tuple[str, ...], Cluster]:
    """Give the story's country where it is clearly meant, and merge the agent clusters.

    ``named`` (names, terms, titled persons) is updated in place (states reached through
    "his country" are appended); the merged agent clusters are returned by key.
    """
    doc = story.doc
    places = frozenset(
        first
        for cl in named
        if cl.kind == "state"
        for first, last, _ in cl.mentions
        if doc[last - 1].dep_ == "pobj" and doc[last - 1].head.lower_ in LOCATIVE
    )
    home = dominant_country(named + [cl for cl, _, _ in agents if cl.country], places)
    if home is not None:
        sent_of = toks.sent_start
        foreign = {  # sentences naming another country: "President X" there may be its president
            sent_of[first]
            for cl in named
            if cl.country not in (None, home) and cl.sector != "JRN"  # "told VOA" is no hint
            for first, _, _ in cl.mentions
        }
        for cl in named:  # "President Emmerson Mnangagwa" in a story about Zimbabwe
            if (
                cl.kind == "person"
                and cl.code is None
                and cl.role
                and cl.sector in STATE_SECTORS
                and (not cl.names or sent_of[cl.names[0][0]] not in foreign)
            ):
                cl.country = cl.code = home
    for cl in named:  # "President Bush": an official named by the last name of known people of one country
        if cl.kind == "person" and cl.code is None and cl.role and cl.sector in STATE_SECTORS:
            words = {toks.text[first] for first, last in cl.names if last - first == 1}
            if len(words) == 1 and all(last - first == 1 for first, last in cl.names):
                cl.country = cl.code = kb.surname_country(words.pop())
    places_by_sentence = _sentence_places(toks, kb, named)  # by the token a place hangs on
    pron_owner = {
        first: cl
        for cl in named + [a for a, _, _ in agents]
        for first, _, kind in cl.mentions
        if kind == "pronoun"
    }
    merged: dict[tuple[str, ...], Cluster] = {}
    key: tuple[str, ...]
    for cl, local, _foreign in agents:
        if cl.possessor is not None:
            holder = pron_owner.get(cl.possessor)
            local = False
            if holder is not None and cl.country is None and holder.country:
                cl.country = cl.code = holder.country
        if cl.kind == "state":  # "his country", "the country"
            iso = cl.country or (home if local else None)
            if iso is not None:
                state = get_cluster(("state", iso), "state")
                state.fill(code=iso, country=iso)
                state.display = state.display or kb.countries.get(iso)
                state.mentions.extend(cl.mentions)
                if state not in named:
                    named.append(state)
            continue
        cl.local = not _foreign  # "Western opposition" never merges into "UK opposition"
        if cl.country is None and cl.code is None and local and home is not None:
            cl.country = cl.code = home

        if cl.kind == "person":  # "his incoming US counterpart": the one US official named
            same = [
                p
                for p in named
                if p.kind == "person" and p.country == cl.country and p.sector == cl.sector
            ]
            if len(same) == 1:
                same[0].mentions.extend(cl.mentions)
                continue
        key = ("agent", cl.agent_key or "", cl.code or "", cl.country or "", cl.sector or "")
        if key in merged:
            merged[key].mentions.extend(cl.mentions)
        else:
            cl.key = key
            merged[key] = cl
    by_noun: dict[tuple[str, str], list[Cluster]] = {}
    for akey in sorted(merged):
        if akey[3]:
            by_noun.setdefault((akey[1], akey[4]), []).append(merged[akey])
    for akey in sorted(merged):
        same = by_noun.get((akey[1], akey[4]), [])
        if not akey[2] and not akey[3] and len(same) == 1 and merged[akey].local:
            # "the police" after "Iraqi police"
            same[0].mentions.extend(merged.pop(akey).mentions)
    for cl in merged.values():
        # the ICEWS/Phoenix rule for unknown actors: a group the tables do not place takes the
        # country of the place its sentences name ("militants attacked a convoy in Mali")
        if cl.country is None and cl.code is None and cl.local and cl.sector not in PLACE_SKIP \
                and cl.kind != "state" and cl.possessor is None:
            where = {
                iso
                for _, last, kind in cl.mentions
                if kind != "pronoun"
                for iso in _clause_places(toks, last - 1, places_by_sentence)
            }
            if len(where) == 1:
                cl.country = cl.code = next(iter(where))
    if home is None:
        _sentence_country(toks, named, list(merged.values()))
    return merged


#: Prepositions that say where something happens ("in Mali", "near Kandahar"), for the
#: unknown-actor rule (not "to"/"from": "officials travelled to Moscow" are not Russian).
PLACE_PREPS = frozenset({"in", "at", "near", "across", "throughout", "inside", "around", "within"})
#: Sectors often foreign where they are: troops, refugees (as in ``extract.WHERE_SKIP``), and
#: officials and diplomats, who travel ("the two presidents cooperate in Syria").
PLACE_SKIP = frozenset({"MIL", "REF", "GOV"})


def _sentence_places(toks: Tokens, kb: ActorKnowledge, named: list[Cluster]) -> dict[int, set[str]]:
    """The countries of the places named after a locative preposition ("in Mali", "near
    Kandahar"), by the token the preposition hangs on: token index → ISO3 codes. Countries and
    capitals come from the state actors' mentions, other places (cities, provinces) from
    ``kb.places``."""
    doc = toks.doc
    out: dict[int, set[str]] = {}
    covered: set[int] = set()
    for cl in named:
        if cl.kind != "state" or not cl.country:
            continue
        for first, last, kind in cl.mentions:
            covered.update(range(first, last))
            tok = doc[last - 1]
            if kind == "state" and tok.dep_ == "pobj" and tok.head.lower_ in PLACE_PREPS:
                out.setdefault(tok.head.head.i, set()).add(cl.country)
    if kb.places:
        for ent in entities(doc):
            if ent.label_ not in ("GPE", "LOC") or ent.start in covered:
                continue
            root = ent.root
            if root.dep_ != "pobj" or root.head.lower_ not in PLACE_PREPS:
                continue
            text = "".join(t.text for t in ent if t.text.lower() != "the")
            iso = kb.country_of(text) or kb.place_country(text)
            if iso is not None:
                out.setdefault(root.head.head.i, set()).add(iso)
    return out


#: Dependents of a verb whose place phrases say where the verb's agent acted ("stormed a hotel
#: in X": the object's place counts too).
_CLAUSE_ARGS = frozenset({"dobj", "attr", "nsubjpass", "nsubj", "agent"})


def _clause_places(toks: Tokens, head: int, places: dict[int, set[str]]) -> set[str]:
    """Countries of the places in the clause of the noun at token ``head``: on the noun itself,
    on its verb, or on the verb's subject or object ("Gunmen stormed a hotel in Beledweyne")."""
    tok = toks.doc[head]
    anchors = {tok.i}
    while tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.i != tok.i:
        tok = tok.head.head  # "leaders of the coalition": the clause of "leaders"
        anchors.add(tok.i)
    verb = tok.head if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "conj") else None
    while verb is not None and verb.dep_ == "conj" and verb.pos_ not in ("VERB", "AUX"):
        verb = verb.head  # "militants and gunmen": up to the verb
    if verb is not None and verb.pos_ in ("VERB", "AUX"):
        verbs = [verb, *(c for c in verb.children if c.dep_ == "xcomp")]  # "agreed to postpone"
        for v in verbs:
            anchors.add(v.i)
            anchors.update(c.i for c in v.children if c.dep_ in _CLAUSE_ARGS)
    found: set[str] = set()
    for i in anchors:
        found |= places.get(i, set())
    return found


#: Prepositions whose object receives an act ("against Russia", "to President X").
RECIPIENT_PREPS = frozenset({"against", "to", "toward", "towards", "on", "with", "at"})

#: Up to this many sentences, a story is short enough for an agent noun ("rebels", "refugees")
#: to take the one country its sentence names.
SHORT_STORY = 3


def _sentence_country(toks: Tokens, named: list[Cluster], agents: list[Cluster]) -> None:
    """With no story country: a titled state official without a country takes the one country
    its sentence names ("Sri Lankan troops ... President X"); in a short story, so does a
    non-foreign agent noun ("Rebels in the Ivory Coast", "Shona rebels ... the Mozambique
    government"). Two countries in the sentence leave it null."""
    sent_of = toks.sent_start
    doc = toks.doc
    countries: dict[int, set[str]] = {}
    for_persons: dict[int, set[str]] = {}  # without states and persons named as recipients
    spans: list[tuple[int, int, int]] = []
    for cl in named + agents:
        own = [(f, la) for f, la, kind in cl.mentions if kind != "pronoun"]
        spans.extend((f, la, id(cl)) for f, la in own)
        if cl.country is not None and cl.sector != "JRN":  # "told AFP" is no hint
            for first, last in own:
                countries.setdefault(sent_of[first], set()).add(cl.country)
                tok = doc[last - 1]
                while tok.dep_ == "conj" and tok.head.i != tok.i:  # "Peru and Bolivia"
                    tok = tok.head
                recipient = cl.kind in ("state", "person") and (
                    tok.dep_ in ("dobj", "dative")
                    or (tok.dep_ == "pobj" and tok.head.lower_ in RECIPIENT_PREPS))
                if not recipient:  # "President X threatened action against Russia": not Russian
                    for_persons.setdefault(sent_of[first], set()).add(cl.country)
    open_ = [cl for cl in named if cl.kind == "person" and cl.code is None and cl.role
             and cl.sector in STATE_SECTORS]
    if len(set(sent_of)) <= SHORT_STORY:
        open_ += [cl for cl in agents if cl.local and cl.code is None and cl.country is None
                  and cl.kind != "state" and cl.possessor is None]
        open_ += [cl for cl in named if cl.key[0] == "people" and cl.code is None]  # "ethnic Albanians"
    for cl in open_:
        own = [(f, la) for f, la, kind in cl.mentions if kind != "pronoun"]
        if not own:
            continue
        first, last = own[0]
        if any(first <= f and la <= last and key != id(cl) for f, la, key in spans) or (
                first > 0 and toks.text[first - 1] in ("'s", "’s")):
            continue  # "G7 foreign ministers", "the court's president": the phrase names its body
        # a person, or an organ of a state ("the government condemned Russia"), is not of the
        # country it acts on; other agents often are ("rebels attacked the Mozambique government")
        officials = cl.kind == "person" or cl.sector in STATE_SECTORS
        found = (for_persons if officials else countries).get(sent_of[first], set())
        if len(found) == 1:
            cl.country = cl.code = next(iter(found))
