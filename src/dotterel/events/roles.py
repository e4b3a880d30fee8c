"""Who did it and to whom: source and target actors of a trigger from the dependency parse.

Handles active and passive voice, compound actors ("Jordan and Britain"),
reciprocal events (a "with"/"between" party is another source), possessives
and nominalisations ("Putin's visit to Astana"), prepositional targets,
control and transparent verbs ("tried to hack", "urged X to"), and pronouns
through the story's actor table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..language import word_set, words
from ..ontology import type_set
from .triggers import Candidate, objects

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..model import Actor

NP_DEPS = frozenset({"compound", "amod", "poss", "nmod", "appos", "npadvmod", "nummod", "det"})
SUBJ_DEPS = frozenset({"nsubj", "csubj", "expl"})
#: Prepositions whose object is a recipient, in order of preference.
TARGET_PREPS = words("roles.target_preps")
#: Verbs whose object (not subject) does the action of their "to" clause: "urged X to ...".
OBJECT_CONTROL_DEPS = frozenset({"dobj", "obj"})
NESTED_PREPS = word_set("roles.nested_preps")
LOCATED_TARGET_TYPES = type_set("ASSAULT", "THREATEN", "PROTEST", "COERCE", "MOBILIZE")
POSSESSIVE_PRONOUNS = word_set("roles.possessive_pronouns")
RELATIVE_PRONOUNS = word_set("roles.relative_pronouns")
#: Prepositions linking a person (or, with the place ones, an actor noun) to its group.
MEMBER_PREPS = words("roles.member_preps")
MEMBER_PLACE_PREPS = words("roles.member_place_preps")
SOURCE_OF_TYPES = type_set("RETREAT", "MOBILIZE", "CONSULT", "AID", "COOPERATE")
#: Transfers and deployments: the one something is given or sent "to" is the target, not the
#: thing or force sent, even when it is coded as an actor ("supplied drones to Russia",
#: "deployed police officers to Haiti").
RECIPIENT_FIRST_TYPES = type_set("AID", "MOBILIZE")
#: Verbs of acquiring: "bought tanks from Korea" is an exchange with Korea; the tanks (a MIL
#: agent in the tables, for "tanks shelled the town") are goods, never the target.
ACQUIRE_VERBS = word_set("roles.acquire_verbs")
#: Sectors of a state's own forces: deployed or mobilised by their own state, they are no target.
FORCE_SECTORS = frozenset({"MIL", "COP"})


@dataclass
class Filler:
    """An actor filling a role and the token that named it."""

    actor: Actor
    token: Token


@dataclass
class Roles:
    sources: list[Filler] = field(default_factory=list)
    targets: list[Filler] = field(default_factory=list)
    direct_source: bool = False  # the source is a syntactic argument of the trigger itself
    partner_only: bool = False  # a reciprocal event whose only named party is the partner


class ActorFinder:
    """Finds the actors named by a token or inside a noun phrase, via the story's actor table."""

    def __init__(self, table: Any, undergo: frozenset[str] = frozenset(),
                 speech: frozenset[str] = frozenset(), stance: frozenset[str] = frozenset()) -> None:
        self.undergo = undergo
        self.speech = speech
        self.stance = stance  # "in protest of X", "in defiance of X": X is the recipient
        self._by_token = getattr(table, "actor_for_token", None)
        self._at = getattr(table, "actor_at", None)
        self._cache: dict[int, Actor | None] = {}

    def actor_of(self, tok: Token) -> Actor | None:
        """The actor whose mention holds ``tok`` (pronouns resolved by the table), if any."""
        if tok.i in self._cache:
            return self._cache[tok.i]
        found: Actor | None = None
        if self._by_token is not None:
            found = self._by_token(tok)
        if found is None and self._at is not None:
            found = self._at(tok.idx, tok.idx + len(tok))
        self._cache[tok.i] = found
        return found

    def in_phrase(self, head: Token, *, depth: int = 3) -> list[Filler]:
        """Actors a noun phrase names: the head itself, else its modifiers ("Israeli soldiers",
        "Quatar's emir", "leaders of Romania's government"), for each conjunct."""
        out: list[Filler] = []
        for tok in [head, *head.conjuncts]:
            if tok.i != head.i and tok.dep_ != "conj":
                continue
            out.extend(self._one(tok, depth))
        return _unique(out)

    def _one(self, tok: Token, depth: int) -> list[Filler]:
        actor = self.actor_of(tok)
        if actor is not None and (actor.code is not None or depth <= 0):
            return [Filler(actor, tok), *self._coordinated_modifiers(tok, actor)]
        if depth <= 0:
            return []
        found: list[Filler] = []
        for child in tok.children:
            if child.dep_ in NP_DEPS and child.dep_ != "det":
                found.extend(self._one(child, depth - 1))
                for conj in child.conjuncts:
                    if conj.i > child.i:
                        found.extend(self._one(conj, depth - 1))
        preps = MEMBER_PLACE_PREPS if actor is not None else MEMBER_PREPS
        if not any(f.actor.code for f in found):
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in preps:
                    for g in child.children:
                        if g.dep_ == "pobj":
                            found.extend(self.in_phrase(g, depth=depth - 1))
                if any(f.actor.code for f in found):
                    break
        coded = [f for f in found if f.actor.code is not None]
        if coded:
            return coded
        if actor is not None:
            return [Filler(actor, tok)]
        return found


    def _coordinated_modifiers(self, tok: Token, actor: Actor) -> list[Filler]:
        """'French and Egyptian warships': the other coordinated modifier is another actor."""
        out: list[Filler] = []
        for child in tok.children:
            if child.dep_ in ("amod", "compound", "nmod") and child.i < tok.i and child.conjuncts:
                for mod in [child, *child.conjuncts]:
                    other = self.actor_of(mod)
                    if other is not None and other.code is not None and other.id != actor.id:
                        out.append(Filler(other, mod))
        return out


