"""Matching known terms on tokens, and cutting titles off the front of entity names."""

from __future__ import annotations

import re

from .describe import HONORIFICS, Tokens
from .knowledge import ActorKnowledge, Term


def match_terms(toks: Tokens, kb: ActorKnowledge) -> dict[int, tuple[int, Term]]:
    """Known terms in the story: first token → (end token, term), longest match, left to right."""
    found: dict[int, tuple[int, Term]] = {}
    prefixes, terms = kb.prefixes, kb.terms
    texts, pos = toks.text, toks.pos
    n = len(texts)
    i = 0
    while i < n:
        if texts[i] not in prefixes:
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
