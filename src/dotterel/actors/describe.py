"""Reading the words around a name or an agent noun: titles, countries, organisations.

"Kazakh President Kassym-Jomart Tokayev", "Russia's state nuclear energy corporation
Rosatom", "Iraqi police", "the government of Iraq": the words in front of (or the
``of``-phrase after) a head say what role, country and sector it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .knowledge import ActorKnowledge, Agent, Term, Title

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: Word classes that may sit in a descriptor in front of a head ("state nuclear energy").
_WINDOW_POS = frozenset({"PROPN", "NOUN", "ADJ", "NUM"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
#: Honorifics in front of a person's name; the value is the gender they imply ("" unknown).
HONORIFICS = {
    "mr": "m",
    "mr.": "m",
    "mrs": "f",
    "mrs.": "f",
    "ms": "f",
    "ms.": "f",
    "miss": "f",
    "dr": "",
    "dr.": "",
    "sir": "m",
    "dame": "f",
    "lord": "m",
    "lady": "f",
}
#: Adjectives that tie a bare agent noun to the story's own country ("local newspaper").
LOCAL_WORDS = frozenset(
    {"local", "national", "state", "state-run", "state-owned", "domestic", "federal", "regional"}
)
#: Adjectives that say an agent noun is NOT the story's own country.
FOREIGN_WORDS = frozenset(
    {"foreign", "other", "western", "international", "overseas", "outside", "global", "world"}
)
_MAX_WINDOW = 8


@dataclass
class Descriptor:
    """What the words before a head say about it."""

    lo: int  # first token of the descriptor (== head start when empty)
    title: Title | None = None
    title_lo: int = -1
    agent: Agent | None = None
    agent_phrase: str | None = None
    org: Term | None = None
    country: str | None = None
    local: bool = False
    foreign: bool = False
    honorific: str | None = None


def window_start(doc: Doc, start: int, matches: dict[int, tuple[int, Term]], stop: set[int]) -> int:
    """The first token of the run of descriptor words just before token ``start``.

    The run holds nouns, proper nouns, adjectives, numbers, possessive 's, hyphens,
    honorifics and tokens of known terms; it stops at determiners, prepositions, verbs,
    pronouns, other punctuation, a sentence start, and tokens in ``stop`` (other names).
    """
    sent_start = doc[start].sent.start if start < len(doc) else 0
    k = start
    while k > sent_start and start - k < _MAX_WINDOW:
        tok = doc[k - 1]
        if tok.i in stop:
            break
        text = tok.text
        if text in _POSSESSIVE or text == "-" or text.lower() in HONORIFICS:
            k -= 1
            continue
        if tok.pos_ in _WINDOW_POS and not tok.is_space:
            k -= 1
            continue
        break
    while k < start and (doc[k].text in _POSSESSIVE or doc[k].text == "-"):
        k += 1
    return k


def _phrase(doc: Doc, lo: int, hi: int) -> str:
    return " ".join(doc[lo:hi].text.lower().split())


def longest_suffix(doc: Doc, lo: int, hi: int, table: dict[str, object], max_words: int) -> int:
    """The smallest k in [lo, hi) such that the words doc[k:hi] (lower-cased) are a key of ``table``; -1 if none.

    The last word is also tried as its lemma ("soldiers" → "soldier").
    """
    first = max(lo, hi - max_words - 2)  # hyphens count as tokens: "President - elect"
    for k in range(first, hi):
        phrase = _phrase(doc, k, hi)
        if phrase in table:
            return k
        last = doc[hi - 1]
        lemma = last.lemma_.lower()
        if lemma != last.lower_:
            alt = (_phrase(doc, k, hi - 1) + " " + lemma).strip()
            if alt in table:
                return k
    return -1


def lookup_suffix(doc: Doc, k: int, hi: int, table: dict[str, object]) -> object | None:
    """The entry of ``table`` for doc[k:hi] (text, or with the last word's lemma)."""
    phrase = _phrase(doc, k, hi)
    if phrase in table:
        return table[phrase]
    lemma = doc[hi - 1].lemma_.lower()
    alt = (_phrase(doc, k, hi - 1) + " " + lemma).strip()
    return table.get(alt)


def describe(
    doc: Doc,
    kb: ActorKnowledge,
    lo: int,
    hi: int,
    matches: dict[int, tuple[int, Term]],
    *,
    with_title: bool = True,
) -> Descriptor:
    """Read the descriptor tokens doc[lo:hi] in front of a head (a name, or an agent noun's head).

    With ``with_title``, a title or agent noun ending right at ``hi`` is taken first
    ("Foreign Minister", "corporation"); the words before it give country, organisation
    and local/foreign hints.
    """
    desc = Descriptor(lo=lo)
    end = hi
    if with_title and hi > lo:
        k = longest_suffix(doc, lo, hi, kb.titles, kb.title_words)  # type: ignore[arg-type]
        if k >= 0:
            found = lookup_suffix(doc, k, hi, kb.titles)  # type: ignore[arg-type]
            if isinstance(found, Title):
                desc.title, desc.title_lo, end = found, k, k
        else:
            k = longest_suffix(doc, lo, hi, kb.agents, kb.agent_words)  # type: ignore[arg-type]
            if k >= 0:
                found = lookup_suffix(doc, k, hi, kb.agents)  # type: ignore[arg-type]
                if isinstance(found, Agent):
                    desc.agent, desc.agent_phrase, end = found, _phrase(doc, k, hi), k
    i = lo
    while i < end:
        tok = doc[i]
        match = matches.get(i)
        if match is not None and match[0] <= hi:
            term = match[1]
            if term.type == "actor":
                desc.org = desc.org or term
                desc.country = desc.country or term.country
            elif term.country:
                desc.country = desc.country or term.country
            i = match[0]
            continue
        low = tok.lower_
        if low in HONORIFICS:
            desc.honorific = HONORIFICS[low]
        elif low in LOCAL_WORDS:
            desc.local = True
        elif low in FOREIGN_WORDS:
            desc.foreign = True
        i += 1
    return desc


def of_complement(doc: Doc, head: int, matches: dict[int, tuple[int, Term]]) -> Term | None:
    """The known term in an ``of``/``for`` phrase after a head ("the government of Iraq"), if any."""
    for child in doc[head].rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "for") and child.i == head + 1:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    k = obj.left_edge.i
                    while k <= obj.i:
                        if k in matches and matches[k][0] == obj.i + 1:
                            return matches[k][1]
                        k += 1
    return None