def _unique(fillers: list[Filler]) -> list[Filler]:
    seen: set[str] = set()
    out: list[Filler] = []
    for f in fillers:
        if f.actor.id not in seen:
            seen.add(f.actor.id)
            out.append(f)
    return out


def _children(tok: Token, deps: frozenset[str] | set[str]) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _is_passive(tok: Token) -> bool:
    """Passive voice, including a past participle modifying a noun ("Bolivia, attacked by Peru")."""
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        return True
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)


def subject(tok: Token, finder: ActorFinder, *, hops: int = 4) -> tuple[list[Filler], bool]:
    """The actors doing ``tok`` (a verb or adjective) and whether they are its own argument."""
    passive = _is_passive(tok)
    if passive:
        for agent in _children(tok, {"agent"}):
            for pobj in _children(agent, {"pobj"}):
                found = finder.in_phrase(pobj)
                if found:
                    return found, True
    else:
        for subj in _children(tok, SUBJ_DEPS):
            found = finder.in_phrase(subj)
            if subj.i < tok.i:  # a conjunct after the verb is no subject ("..., and Cuba")
                found = [f for f in found if f.token.i < tok.i] or found
            if found:
                return _unique(_comma_joined(subj, tok, finder) + found), True
            if subj.lower_ in RELATIVE_PRONOUNS and tok.dep_ == "relcl":
                found = finder.in_phrase(tok.head)
                if found:
                    return found, True
            return [], True
    if hops <= 0 or tok.head.i == tok.i or passive or (tok.dep_ == "acl" and tok.tag_ == "VBN"):
        return [], False
    head = tok.head
    if tok.dep_ == "xcomp" and not passive:
        controllers = _children(head, OBJECT_CONTROL_DEPS)
        if controllers:
            found = finder.in_phrase(controllers[0])
            if found:
                return found, False
        if _is_passive(head):  # "X is expected to visit": raising, X is the actor
            for subj in _children(head, {"nsubjpass"}):
                return finder.in_phrase(subj), False
        return subject(head, finder, hops=hops - 1)[0], False
    if tok.dep_ == "acl":  # "Mali's decision to expel", "the EU's plan to send": the noun's owner acts
        owners = [f for c in head.children if c.dep_ == "poss" for f in finder.in_phrase(c)]
        if owners:
            return owners, False
    if tok.dep_ == "acl" and head.dep_ in ("dobj", "attr") and head.head.pos_ in ("VERB", "AUX"):
        # "has plans to meet", "took steps to withdraw": the owner of the plan acts
        return subject(head.head, finder, hops=hops - 1)[0], False
    if tok.dep_ == "conj" and head.lemma_.lower() in finder.speech:
        # "he recalled that the commission ... decided to": a misparse; the conjoined verb
        # continues the reported clause, whose subject is the actor
        for comp in head.children:
            if comp.dep_ == "ccomp" and head.i < comp.i < tok.i:
                own = [f for c in comp.children if c.dep_ == "nsubj" for f in finder.in_phrase(c)]
                if own:
                    return own, False
    if tok.dep_ in ("conj", "acomp") or (tok.dep_ == "advcl" and tok.tag_ == "VBG"):
        # "acomp": a predicative adjective's subject is its copula's ("X is willing to help")
        return subject(head, finder, hops=hops - 1)[0], False
    if tok.dep_ == "relcl" or (tok.dep_ == "acl" and tok.tag_ in ("VBG",)):
        return finder.in_phrase(head), False
    if tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return subject(head, finder, hops=hops - 1)[0], False
    return [], False


