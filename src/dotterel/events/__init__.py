"""Events: PLOVER event coding from triggers, the parse, and what earlier stages found.

For each sentence, :func:`~dotterel.events.triggers.find_candidates` finds and
types the triggers (lexicon and patterns in ``data/events``), roles come from
the dependency structure (:mod:`~dotterel.events.roles`), and the attributes
(negation, hypothetical, date, place, quote) from :mod:`~dotterel.events.attributes`.
How it works and the data format: ``docs/events.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..model import ActorRef, Event, Place, Quote, TextSpan, TimeExpr
from ..nlp import combined_text
from ..ontology import ontology
from .attributes import (
    Modality,
    apply_modality,
    find_date,
    find_location,
    modality,
    reporting_quote,
)
from .lexicon import Lexicon, load_lexicon
from .roles import ActorFinder, Filler, Roles, find_roles, inferred_target
from .triggers import (
    MATERIAL_CONFLICT,
    Candidate,
    find_candidates,
    is_question,
    objects,
    threat_mode,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..actors import ActorTable
    from ..model import Actor
    from ..nlp import Story

__all__ = ["extract_events", "load_lexicon"]


def extract_events(
    story: Story,
    actors: ActorTable,
    places: Sequence[Place],
    dates: Sequence[TimeExpr],
    quotes: Sequence[Quote],
    lexicon: Lexicon | None = None,
) -> list[Event]:
    """Code every PLOVER event of ``story``: one per trigger with an identifiable source actor.

    Events come in text order with ids ``{doc_id}-E{n}``; each carries its type,
    mode, CAMEO root, quad, source/target actor references, trigger and sentence
    spans, date, location, negated/hypothetical flags, reporting quote and a
    confidence in [0, 1] meant for ranking. ``lexicon``: the event knowledge (default: the
    bundled lexicon).
    """
    lex = lexicon if lexicon is not None else load_lexicon()
    finder = ActorFinder(actors, lex.cue("undergo"), lex.cue("speech"), lex.cue("stance_noun"))
    by_id = {a.id: a for a in actors.actors}
    doc_id = story.document.doc_id
    text = combined_text(story.document)[0]  # the string story.doc was parsed from (cheaper than Doc.text)
    events: list[Event] = []
    for sent in story.sentences:
        built = [_build(story, text, sent, c, roles, extra, lex, places, dates, "")
                 for c, roles, extra in _dedupe(_sentence_events(story, sent, lex, finder, by_id, quotes))]
        for event in _merge_same_happening(built):
            event.id = f"{doc_id}-E{len(events) + 1}"
            events.append(event)
    return events


def _participants(event: Event) -> tuple[frozenset[str], bool, bool]:
    return (frozenset(a.actor for a in (*event.source, *event.target)), event.negated, event.hypothetical)


def _merge_same_happening(events: list[Event]) -> list[Event]:
    """One event per happening in a sentence: events of one type between the same actors
    ("his talks with Trump ... he and Trump had a frank conversation") become the first of
    them, which takes the highest confidence and a date or place that only a later one has."""
    kept: list[Event] = []
    for event in events:
        same = next((k for k in kept if k.event_type == event.event_type
                     and _participants(k) == _participants(event)), None)
        if same is None:
            kept.append(event)
            continue
        same.confidence = max(same.confidence, event.confidence)
        if same.date_text is None and event.date_text is not None:
            same.date, same.date_precision, same.date_text = event.date, event.date_precision, event.date_text
        if same.location is None:
            same.location = event.location
        same.mode = same.mode or event.mode
    return kept


_Found = tuple[Candidate, Roles, dict[str, Any]]


def _unexcluded_threat(cand: Candidate, mod: Modality, lex: Lexicon) -> None:
    """"X did not rule out sanctions (strikes, an invasion)": not excluding a conflict act is
    announcing it, a THREATEN of that act, not a negated refusal."""
    if not (mod.negated and cand.type == "REJECT" and not cand.noun):
        return
    anchor = cand.anchor
    prts = [c.lower_ for c in anchor.children if c.dep_ == "prt"]
    verb = "_".join([anchor.lemma_.lower(), *prts])
    if verb not in lex.cue("hedge_verb"):
        return
    for obj in objects(anchor):
        hit = lex.trigger(obj.lemma_.lower(), "N")
        if hit is not None and hit.type in MATERIAL_CONFLICT:
            cand.type, cand.mode = "THREATEN", threat_mode(hit.type)
            mod.negated = False
            return


def _sentence_events(story: Story, sent: Any, lex: Lexicon, finder: ActorFinder,
                     by_id: dict[str, Actor], quotes: Sequence[Quote]) -> list[_Found]:
    out: list[_Found] = []
    for cand in find_candidates(sent, lex):
        mod = modality(cand, lex)
        _unexcluded_threat(cand, mod, lex)
        apply_modality(cand, mod)
        roles = find_roles(cand, finder)
        quote = reporting_quote(story, cand, quotes)
        speaker_source = False
        if quote is not None and quote.speaker is not None:
            actor = by_id.get(quote.speaker.actor or "")
            speaker = None if actor is None else Filler(actor, _speaker_token(story, quote) or cand.anchor)
            pronoun = _pronoun_subject(cand.anchor)
            if pronoun is not None and pronoun.lower_ not in ("i", "we") and not _said_by(story, cand.anchor, quote):
                pronoun = None
            if speaker is not None and not roles.sources and pronoun is not None:
                # "X said it would ...": an unresolved pronoun subject in X's statement is X.
                roles.sources = [Filler(speaker.actor, pronoun)]
                roles.targets = [t for t in roles.targets if t.actor.id != speaker.actor.id]
            elif speaker is not None and roles.partner_only and all(
                    f.actor.id != speaker.actor.id for f in roles.sources):
                roles.sources = [speaker, *roles.sources]
                speaker_source = True
        if not roles.sources or ("needs" in cand.flags and cand.content is None):
            continue
        roles.targets = roles.targets + inferred_target(cand, roles, finder, lex.cue("place_prep"))
        if cand.imported and not cand.noun and cand.type in VERBAL_COOPERATION and not roles.targets \
                and cand.event_noun is None and cand.content is None and objects(cand.anchor):
            continue  # "welcomed the influx of capital", "offered no evidence": a word sense, not an act to a party
        if cand.type == "AGREE" and not roles.targets and _no_counterpart(cand, roles, finder):
            continue  # an offer or promise to no one ("pledged to cut taxes"): AGREE is toward a party
        if "conflict" in cand.flags and cand.content_type not in CONFLICT_TYPES:
            continue  # "warned of a resurgence": a warning about, not a threat
        if cand.type == "REQUEST" and cand.content is not None and is_question(cand.content, lex):
            continue  # "asked who ...", "asked whether ...": a question, not a request
        if cand.deontic is not None and not roles.targets:
            continue  # "X says it should be done": no one is asked
        if cand.type == "ASSAULT" and _verbal_attack(cand, roles, lex):
            cand.type, cand.mode = "ACCUSE", "disapprove"
        if "joint" in cand.flags:
            joint = len(roles.sources) > 1 or any(c.lower_ == "joint" for c in cand.anchor.children)
            if joint:
                cand.type, cand.mode = "COOPERATE", None
        out.append((cand, roles, {"mod": mod, "quote": quote, "speaker_source": speaker_source}))
    return out


CONFLICT_TYPES = ontology().types_of("verbal conflict", "material conflict")
#: Verbal cooperation: an imported verb of these types with an object that is neither an actor nor an
#: event is another sense of the word ("recognize a difficult situation").
VERBAL_COOPERATION = ontology().types_of("verbal cooperation")
PERSONAL_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})


def _verbal_attack(cand: Candidate, roles: Roles, lex: Lexicon) -> bool:
    """'The senator attacked his rival': a named person attacking a person or party is criticism."""
    if cand.anchor.lemma_.lower() not in lex.cue("verbal_attack") or not roles.sources or not roles.targets:
        return False
    return all(f.actor.kind == "person" for f in roles.sources) and all(
        f.actor.kind in ("person", "organization") and f.actor.sector not in ARMED_SECTORS for f in roles.targets)


#: Sectors whose members are attacked with arms, not words.
ARMED_SECTORS = frozenset({"MIL", "REB", "INS", "UAF", "COP", "SPY"})


def _no_counterpart(cand: Candidate, roles: Roles, finder: ActorFinder) -> bool:
    """One party, and no other actor anywhere in the trigger's clause: nobody the commitment is to."""
    own = {f.actor.id for f in roles.sources}
    if len(own) > 1:
        return False
    root = cand.anchor
    while root.dep_ not in ("ROOT", "ccomp") and root.head.i != root.i:
        root = root.head
    for tok in root.subtree:
        actor = finder.actor_of(tok)
        if actor is not None and actor.id not in own:
            return False
    return True


