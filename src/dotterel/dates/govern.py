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


def combined_offsets(story: Story, expr: TimeExpr) -> tuple[int, int]:
    """A TimeExpr's (contract) offsets as offsets into ``story.doc.text``."""
    shift = 0 if expr.in_title else story.body_start
    return expr.start + shift, expr.end + shift


def _path_to_clause(token: Token, trigger: Token) -> tuple[bool, Token | None, int]:
    """Walk up from ``token``: (reached the trigger, clause verb where it stopped, steps)."""
    tok, steps = token, 0
    while steps <= _MAX_STEPS:
        if tok.i == trigger.i:
            return True, None, steps
        if steps > 0 and is_clause_verb(tok):
            return False, tok, steps
        if tok.head.i == tok.i:
            return False, None, steps
        tok = tok.head
        steps += 1
    return False, None, steps


def governing_date(story: Story, dates: Sequence[TimeExpr], trigger: Token) -> TimeExpr | None:
    """The temporal expression attached to ``trigger``'s clause, or ``None``.

    ``trigger`` is a token of ``story.doc``. In order of preference:

    1. an expression whose head path in the dependency parse reaches the trigger
       before crossing another clause verb ("talks ... in November 2024",
       "calling for negotiations ... since the beginning of the conflict in
       February 2022" for "calling");
    2. for a nominal trigger ("talks"), an expression attached to the verb of the
       trigger's own clause ("discussed during his talks ... in November 2024");
    3. for a verb conjoined to another ("met ... on Friday and signed"), an
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
        reached, stopped_at, steps = _path_to_clause(span.root, trigger)
        if reached:
            level = 0
        elif stopped_at is not None and own_verb is not None and stopped_at.i == own_verb.i:
            level = 1
        elif stopped_at is not None and conj_head is not None and stopped_at.i == conj_head.i:
            level = 2
        else:
            continue
        distance = min(abs(start - trigger.idx), abs(end - trigger.idx))
        key = (level, steps, distance)
        if best is None or key < best:
            best, best_expr = key, expr
    return best_expr
