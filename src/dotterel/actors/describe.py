"""Reading the words around a name or an agent noun: titles, countries, organisations.

"Kazakh President Kassym-Jomart Tokayev", "Russia's state nuclear energy corporation
Rosatom", "Iraqi police", "the government of Iraq": the words in front of (or the
``of``-phrase after) a head say what role, country and sector it has.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ..nlp import token_table
from .knowledge import ActorKnowledge, Agent, Term, Title

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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
#: Prepositions after which a capital is a place, not an actor ("in Moscow").
LOCATIVE = frozenset(
    {
        "in",
        "at",
        "near",
        "to",
        "into",
        "from",
        "outside",
        "across",
        "around",
        "throughout",
        "within",
        "via",
        "toward",
        "towards",
        "through",
        "inside",
        "between",
    }
)
#: Sectors of state office: a titled person with one of these and no country takes the story's.
STATE_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "COP"})
#: Prepositions the tagger sometimes calls adjectives ("outside parliament").
_NOT_DESCRIPTIVE = frozenset(
    {"outside", "inside", "near", "across", "around", "within", "behind", "beyond", "amid"}
)
T = TypeVar("T")


class Tokens:
    """Per-token strings of a Doc read once (spaCy builds a new Token object on every access)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        from spacy.attrs import IDX, SPACY

        # one array read instead of a Token object per attribute access (3x faster); the
        # words, coarse tags, lemmas and lower-case forms are the Doc's table, shared with the events
        table = token_table(doc)
        arr = doc.to_array([IDX, SPACY])
        self.text: list[str] = table.text
        self.lower: list[str] = table.lower
        self.pos: list[str] = table.pos
        self.idx: list[int] = arr[:, 0].tolist() if len(doc) else []
        self.ws: list[str] = [" " if h else "" for h in arr[:, 1].tolist()] if len(doc) else []
        self.sents: list[Span] = list(doc.sents)
        self.sent_start = [0] * len(doc)
        for sent in self.sents:
            start = sent.start
            for i in range(start, sent.end):
                self.sent_start[i] = start
        self._lemma = table.lemma

    def lemma(self, i: int) -> str:
        """Lower-cased lemma of token ``i``."""
        return self._lemma[i]

    def end_char(self, i: int) -> int:
        """Character offset just after token ``i``."""
        return self.idx[i] + len(self.text[i])

    def span_text(self, lo: int, hi: int) -> str:
        """Text of tokens [lo, hi) as in the document."""
        return "".join(self.text[i] + (self.ws[i] if i < hi - 1 else "") for i in range(lo, hi))

    def phrase(self, lo: int, hi: int) -> str:
        """Lower-cased text of tokens [lo, hi), inner whitespace collapsed to single spaces."""
        parts = []
        for i in range(lo, hi):
            parts.append(self.lower[i])
            if self.ws[i] and i < hi - 1:
                parts.append(" ")
        return "".join(parts)


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
    private: bool = False  # the title is held in a private organisation ("chair at Hudson")


def window_start(toks: Tokens, start: int, stop: set[int]) -> int:
    """The first token of the run of descriptor words just before token ``start``.

    The run holds nouns, proper nouns, adjectives, numbers, possessive 's, hyphens,
    honorifics and the "of" inside a capitalised title ("Secretary of State"); it stops at
    determiners, other prepositions, verbs, pronouns, other punctuation, a sentence start,
    and tokens in ``stop`` (other names).
    """
    sent_start = toks.sent_start[start] if start < len(toks.text) else 0
    k = start
    while k > sent_start and start - k < _MAX_WINDOW:
        i = k - 1
        if i in stop:
            break
        text = toks.text[i]
        if text in _POSSESSIVE or text == "-" or toks.lower[i] in HONORIFICS:
            k -= 1
            continue
        if toks.pos[i] in _WINDOW_POS and toks.lower[i] not in _NOT_DESCRIPTIVE:
            k -= 1
            continue
        if toks.pos[i] == "VERB" and toks.doc[i].dep_ == "amod":  # "Jordan's visiting King"
            k -= 1
            continue
        if (
            text == "of"
            and i > sent_start
            and toks.text[i - 1][:1].isupper()
            and toks.text[i + 1][:1].isupper()
        ):
            k -= 1
            continue
        break
    while k < start and (toks.text[k] in _POSSESSIVE or toks.text[k] in ("-", "of")):
        k += 1
    return k


