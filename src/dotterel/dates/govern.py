"""Which temporal expression dates an event: the one attached to its trigger's clause."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import TimeExpr
from .tense import clause_verb, is_clause_verb

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..nlp import Story

_MAX_STEPS = 12
_FINITE_TAGS = ("VBD", "VBZ", "VBP", "MD")


def combined_offsets(story: Story, expr: TimeExpr) -> tuple[int, int]:
    """A TimeExpr's (contract) offsets as offsets into ``story.doc.text``."""
    shift = 0 if expr.in_title else story.body_start
    return expr.start + shift, expr.end + shift


def _finite(verb: Token) -> bool:
    """A verb heading a finite clause: it has a subject or a tensed form or auxiliary, or is the root."""
    if verb.dep_ == "ROOT" or verb.tag_ in _FINITE_TAGS:
        return True
    return any(
        c.dep_ in ("nsubj", "nsubjpass", "expl") or (c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS)
        for c in verb.children
    )


def _climb(token: Token, trigger: Token) -> tuple[int | None, list[int], int]:
    """Walk up the parse from ``token`` to the first finite clause verb (included).

    Returns (steps to the trigger or ``None``, indexes of the verbs passed on the
    way, the last one being where the walk stopped, steps). Non-finite verbs
    ("negotiations to establish peace since 2022") are passed through.
    """
    tok, steps = token, 0
    verbs: list[int] = []
    while steps <= _MAX_STEPS:
        if tok.i == trigger.i:
            return steps, verbs, steps
        if steps > 0 and is_clause_verb(tok):
            verbs.append(tok.i)
            if _finite(tok):
                break
        if tok.head.i == tok.i:
            break
        tok = tok.head
        steps += 1
    return None, verbs, steps


def governing_date(story: Story, dates: Sequence[TimeExpr], trigger: Token) -> TimeExpr | None:
    """The temporal expression attached to ``trigger``'s clause, or ``None``.

    ``trigger`` is a token of ``story.doc``. In order of preference:

    1. an expression whose head path in the dependency parse reaches the trigger
       before crossing another clause verb ("talks ... in November 2024");
    2. one whose path reaches it through non-finite verbs only ("calling for
       negotiations to establish peace ... since the beginning of the conflict in
       February 2022", where the parse hangs the date on "establish");
    3. for a nominal trigger ("talks"), an expression attached to the verb of the
       trigger's own clause ("discussed during his talks ... in November 2024");
    4. for a verb conjoined to another ("met ... on Friday and signed"), an
       expression attached to the verb it is conjoined to.

    Ties go to the fewest parse steps, then the nearest in characters. Only
    expressions in the trigger's sentence count. The result may have
    ``date=None`` (found but unresolved): the caller decides what to do with it.
    """
    if not dates:
        return None
    doc = story.doc
    sent = trigger.sent
    own_verb = None if is_clause_verb(trigger) else clause_verb(trigger)
    conj_head = trigger.head if trigger.dep_ == "conj" and is_clause_verb(trigger) else None
    best: tuple[int, int, int] | None = None
    best_expr: TimeExpr | None = None
    for expr in dates:
        start, end = combined_offsets(story, expr)
        if start < sent.start_char or end > sent.end_char:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0 or span.start <= trigger.i < span.end:
            continue
        reached, verbs, steps = _climb(span.root, trigger)
        if reached is not None:
            level = 0 if not verbs else 1
        elif own_verb is not None and own_verb.i in verbs:
            level = 2
        elif verbs and conj_head is not None and verbs[-1] == conj_head.i:
            level = 3
        else:
            continue
        distance = min(abs(start - trigger.idx), abs(end - trigger.idx))
        key = (level, steps, distance)
        if best is None or key < best:
            best, best_expr = key, expr
    return best_expr
