"""Event attributes around the trigger: negation, hypothetical and future readings,
the governing date, the place where it happened, and the quote it was reported in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import EventLocation, Place, Quote, TimeExpr
from .lexicon import Lexicon
from .triggers import COOPERATIVE, MATERIAL_CONFLICT, Candidate, threat_mode

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ..nlp import Story

VERBISH = frozenset({"VERB", "AUX"})


@dataclass
class Modality:
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    planned: bool = False  # "plans to", "intends to"
    conditional: bool = False  # "if", "unless"


def _chain(anchor: Token, lex: Lexicon) -> list[Token]:
    """The trigger and the verbs that govern it within its clause ("did not try to meet")."""
    chain = [anchor]
    tok = anchor
    hyp_verbs, neg_verbs = lex.cue("hyp_verb"), lex.cue("neg_verb")
    if anchor.pos_ in ("NOUN", "PROPN") and anchor.dep_ in ("dobj", "nsubjpass"):
        head = anchor.head
        if head.pos_ in VERBISH:
            chain.append(head)
            tok = head
    while tok.head.i != tok.i:
        head, dep = tok.head, tok.dep_
        lemma = head.lemma_.lower()
        if dep == "xcomp" or (dep == "conj" and head.pos_ in VERBISH) or (dep in ("ccomp", "pcomp") and lemma in hyp_verbs | neg_verbs):
            pass
        elif dep == "pcomp" and head.dep_ == "prep" and head.head.lemma_.lower() in neg_verbs:
            head = head.head
        else:
            break
        chain.append(head)
        tok = head
    return chain


def modality(cand: Candidate, lex: Lexicon) -> Modality:
    """Whether the event is denied, only possible/planned/conditional/asked, or in the future."""
    out = Modality()
    chain = _chain(cand.anchor, lex)
    _negation, hyp_aux, future = lex.cue("negation"), lex.cue("hyp_aux"), lex.cue("future_aux")
    hyp_mark, hyp_verbs, neg_verbs = lex.cue("hyp_mark"), lex.cue("hyp_verb"), lex.cue("neg_verb")
    for pos, tok in enumerate(chain):
        lemma = tok.lemma_.lower()
        if pos > 0 and lemma in neg_verbs:
            out.negated = not out.negated
        if pos > 0 and lemma in hyp_verbs:
            out.hypothetical = out.planned = True
        for child in tok.children:
            low = child.lower_
            if child.dep_ == "neg" or (child.dep_ == "advmod" and low in ("never",)):
                out.negated = not out.negated
            elif child.dep_ == "det" and low == "no":
                out.negated = True
            elif child.dep_ == "aux" and low in hyp_aux:
                out.hypothetical = True
            elif child.dep_ == "aux" and low in future:
                out.future = True
            elif child.dep_ == "mark" and low in hyp_mark:
                out.hypothetical = out.conditional = True
            elif child.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("unless", "if") for g in child.children):
                out.conditional = True
    if cand.anchor.dep_ == "acl" and cand.anchor.head.pos_ == "NOUN":
        owner = cand.anchor.head  # "no plans to meet", "a plan to build"
        if any(c.dep_ == "det" and c.lower_ == "no" for c in owner.children):
            out.negated = True
        if owner.lemma_.lower() in lex.cue("hyp_noun"):
            out.hypothetical = out.planned = True
        if owner.lemma_.lower() in lex.cue("neg_noun"):  # "his failure to sell", "a refusal to meet"
            out.negated = not out.negated
    if "light" in cand.notes and cand.anchor.lemma_.lower() in hyp_verbs:
        out.hypothetical = out.planned = True  # "is considering sanctions"
    if cand.anchor.pos_ in ("NOUN", "PROPN"):
        for child in cand.anchor.children:
            if child.dep_ == "amod" and child.lemma_.lower() in lex.cue("hyp_adj"):
                out.hypothetical = True
        head = cand.anchor.head
        if cand.anchor.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in lex.cue("hyp_noun"):
            out.hypothetical = True
    if cand.deontic is not None:
        out.hypothetical = False
    return out


def apply_modality(cand: Candidate, mod: Modality) -> None:
    """PLOVER's future rules: future cooperation → AGREE, future retreat → CONCEDE, announced
    conflict (planned, or future/possible under a condition) → THREATEN; a negated
    accept/agreement → its neg_type."""
    if mod.negated and cand.neg_type is not None:
        cand.type, cand.mode, mod.negated = cand.neg_type, None, False
        return
    if mod.negated:
        return
    threat = cand.type in MATERIAL_CONFLICT and (
        mod.planned or (mod.conditional and (mod.future or mod.hypothetical)))
    if threat:  # "will boycott unless", "would retaliate if attacked", "plans to impose"
        cand.type, cand.mode = "THREATEN", threat_mode(cand.type)
        mod.hypothetical = False
        return
    if not (mod.future or mod.planned):
        return
    if cand.type in COOPERATIVE - {"AGREE", "CONCEDE", "RETREAT"}:
        cand.type, cand.mode = "AGREE", None
        mod.hypothetical = mod.planned or (mod.hypothetical and not mod.future)
    elif cand.type == "RETREAT":
        cand.type, cand.mode = "CONCEDE", None
        mod.hypothetical = mod.planned
    elif mod.future:
        mod.hypothetical = True


def _combined(story: Story, start: int, in_title: bool) -> int:
    return start if in_title else start + story.body_start


def _span_in_sentence(story: Story, sent: Span, start: int, end: int, in_title: bool) -> Span | None:
    """The tokens of a contract-offset span when it starts inside ``sent``, else ``None``."""
    begin = _combined(story, start, in_title)
    if not (sent.start_char <= begin < sent.end_char):
        return None
    span = story.doc.char_span(begin, _combined(story, end, in_title), alignment_mode="expand")
    return None if span is None or len(span) == 0 else span


def _path_hits(tok: Token, targets: set[int], stop: int = 8) -> tuple[int, bool]:
    """Climb from ``tok``: (steps to the first token in ``targets`` or -1, whether a verb came first)."""
    steps = 0
    while steps < stop:
        if tok.i in targets:
            return steps, False
        if steps > 0 and tok.pos_ in VERBISH:
            return -1, True
        if tok.head.i == tok.i:
            break
        tok = tok.head
        steps += 1
    return -1, False


def clause_tokens(cand: Candidate) -> set[int]:
    """The trigger and, for a noun trigger, the verb it depends on: where its modifiers attach."""
    out = {cand.anchor.i}
    tok = cand.anchor
    if tok.pos_ in ("NOUN", "PROPN", "ADJ"):
        for anc in tok.ancestors:
            if anc.pos_ in VERBISH and anc.dep_ not in ("prep", "amod", "pcomp"):
                out.add(anc.i)
                break
    if cand.deontic is not None and cand.content is not None:
        out.add(cand.content.i)
    return out


def governing_time(story: Story, cand: Candidate, dates: Sequence[TimeExpr]) -> TimeExpr | None:
    """The temporal expression attached to the trigger's clause, if any."""
    sent = cand.anchor.sent
    targets = clause_tokens(cand)
    best: tuple[int, TimeExpr] | None = None
    for expr in dates:
        span = _span_in_sentence(story, sent, expr.start, expr.end, expr.in_title)
        if span is None:
            continue
        if any(t.i == cand.anchor.i for t in span):
            continue
        steps, _ = _path_hits(span.root, targets)
        if steps >= 0 and (best is None or steps < best[0]):
            best = (steps, expr)
    return None if best is None else best[1]


