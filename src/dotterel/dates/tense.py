"""Which way a temporal expression leans: the tense of the verb that governs it.

"will meet on Friday" leans to the future (the next Friday); "met on Friday"
and "said on Friday" to the past. Read from spaCy's dependency parse; ``None``
when the parse says nothing clear (callers then use their default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .calendar import FUTURE, PAST
from .lexicon import DateLexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_AUX_DEPS = ("aux", "auxpass")


def is_clause_verb(token: Token) -> bool:
    """A verb heading a clause (not an auxiliary of another verb)."""
    return token.pos_ in ("VERB", "AUX") and token.dep_ not in _AUX_DEPS


def clause_verb(token: Token, *, limit: int = 12) -> Token | None:
    """The nearest clause verb at or above ``token`` in the parse, or ``None``."""
    tok = token
    for _ in range(limit):
        if is_clause_verb(tok):
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def lean_of_span(doc: Doc, start: int, end: int, lexicon: DateLexicon) -> str | None:
    """``"future"``, ``"past"`` or ``None`` for the characters ``start:end`` of ``doc``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    verb = clause_verb(span.root)
    return None if verb is None else verb_tense(verb, lexicon)


def _past_form(verb: Token, auxes: list[Token]) -> bool:
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return True
    return verb.tag_ == "VBN" and any(a.lemma_.lower() == "have" for a in auxes)


def verb_tense(verb: Token, lexicon: DateLexicon) -> str | None:
    """The time a clause verb points to: future auxiliaries and plan-verbs, else past forms.

    Future: an auxiliary "will"/"shall"/"'ll" on the verb or on the verbs it is
    an xcomp/conj of ("will meet", "plans to meet"), "is scheduled for", and a
    headline infinitive ("Leaders to meet Friday"). Past: a past-tense or
    perfect verb. Otherwise ``None``.
    """
    chain = [verb]
    tok = verb
    while tok.dep_ in ("xcomp", "conj") and tok.head.i != tok.i and len(chain) < 4:
        tok = tok.head
        chain.append(tok)
    for i, v in enumerate(chain):
        auxes = [c for c in v.children if c.dep_ in _AUX_DEPS]
        if any(a.lower_ in lexicon.future_auxiliaries for a in auxes):
            return FUTURE
        planned = v.lemma_.lower() in lexicon.future_lemmas or v.lower_ in lexicon.future_lemmas
        if i > 0 and planned and not _past_form(v, auxes):
            return FUTURE
        if (
            i == 0
            and planned
            and v.tag_ == "VBN"
            and any(a.tag_ in ("VBZ", "VBP") for a in auxes)
        ):
            return FUTURE
        if i == 0 and v.dep_ == "ROOT" and v.tag_ == "VB" and any(a.lower_ == "to" for a in auxes):
            return FUTURE
    if _past_form(verb, [c for c in verb.children if c.dep_ in _AUX_DEPS]):
        return PAST
    return None