def _pronoun_subject(tok: Token) -> Token | None:
    """A personal-pronoun subject of the trigger or of the verbs it hangs from (xcomp, conj)."""
    for _ in range(4):
        for child in tok.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ in PERSONAL_PRONOUNS:
                return child if child.dep_ == "nsubj" else None
        if tok.dep_ not in ("xcomp", "conj", "acomp") or tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _said_by(story: Story, anchor: Token, quote: Quote) -> bool:
    """Whether the quote's cue verb governs the trigger ("Syria says it is willing to ...")."""
    if quote.cue is None:
        return False
    start = quote.cue.start if quote.in_title else quote.cue.start + story.body_start
    return any(start <= a.idx < start + len(quote.cue.text) for a in anchor.ancestors)


def _speaker_token(story: Story, quote: Quote) -> Token | None:
    if quote.speaker is None:
        return None
    start = quote.speaker.start if quote.in_title else quote.speaker.start + story.body_start
    span = story.doc.char_span(start, start + len(quote.speaker.text), alignment_mode="expand")
    return None if span is None or len(span) == 0 else span.root


def _dedupe(found: list[_Found]) -> list[_Found]:
    """One event per happening: a same-type trigger inside another's phrase is the same event
    ("Peru's attack on Bolivia killed ten": one ASSAULT, which keeps the noun's target)."""
    keep: list[_Found] = []
    for item in found:
        cand, roles, _ = item
        dup = False
        for other in found:
            oc, oroles, _ = other
            if oc is cand or oc.type != cand.type:
                continue
            if cand.anchor.i != oc.anchor.i and _is_ancestor(oc.anchor, cand.anchor):
                dup = True
                if not oroles.targets:
                    ids = {f.actor.id for f in oroles.sources}
                    oroles.targets = [t for t in roles.targets if t.actor.id not in ids]
                break
        if not dup:
            keep.append(item)
    return keep