def longest_suffix(
    toks: Tokens, lo: int, hi: int, table: Mapping[str, object], max_words: int
) -> int:
    """The smallest k in [lo, hi) such that the words of tokens [k, hi) (lower-cased) are a key of
    ``table``; -1 if none. The last word is also tried as its lemma ("soldiers" → "soldier")."""
    first = max(lo, hi - max_words - 2)  # hyphens count as tokens: "President - elect"
    lemma = toks.lemma(hi - 1) if toks.pos[hi - 1] in ("NOUN", "PROPN") else toks.lower[hi - 1]
    for k in range(first, hi):
        phrase = toks.phrase(k, hi)
        if phrase in table:
            return k
        if lemma != toks.lower[hi - 1]:
            alt = (toks.phrase(k, hi - 1) + " " + lemma).strip()
            if alt in table:
                return k
    return -1


def lookup_suffix(toks: Tokens, k: int, hi: int, table: Mapping[str, T]) -> T | None:
    """The entry of ``table`` for tokens [k, hi) (text, or with the last word's lemma)."""
    phrase = toks.phrase(k, hi)
    if phrase in table:
        return table[phrase]
    alt = (toks.phrase(k, hi - 1) + " " + toks.lemma(hi - 1)).strip()
    return table.get(alt)


def describe(
    toks: Tokens,
    kb: ActorKnowledge,
    lo: int,
    hi: int,
    matches: dict[int, tuple[int, Term]],
    *,
    with_title: bool = True,
) -> Descriptor:
    """Read the descriptor tokens [lo, hi) in front of a head (a name, or an agent noun's head).

    With ``with_title``, a title or agent noun ending right at ``hi`` is taken first
    ("Foreign Minister", "corporation"); the words before it give country, organisation
    and local/foreign hints.
    """
    desc = Descriptor(lo=lo)
    end = hi
    if with_title and hi > lo:
        nounish = toks.pos[hi - 1] in ("NOUN", "PROPN")  # "official Twitter account": no title
        k = longest_suffix(toks, lo, hi, kb.titles, kb.title_words) if nounish else -1
        title = lookup_suffix(toks, k, hi, kb.titles) if k >= 0 else None
        if title is not None:
            desc.title, desc.title_lo, end = title, k, k
        else:
            k = longest_suffix(toks, lo, hi, kb.agents, kb.agent_words)
            agent = lookup_suffix(toks, k, hi, kb.agents) if k >= 0 else None
            if agent is not None:
                desc.agent, desc.agent_phrase, end = agent, toks.phrase(k, hi), k
    i = lo
    while i < end:
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
        low = toks.lower[i]
        if low in HONORIFICS:
            desc.honorific = HONORIFICS[low]
        elif low in LOCAL_WORDS:
            desc.local = True
        elif low in FOREIGN_WORDS:
            desc.foreign = True
        i += 1
    return desc


def of_complement(doc: Doc, head: int, matches: dict[int, tuple[int, Term]]) -> Term | None:
    """The known term in an ``of`` phrase after a head ("the government of Iraq"), if any."""
    for child in doc[head].rights:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == head + 1:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    k = obj.left_edge.i
                    while k <= obj.i:
                        if k in matches and matches[k][0] == obj.i + 1:
                            return matches[k][1]
                        k += 1
    return None


#: Prepositions after an agent noun that say where the group is ("rebels in the Ivory Coast").
WHERE_PREPS = frozenset({"in", "throughout", "across"})