def _comma_joined(subj: Token, verb: Token, finder: ActorFinder) -> list[Filler]:
    """Headline coordination without "and": "Armenia, Azerbaijan hold talks", "China, Russia
    sign deal" (the parser hangs the first state on the subject or the verb)."""
    doc = subj.doc
    out: list[Filler] = []
    for cand in [*subj.children, *verb.children]:
        if cand.dep_ not in ("nmod", "appos", "npadvmod", "compound") or cand.i >= subj.i:
            continue
        if cand.i + 1 >= len(doc) or doc[cand.i + 1].text != "," or cand.i + 2 not in (subj.i, subj.left_edge.i):
            continue
        actor = finder.actor_of(cand)
        if actor is not None and actor.kind == "state":
            head = finder.actor_of(subj)
            if head is not None and head.kind == "state":
                out.append(Filler(actor, cand))
    return out


def _dative_targets(tok: Token, finder: ActorFinder) -> list[Filler]:
    """The actors of a verb's indirect object ("gave Ukraine tanks")."""
    return [f for c in _children(tok, {"dative"}) for f in finder.in_phrase(c)]


def _prep_targets(tok: Token, finder: ActorFinder, preps: tuple[str, ...]) -> list[Filler]:
    kids = [(child, child.lower_) for child in tok.children if child.dep_ in ("prep", "dative")]  # read once
    for prep in preps:
        for child, word in kids:
            if word == prep:
                for g in child.children:
                    if g.dep_ == "pobj" and not _owned(g, finder):  # "on its market": the actor's own
                        found = finder.in_phrase(g) or _against(g, finder)
                        if found:
                            return found
    return []


def _as_object(tok: Token, finder: ActorFinder) -> list[Filler]:
    """'denounced as a crime Serbia's crackdown': the parser hangs the late object on the
    "as" phrase as an apposition; it is the verb's object."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "as":
            for g in child.children:
                if g.dep_ == "pobj":
                    for app in g.children:
                        if app.dep_ == "appos" and app.i > g.i:
                            found = finder.in_phrase(app)
                            if found:
                                return found
    return []


def _stance_targets(tok: Token, finder: ActorFinder) -> list[Filler]:
    """'in protest of X', 'in defiance of X', 'in opposition to X': X is the recipient
    (the stance nouns are the cue class ``stance_noun``)."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "in":
            for g in child.children:
                if g.dep_ == "pobj" and g.lemma_.lower() in finder.stance:
                    found = _prep_targets(g, finder, ("of", "against", "at", "to", "over"))
                    if found:
                        return found
    return []


