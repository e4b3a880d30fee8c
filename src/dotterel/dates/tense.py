"""Which way a temporal expression leans: the tense of the verb that governs it.

"will meet on Friday" leans to the future (the next Friday); "met on Friday"
and "said on Friday" to the past. Read from spaCy's dependency parse; ``None``
when the parse says nothing clear (callers then use their default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .calendar import FUTURE, PAST, PRESENT
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


def lean_of_span(
    doc: Doc, start: int, end: int, lexicon: DateLexicon, *, body_start: int = 0
) -> str | None:
    """``"future"``, ``"past"``, ``"present"`` or ``None`` for the characters ``start:end`` of ``doc``.

    "since ..." is past. A weekday right after a past-tense verb ("said Sunday ...") is past whatever
    the parse hangs it on. Headlines use the present for the past: a present
    tense in the title (before ``body_start``) reads as past.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    before = span.start - 1
    if before >= 0 and doc[before].lower_ == "since":
        return PAST
    if before >= 0 and doc[before].lower_ == "on":
        before -= 1
    if before >= 0 and doc[before].tag_ == "VBD":
        return PAST
    if span.root.dep_ == "compound":
        return PAST  # a date naming an event: "the December revolution", "the February 8 vote"
    verb = clause_verb(span.root)
    if verb is None:
        return None
    tense = verb_tense(verb, lexicon)
    if tense == PRESENT and start < body_start:
        return PAST
    return tense


def _past_form(verb: Token, auxes: list[Token]) -> bool:
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return True
    return verb.tag_ == "VBN" and any(a.lemma_.lower() == "have" for a in auxes)


def _nonfinite(verb: Token) -> bool:
    return verb.tag_ in ("VB", "VBG", "VBN") and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") and c.lower_ != "to" for c in verb.children
    )


def _plain_tense(verb: Token) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in _AUX_DEPS]
    if any(a.lower_ == "would" for a in auxes):
        return PRESENT  # future in the past: "said tariffs would take effect Wednesday"
    if _past_form(verb, auxes) or (verb.tag_ == "VBN" and not auxes):
        return PAST  # "the summit held in February"
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return PRESENT
    return None


def verb_tense(verb: Token, lexicon: DateLexicon) -> str | None:
    """The time a clause verb points to: future auxiliaries and plan-verbs, else past forms.

    Future: an auxiliary "will"/"shall"/"'ll" on the verb or on the verbs it is
    an xcomp/conj of ("will meet", "plans to meet"), "is scheduled for", "a
    report set for release Friday", and a
    headline infinitive ("Leaders to meet Friday"). Past: a past-tense or
    perfect verb, or a bare past participle ("the summit held in February").
    Present: a present-tense verb or auxiliary, and "would" (the future seen
    from the past). A non-finite verb ("starting in July", "to deliver ... until
    August") takes the tense of the verb it hangs from. Otherwise ``None``.
    """
    chain = [verb]
    tok = verb
    while (
        tok.head.i != tok.i
        and len(chain) < 5
        and (tok.dep_ in ("xcomp", "conj") or (tok.dep_ == "advcl" and _nonfinite(tok)))
    ):
        tok = tok.head
        chain.append(tok)
    for i, v in enumerate(chain):
        auxes = [c for c in v.children if c.dep_ in _AUX_DEPS]
        if any(a.lower_ in lexicon.future_auxiliaries for a in auxes):
            return FUTURE
        planned = v.lemma_.lower() in lexicon.future_lemmas or v.lower_ in lexicon.future_lemmas
        if i > 0 and planned and not _past_form(v, auxes):
            return FUTURE
        if i == 0 and planned and v.tag_ == "VBN" and any(a.tag_ in ("VBZ", "VBP") for a in auxes):
            return FUTURE  # "is scheduled for Friday"
        if i == 0 and planned and v.tag_ == "VBN" and not auxes:
            # "a report set for release Friday finds": future; "elections set for
            # February were delayed": planned in the past, so the nearer February
            outer = clause_verb(v.head) if v.head.i != v.i else None
            if outer is not None and _past_form(outer, [c for c in outer.children if c.dep_ in _AUX_DEPS]):
                return PRESENT
            return FUTURE
        if i == 0 and v.dep_ == "ROOT" and v.tag_ == "VB" and any(a.lower_ == "to" for a in auxes):
            return FUTURE
    for v in chain:
        tense = _plain_tense(v)
        if tense is not None or not _nonfinite(v):
            return tense
    return None
