"""Matching known terms on tokens, and cutting titles off the front of entity names."""

from __future__ import annotations

import re

from .describe import HONORIFICS, Tokens
from .knowledge import FOLD_PREFIX, ActorKnowledge, Term

#: Lower-case words allowed inside an imported (case-insensitively matched) name.
NAME_PARTICLES = frozenset(
    "al el bin ibn bint de da di du del della der van von la le dos das y of the and for "  # noqa: SIM905
    "e i ul ud ur ut".split()  # "Lashkar-e-Taiba", "Tehrik-i-Taliban", "Harkat-ul-Mujahideen"
)
_NAME_PUNCT = frozenset({"-", "'", ".", "’", "&"})


def _folded_match(toks: Tokens, kb: ActorKnowledge, i: int) -> tuple[int, Term] | None:
    """The longest imported name starting at token ``i``: every word capitalised (or a name
    particle: "al", "of"), the first and last words capitalised, matched without case."""
    texts, pos = toks.text, toks.pos
    first = texts[i]
    if not first[:1].isupper():
        return None
    folded, prefixes = kb.folded, kb.folded_prefixes
    best: tuple[int, Term] | None = None
    acc = ""
    n = len(texts)
    j = i
    while j < n and j - i < 12 and pos[j] != "SPACE":
        word = texts[j]
        if not (word[:1].isupper() or word[:1].isdigit() or word in _NAME_PUNCT
                or word.lower() in NAME_PARTICLES):
            break
        acc += word.replace("’", "'").replace("-", "").replace(".", "").lower()
        if len(acc) <= FOLD_PREFIX and acc not in prefixes:
            break
        term = folded.get(acc)
        # one word is an imported name only as an acronym ("FARC"): a lone capitalised word
        # is too often a person's name or a sentence's first word ("Abubakar", "Unity")
        if term is not None and word[:1].isupper() and (j > i or (word.isupper() and len(word) > 2)):
            best = (j + 1, term)
        j += 1
    return best


def match_terms(toks: Tokens, kb: ActorKnowledge) -> dict[int, tuple[int, Term]]:
    """Known terms in the story: first token → (end token, term), longest match, left to right.

    Hand-written forms are matched case-sensitively; imported (Phoenix) names case-insensitively
    on capitalised words, and only when they are longer than the hand-written match there."""
    found: dict[int, tuple[int, Term]] = {}
    prefixes, terms = kb.prefixes, kb.terms
    texts, pos = toks.text, toks.pos
    n = len(texts)
    i = 0
    imported = bool(kb.folded)
    fprefixes = kb.folded_prefixes

    def may_start(word: str) -> bool:
        """Cheap test before :func:`_folded_match`: capitalised, and its folded start is a prefix."""
        if not (imported and word[:1].isupper()):
            return False
        key = word.replace("’", "'").replace("-", "").replace(".", "").lower()[:FOLD_PREFIX]
        return key in fprefixes

    while i < n:
        if texts[i] not in prefixes:
            word = texts[i]
            other = (
                _folded_match(toks, kb, i)
                if imported and word[:1].isupper() and may_start(word) else None
            )
            if other is not None:
                found[i] = other
                i = other[0]
            else:
                i += 1
            continue
        best: tuple[int, Term] | None = None
        acc = ""
        j = i
        while j < n and j - i < 12 and pos[j] != "SPACE":
            acc += texts[j].replace("’", "'")
            if acc not in prefixes:
                break
            term = terms.get(acc)
            if term is not None:
                best = (j + 1, term)
            j += 1
        if imported and texts[i][:1].isupper() and may_start(texts[i]):
            other = _folded_match(toks, kb, i)
            if other is not None and (best is None or other[0] > best[0]):
                best = other
        if best is not None:
            found[i] = best
            i = best[0]
        else:
            i += 1
    return found


def words_of(text: str) -> list[str]:
    """Lower-cased words of a name for matching its shorter forms ("Al-Sharaa" ~ "al-Sharaa")."""
    return [w for w in re.split(r"[\s\-‐–]+", text.lower().replace("’", "'")) if w]


def strip_name(
    toks: Tokens, kb: ActorKnowledge, s: int, e: int, matches: dict[int, tuple[int, Term]]
) -> int:
    """Skip determiners, honorifics and titles (with known terms before them) at the front of an entity.

    "Kazakh President Kassym-Jomart Tokayev" → "Kassym-Jomart Tokayev", "VOA's Kurdish
    Service" → "Kurdish Service", but a known term not followed by a title or a possessive
    stays part of the name ("Azerbaijan Airlines").
    """
    settled = s
    while s < e:
        low = toks.lower[s]
        if low == "the" or low in HONORIFICS or toks.text[s] in ("'s", "’s", "-"):
            s += 1
            if low != "-":
                settled = s
            continue
        m = matches.get(s)
        if m is not None and m[0] < e:
            s = m[0]
            continue
        for width in range(min(kb.title_words + 2, e - s - 1), 0, -1):
            if toks.phrase(s, s + width) in kb.titles:
                s += width
                settled = s
                break
        else:
            break
    return settled