def where_complement(
    doc: Doc, head: int, matches: dict[int, tuple[int, Term]], kb: ActorKnowledge | None = None
) -> str | None:
    """The country of the place right after an agent noun in a locative phrase ("demonstrators in
    Baghdad", "students throughout Indonesia", "militants in Kandahar province"), if any: a
    country or capital term, else a place name the imported tables know (``kb.places``)."""
    for child in doc[head].rights:
        if child.dep_ == "prep" and child.lower_ in WHERE_PREPS and child.i == head + 1:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    for k in range(obj.left_edge.i, obj.i + 1):
                        if k in matches and matches[k][0] == obj.i + 1 and matches[k][1].type in ("country", "capital"):
                            return matches[k][1].country
                    if kb is not None and kb.places:
                        return place_in(doc, obj.left_edge.i, obj.i + 1, kb)
    return None


def place_in(doc: Doc, lo: int, hi: int, kb: ActorKnowledge) -> str | None:
    """The one country of the capitalised place names among tokens [lo, hi) ("northern
    Kandahar province" → AFG), from ``kb.places``; None for none or two."""
    found: set[str] = set()
    k = lo
    while k < hi:
        if not doc[k].text[:1].isupper() or doc[k].ent_type_ not in ("GPE", "LOC"):
            k += 1
            continue
        for e in range(min(hi, k + 5), k, -1):
            iso = kb.place_country("".join(t.text for t in doc[k:e]))
            if iso is not None:
                found.add(iso)
                k = e
                break
        else:
            k += 1
    return next(iter(found)) if len(found) == 1 else None


#: Prepositions after an agent noun that say where it comes from ("a company from this country").
FROM_PREPS = frozenset({"from", "of", "in", "based"})


def this_country_complement(
    doc: Doc, head: int, matches: dict[int, tuple[int, Term]], sent_start: list[int]
) -> str | None:
    """The country "this country" or "that country" points back to, after an agent noun
    ("negotiations with a company from this country"): the one country (country name,
    capital or demonym) named earlier in the same sentence, else the one named in the
    previous sentence. Two or more candidates: ``None`` (no guessing)."""
    if not any(
        child.dep_ == "prep" and child.lower_ in FROM_PREPS and any(
            obj.dep_ == "pobj" and obj.lower_ == "country"
            and any(c.dep_ == "det" and c.lower_ in ("this", "that") for c in obj.lefts)
            for obj in child.children
        )
        for child in doc[head].rights
    ):
        return None
    start = sent_start[head]
    windows = [(start, head)]
    if start > 0:
        windows.append((sent_start[start - 1], start))
    for lo, hi in windows:
        found = sorted({
            term.country
            for k in range(lo, hi)
            if k in matches
            for term in (matches[k][1],)
            if term.country and term.type in ("country", "capital", "demonym")
        })
        if found:
            return found[0] if len(found) == 1 else None
    return None


def demonym_before(matches: dict[int, tuple[int, Term]], start: int) -> Term | None:
    """The demonym right before token ``start`` ("Iraqi" of "Iraqi Kurds"), if any."""
    for k in range(max(0, start - 3), start):
        if k in matches and matches[k][0] == start and matches[k][1].type == "demonym":
            return matches[k][1]
    return None


def state_demonym(tok: Token, demonyms: frozenset[int], modifies_agent: Callable[[int], bool]) -> bool:
    """Whether a demonym names its state: it modifies a common noun that is no agent or title
    ("an Australian ultimatum"), or it is the first of coordinated demonyms ("French and
    Egyptian warships", also when parsed as a noun: "Sierra Leonean and Liberian refugees")."""
    if tok.dep_ == "amod" and any(c.dep_ == "conj" and c.i in demonyms for c in tok.children):
        return True
    if tok.dep_ in ("pobj", "dobj", "nsubj", "nsubjpass") and any(c.dep_ == "conj" for c in tok.children):
        return True
    head = tok.head
    return tok.dep_ in ("amod", "compound") and head.i > tok.i and head.pos_ == "NOUN" and not modifies_agent(head.i)