def find_date(story: Story, cand: Candidate, dates: Sequence[TimeExpr]) -> tuple[str | None, str | None, str | None]:
    """(date, date_precision, date_text) per the contract: the governing expression, else pub_date."""
    from ..dates import governing_date

    # The dates stage's rule first; this module's clause search covers dates that hang on a
    # clause the trigger's noun sits in ("Commenting on his talks ... in December, X said").
    expr = governing_date(story, dates, cand.anchor) or governing_time(story, cand, dates)
    if expr is not None and expr.date is not None:
        return expr.date, expr.precision, expr.text
    if story.pub_date is not None:
        return story.pub_date.isoformat(), "day", None
    return None, None, None


def find_location(story: Story, cand: Candidate, places: Sequence[Place], lex: Lexicon,
                  role_tokens: set[int]) -> EventLocation | None:
    """The place named in a locative phrase ("in Baku") attached to the trigger's clause."""
    sent = cand.anchor.sent
    targets = clause_tokens(cand)
    place_preps = lex.cue("place_prep")
    best: tuple[int, Place, int, int] | None = None
    for place in places:
        for m in place.mentions:
            span = _span_in_sentence(story, sent, m.start, m.end, m.in_title)
            if span is None:
                continue
            root = span.root
            prep = root.head
            if root.dep_ != "pobj" or prep.lower_ not in place_preps:
                continue
            if root.i in role_tokens and prep.lower_ not in lex.cue("area_prep"):
                continue  # "fired at Israel": a target; "struck targets in Lebanon": also where
            steps, _ = _path_hits(prep.head, targets)
            if steps >= 0 and (best is None or steps < best[0]):
                best = (steps, place, m.start, m.end)
    if best is None:
        return None
    _, place, s, e = best
    return EventLocation(name=place.name, country=place.country, geonames_id=place.geonames_id,
                         lat=place.lat, lon=place.lon, start=s, end=e)


def reporting_quote(story: Story, cand: Candidate, quotes: Sequence[Quote]) -> Quote | None:
    """The (innermost) quote whose content span contains the trigger."""
    s, _, in_title = story.locate(cand.start, cand.end)
    containing = [q for q in quotes if q.in_title == in_title and q.content.start <= s < q.content.end]
    # nested attributions: the innermost statement is the one that reports the event
    return min(containing, key=lambda q: (q.content.end - q.content.start, q.content.start), default=None)