def _against(noun: Token, finder: ActorFinder) -> list[Filler]:
    """'(mobilized) for a war against Iraq': the opponent named one level down."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "against":
            for g in child.children:
                if g.dep_ == "pobj":
                    return finder.in_phrase(g)
    return []


def verb_roles(cand: Candidate, finder: ActorFinder) -> Roles:
    """Source and target of a verb (or adjective) trigger."""
    tok = cand.anchor
    roles = Roles()
    sources, direct = subject(tok, finder)
    roles.direct_source = direct and bool(sources)
    targets: list[Filler] = []
    passive = _is_passive(tok)
    if cand.deontic is not None and cand.content is not None:
        targets = subject(cand.content, finder)[0]
    if not targets and tok.dep_ == "acl" and tok.tag_ == "VBN":
        targets = finder.in_phrase(tok.head)  # "Bolivia, attacked by Peru": the noun is the patient
    recip = "recip" in cand.flags
    preps = tuple(p for p in TARGET_PREPS if not (recip and p in ("with", "between")))
    if not targets and cand.type in RECIPIENT_FIRST_TYPES and not passive:
        targets = _dative_targets(tok, finder) or _prep_targets(tok, finder, ("to",))
    if not targets:  # a verb of acquiring targets whom it buys from, never what it buys
        seller = None if passive else _seller(tok, finder)
        targets = seller if seller is not None else _object_targets(tok, finder, preps, cand, passive=passive)
    if not targets:
        targets = _dative_targets(tok, finder)
    if not targets:
        targets = _prep_targets(tok, finder, preps)
    if not targets:
        targets = _as_object(tok, finder) or _stance_targets(tok, finder)
    if not targets:
        for obj in objects(tok):
            targets = _prep_targets(obj, finder, preps)
            if targets:
                break
    if not targets and cand.event_noun is not None:
        targets = _content_targets(cand.event_noun, finder)
    if not targets and cand.content is not None:
        content = cand.content
        if content.dep_ in ("ccomp", "advcl") or cand.noun:
            own, direct = subject(content, finder) if content.pos_ in ("VERB", "AUX") else ([], False)
            targets = own if direct else []
        if not targets:
            inner = _content_targets(content, finder)
            targets = inner
    if not targets and cand.type in LOCATED_TARGET_TYPES:
        # last resort for attacks and threats: "attacks in Israel" target Israel
        targets = _prep_targets(tok, finder, ("in",))
        if not targets and cand.content is not None:
            targets = _prep_targets(cand.content, finder, ("in",))
            for obj in objects(cand.content):
                targets = targets or _prep_targets(obj, finder, ("in",))
    if recip:
        partners = _prep_targets(tok, finder, ("with", "between"))
        if not partners and not passive and cand.content is None:
            co = [f for o in objects(tok) if o.dep_ in ("dobj", "obj") for f in finder.in_phrase(o)]
            partners, targets = co, [t for t in targets if t.actor.id not in {d.actor.id for d in co}]
        for obj in objects(tok):
            if obj.i not in {f.token.i for f in targets}:
                partners.extend(_prep_targets(obj, finder, ("with", "between")))
        roles.partner_only = bool(partners) and not sources
        sources = _unique(sources + partners)
        if partners:
            targets = [t for t in targets if t.actor.id not in {p.actor.id for p in partners}]
    if "inverse" in cand.flags:
        sources, targets = targets, sources
        roles.direct_source = bool(sources)
    if cand.type in RECIPIENT_FIRST_TYPES:  # "Russia mobilized reservists": its own forces
        own_codes = {f.actor.code for f in sources if f.actor.code}
        targets = [t for t in targets if not (t.actor.sector in FORCE_SECTORS and t.actor.code in own_codes)]
    roles.sources = sources
    ids = {f.actor.id for f in sources}
    roles.targets = [t for t in _unique(targets) if t.actor.id not in ids]
    if len({f.actor.code for f in sources}) > 1:  # "A and B failed to agree on A's offices"
        party_codes = {f.actor.code for f in sources}
        roles.targets = [t for t in roles.targets if t.actor.code not in party_codes]
    return roles


def _owned(tok: Token, finder: ActorFinder) -> bool:
    """'its troops', 'their arms': the actor's own forces or things, not a recipient. A person
    is nobody's possession: 'his French counterpart', 'her host' are other parties."""
    if not any(c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS for c in tok.children):
        return False
    actor = finder.actor_of(tok)
    return actor is None or actor.kind != "person"