def _is_ancestor(a: Token, b: Token) -> bool:
    return any(t.i == a.i for t in b.ancestors)


def _confidence(cand: Candidate, roles: Roles, extra: dict[str, Any], lex: Lexicon) -> float:
    score = cand.weight
    score += 0.15 if roles.direct_source else -0.05
    if roles.targets:
        score += 0.05
    elif lex.types[cand.type].recipient_required:
        score -= 0.1
    if cand.noun:
        score -= 0.12
    score -= 0.08 * _clause_depth(cand.anchor, lex)
    mod = extra["mod"]
    if mod.hypothetical:
        score -= 0.1
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in cand.anchor.children):
        score -= 0.1  # the condition of another event, not the event reported
    if mod.negated:
        score -= 0.05
    if extra["speaker_source"]:
        score -= 0.15
    if all(f.actor.code is None for f in roles.sources):
        score -= 0.1  # nobody we can code did it
    return max(0.02, min(0.98, score))


def _clause_depth(tok: Token, lex: Lexicon) -> int:
    """How many contentful verbs govern the trigger (speech and helper verbs do not count)."""
    skip = lex.cue("speech") | lex.cue("transparent") | lex.cue("light")
    depth = 0
    for anc in tok.ancestors:
        if anc.pos_ == "VERB" and anc.lemma_.lower() not in skip:
            depth += 1
    return min(depth, 3)


def _span(story: Story, text: str, start: int, end: int) -> TextSpan:
    s, e, _ = story.locate(start, end)
    return TextSpan(text=text[start:start + (e - s)], start=s, end=e)


def _ref(story: Story, text: str, filler: Filler) -> ActorRef:
    tok = filler.token
    s, _e, in_title = story.locate(tok.idx, tok.idx + len(tok))
    actor = filler.actor
    for m in actor.mentions:
        if m.in_title == in_title and m.start <= s < m.end:
            return ActorRef(actor=actor.id, text=m.text, code=actor.code, sector=actor.sector,
                            start=m.start, end=m.end)
    span = _span(story, text, tok.idx, tok.idx + len(tok))
    return ActorRef(actor=actor.id, text=span.text, code=actor.code, sector=actor.sector,
                    start=span.start, end=span.end)


def _build(story: Story, text: str, sent: Any, cand: Candidate, roles: Roles, extra: dict[str, Any],
           lex: Lexicon, places: Sequence[Place], dates: Sequence[TimeExpr], ident: str) -> Event:
    date, precision, date_text = find_date(story, cand, dates)
    role_tokens = {f.token.i for f in roles.sources + roles.targets}
    quote = extra["quote"]
    mod = extra["mod"]
    return Event(
        id=ident,
        event_type=cand.type,
        mode=cand.mode,
        context=[],
        cameo=lex.cameo(cand.type, cand.mode),
        quad=lex.types[cand.type].quad,
        source=[_ref(story, text, f) for f in roles.sources],
        target=[_ref(story, text, f) for f in roles.targets],
        trigger=_span(story, text, cand.start, cand.end),
        sentence=story.sentence_ref(sent),
        in_title=story.in_title(cand.start),
        date=date,
        date_precision=precision,
        date_text=date_text,
        location=find_location(story, cand, places, lex, role_tokens),
        negated=mod.negated,
        hypothetical=mod.hypothetical,
        reported_by=None if quote is None else quote.id,
        confidence=_confidence(cand, roles, extra, lex),
    )