def _object_targets(tok: Token, finder: ActorFinder, preps: tuple[str, ...], cand: Candidate | None,
                    *, passive: bool = False) -> list[Filler]:
    """Recipients named by a verb's objects; an event-noun object gives its own recipients."""
    for obj in objects(tok):
        if (obj.dep_ == "nsubjpass" and not passive) or obj.dep_ in ("attr", "oprd") or _owned(obj, finder):
            continue
        if cand is not None and cand.event_noun is not None and obj.i == cand.event_noun.i:
            found = _prep_targets(obj, finder, (*preps, "on")) or _stance_targets(obj, finder)
        else:
            found = finder.in_phrase(obj)
        if found:
            return found
    return []


def _content_targets(content: Token, finder: ActorFinder) -> list[Filler]:
    if content.pos_ in ("NOUN", "PROPN"):
        found = _noun_possessor(content, finder)
        if found:
            return found
        found = _prep_targets(content, finder, (*TARGET_PREPS, "of"))
        if found:
            return found
        for child in content.children:
            if child.dep_ in ("acl", "relcl", "xcomp"):
                return _content_targets(child, finder)
        return []
    seller = _seller(content, finder)
    if seller is not None:
        return seller
    found = _object_targets(content, finder, TARGET_PREPS, None)
    if found:
        return found
    found = _prep_targets(content, finder, TARGET_PREPS)
    if found:
        return found
    for obj in objects(content):
        found = _prep_targets(obj, finder, TARGET_PREPS)
        if found:
            return found
    for child in content.children:
        if child.dep_ == "ccomp":  # "help Vietnam build", "ensure that Iran stops": the clause's subject
            found = [f for c in child.children if c.dep_ == "nsubj" for f in finder.in_phrase(c)]
            if found:
                return found
    for child in content.children:
        if child.dep_ in ("xcomp", "ccomp"):
            return _content_targets(child, finder)
    return _nested_targets(content, finder)


def _seller(tok: Token, finder: ActorFinder) -> list[Filler] | None:
    """Who an acquisition is from ("buy tanks from South Korea", the "from" on the verb or on
    its object), or None when ``tok`` is no verb of acquiring."""
    if tok.lemma_ not in ACQUIRE_VERBS:
        return None
    found = _prep_targets(tok, finder, ("from",))
    for obj in objects(tok):
        found = found or _prep_targets(obj, finder, ("from",))
    return found


def _nested_targets(head: Token, finder: ActorFinder, depth: int = 4) -> list[Filler]:
    """The nearest recipient phrase anywhere inside a frame's content, without entering other
    clauses ("agreed to provide 5 billion euros in aid to Ukraine")."""
    level = [head]
    for _ in range(depth):
        following: list[Token] = []
        for tok in level:
            for child in tok.children:
                if child.dep_ in ("relcl", "advcl", "ccomp", "acl", "parataxis"):
                    continue
                if child.dep_ == "prep" and child.lower_ in NESTED_PREPS:
                    for g in child.children:
                        if g.dep_ == "pobj":
                            found = finder.in_phrase(g)
                            if found:
                                return found
                following.append(child)
        level = following
    return []


def _noun_possessor(tok: Token, finder: ActorFinder) -> list[Filler]:
    for child in tok.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod") and child.i < tok.i:
            found = finder.in_phrase(child, depth=2)
            if found:
                return found
    return []


def noun_roles(cand: Candidate, finder: ActorFinder) -> Roles:
    """Source and target of an event noun ("Putin's visit to Astana", "talks between A and B")."""
    tok = cand.anchor
    roles = Roles()
    recip = "recip" in cand.flags
    possessor = _noun_possessor(tok, finder)
    # "his arrest": the possessor is the patient; "Iran's arrest of two sailors": the "of" phrase is
    # the patient and the possessor the agent (English nominalisations take at most one patient).
    patient_poss = "patient" in cand.flags and not any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)
    sources = [] if patient_poss else possessor
    if not sources:
        sources = _prep_targets(tok, finder, ("by",))
    undergoes = tok.dep_ in ("dobj", "obj") and tok.head.lemma_.lower() in finder.undergo
    if tok.dep_ == "pobj" and tok.head.lower_ == "under" and tok.head.head.lemma_.lower() == "come":
        undergoes = True  # "came under attack from X"
    if undergoes:
        head = tok.head.head if tok.dep_ == "pobj" else tok.head
        # "faces criticism from X", "suffered an attack by Y": the subject is the recipient.
        roles.sources = _unique(sources or _prep_targets(tok, finder, ("from",)))
        roles.targets = [t for t in subject(head, finder)[0] if t.actor.id not in {f.actor.id for f in roles.sources}]
        roles.direct_source = bool(roles.sources)
        return roles
    of_party = _prep_targets(tok, finder, ("of",))
    if not sources and cand.type in SOURCE_OF_TYPES:
        sources, of_party = of_party, []
    partners = _prep_targets(tok, finder, ("with", "between", "among")) if recip else []
    if recip and not partners and tok.dep_ in ("nsubj", "nsubjpass"):
        head = tok.head
        partners = _prep_targets(head, finder, ("with",)) or [
            f for c in head.children if c.dep_ in ("advmod", "acomp") for f in _prep_targets(c, finder, ("with",))]
        roles.partner_only = bool(partners)
    if recip and not sources and partners:
        sources, partners = partners, []
    roles.direct_source = bool(sources)
    if not sources:
        sources = _governing_subject(tok, finder, consult=cand.type == "CONSULT", accuse=cand.type == "ACCUSE")
    preps = tuple(p for p in TARGET_PREPS if not (recip and p in ("with", "between")))
    targets = ((possessor if patient_poss else []) or _prep_targets(tok, finder, preps) or of_party
               or _stance_targets(tok, finder))
    if not targets and cand.content is not None:
        targets = _content_targets(cand.content, finder)
    sources = _unique(sources + partners)
    ids = {f.actor.id for f in sources}
    roles.sources = sources
    roles.targets = [t for t in _unique(targets) if t.actor.id not in ids]
    if len({f.actor.code for f in sources}) > 1:  # "A and B failed to agree on A's offices"
        party_codes = {f.actor.code for f in sources}
        roles.targets = [t for t in roles.targets if t.actor.code not in party_codes]
    return roles


def _governing_subject(tok: Token, finder: ActorFinder, *, consult: bool = False,
                       accuse: bool = False) -> list[Filler]:
    """For an event noun without its own actor: the subject of the verb it is "in"
    ("forces were engaged in ethnic cleansing", "took part in talks")."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.head.pos_ != "VERB":
        return []
    verb = prep.head
    if verb.lemma_.lower() in finder.undergo:
        return []  # "troops died in the attack": the subject is a victim
    if prep.lower_ in ("in", "into") or (prep.lower_ == "for" and consult) or (prep.lower_ == "on" and accuse):
        for subj in verb.children:
            if subj.dep_ == "nsubj" or (subj.dep_ == "nsubjpass" and verb.lemma_.lower() in ("engage", "involve")):
                return finder.in_phrase(subj)
        return [] if _is_passive(verb) else subject(verb, finder)[0]
    return []


def inferred_target(cand: Candidate, roles: Roles, finder: ActorFinder, place_preps: frozenset[str]) -> list[Filler]:
    """A protest with no (coded) named recipient is directed at the state where it happens or the
    protesters' own state (PLOVER practice): a state named in the sentence with the protesters'
    code, or as the object of a locative preposition ("students throughout Indonesia staged
    demonstrations", "rebels in the Ivory Coast blocked roads")."""
    if cand.type != "PROTEST" or any(f.actor.code for f in roles.targets) or not roles.sources:
        return []
    own = {f.actor.code for f in roles.sources if f.actor.code}
    ids = {f.actor.id for f in roles.sources + roles.targets}
    located: list[Filler] = []
    for tok in cand.anchor.sent:
        actor = finder.actor_of(tok)
        if actor is None or actor.kind != "state" or actor.code is None or actor.id in ids:
            continue
        if actor.code in own:
            return [Filler(actor, tok)]
        head = tok
        while head.dep_ in ("compound", "flat") and head.head.i != head.i:
            head = head.head
        if head.dep_ == "pobj" and head.head.lower_ in place_preps:
            located.append(Filler(actor, tok))
    codes = {f.actor.code for f in located}
    return located[:1] if len(codes) == 1 else []


def find_roles(cand: Candidate, finder: ActorFinder) -> Roles:
    """Source and target actors of a trigger."""
    if cand.noun:
        return noun_roles(cand, finder)
    return verb_roles(cand, finder)
