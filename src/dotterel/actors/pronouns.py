"""Simple, safe pronoun resolution: attach "he", "his", "it", "they" to an actor only when clear.

- he/him/his/she/her → a person: the subject of a clause the pronoun sits in (walking up
  the dependency tree; an object pronoun never takes its own verb's subject), else the
  subject of the previous sentence, else the only person mentioned in this and the
  previous sentence. Gender is checked when known (Mr./Mrs., "queen").
- it/its → a state or organisation found the same way; they/them/their → a group or an
  organisation that is a subject the same way. Anything less clear stays unresolved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from .assemble import Cluster
    from .describe import Tokens

_PERSON = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
_THING = frozenset({"it", "its", "itself"})
_PLURAL = frozenset({"they", "them", "their", "themselves"})
_SUBJ = frozenset({"nsubj", "nsubjpass"})
_OBJ = frozenset({"dobj", "obj", "iobj", "dative", "pobj"})
#: "it is important to ...": an expletive "it" refers to nothing.
#: "it's more that ...": words after an expletive "it is" (beside _EXPLETIVE_NEXT).
_ADVERBS = frozenset({"more"})
_EXPLETIVE_NEXT = frozenset(
    {
        "important",
        "necessary",
        "clear",
        "possible",
        "impossible",
        "likely",
        "unlikely",
        "unclear",
        "difficult",
        "hard",
        "easy",
        "essential",
        "time",
        "true",
        "expected",
        "believed",
        "reported",
        "said",
        "thought",
        "feared",
        "estimated",
        "worth",
        "not",
    }
)


def _compatible(cl: Cluster, pron: str) -> bool:
    low = pron.lower()
    if low in _PERSON:
        return cl.kind == "person" and (not cl.gender or cl.gender == _PERSON[low])
    if low in _THING:
        return cl.kind in ("state", "organization")
    return cl.kind == "group" or (cl.kind == "organization" and cl.key[:1] == ("agent",))


def _subject_of(verb: Token, owner: dict[int, Cluster], skip: Token) -> list[Cluster]:
    out = []
    for child in verb.children:
        if child.dep_ in _SUBJ and not (child.left_edge.i <= skip.i <= child.right_edge.i):
            cl = owner.get(child.i)
            if cl is not None:
                out.append(cl)
            for conj in child.conjuncts:
                if conj.i in owner:
                    out.append(owner[conj.i])
    return out


def _candidates_in_clause(tok: Token, owner: dict[int, Cluster]) -> list[list[Cluster]]:
    """Subjects of the clauses above ``tok`` (nearest first), and of clauses beside them before it.

    One list per clause level; a level with two actors ("Biden and Macron said he") is ambiguous.
    """
    levels: list[list[Cluster]] = []
    node = tok
    direct_verb = tok.head.i if tok.dep_ in _OBJ and tok.dep_ != "pobj" else -1
    while node.head.i != node.i:
        head = node.head
        if head.i != direct_verb:
            levels.append(_subject_of(head, owner, tok))
        for child in head.children:
            if (
                child.dep_ in ("advcl", "conj")
                and child.i < tok.i
                and not (child.left_edge.i <= tok.i <= child.right_edge.i)
            ):
                levels.append(_subject_of(child, owner, tok))
        node = head
    return levels


def _pick(levels: list[list[Cluster]], low: str) -> list[Cluster]:
    """The nearest level with a compatible actor, if it names exactly one."""
    for level in levels:
        found: list[Cluster] = []
        for cl in level:
            if _compatible(cl, low) and all(cl is not f for f in found):
                found.append(cl)
        if len(found) == 1:
            return found
        if found:
            return []
    return []


def _root_subject(sent: Span, owner: dict[int, Cluster]) -> list[Cluster]:
    root = sent.root
    return _subject_of(root, owner, root)


def _look_back(
    sentences: list[Span], index: int, tok: Token, owner: dict[int, Cluster], low: str
) -> list[Cluster]:
    """A person pronoun with no subject above it: the only person earlier in its sentence, else
    the subject (or only person) of the nearest of the three previous sentences naming a person."""
    sent = sentences[index]
    here = {
        id(owner[t]): owner[t]
        for t in range(sent.start, tok.i)
        if t in owner and _compatible(owner[t], low)
    }
    if len(here) == 1:
        return list(here.values())
    if here:
        return []
    for back in range(index - 1, max(index - 4, -1), -1):
        prev = sentences[back]
        people = {
            id(owner[t]): owner[t]
            for t in range(prev.start, prev.end)
            if t in owner and _compatible(owner[t], low)
        }
        if not people:
            continue
        subject = _root_subject(prev, owner)
        if any(_compatible(c, low) for c in subject):
            return _pick([subject], low)
        return list(people.values()) if len(people) == 1 else []
    return []


def resolve_pronouns(toks: Tokens, clusters: list[Cluster], claimed: set[int]) -> None:
    """Add a mention to the actor each clear pronoun refers to (in place)."""
    owner: dict[int, Cluster] = {}
    for cl in clusters:
        for first, last, _ in cl.mentions:
            for t in range(first, last):
                owner.setdefault(t, cl)
    doc, lower = toks.doc, toks.lower
    sentences = toks.sents
    index = 0
    for i, pos in enumerate(toks.pos):
        low = lower[i]
        if pos != "PRON" or i in claimed or not (low in _PERSON or low in _THING or low in _PLURAL):
            continue
        while sentences[index].end <= i:
            index += 1
        tok = doc[i]
        if (
            low == "it"
            and i + 2 < len(lower)
            and (lower[i + 2] in _EXPLETIVE_NEXT or lower[i + 2] in _ADVERBS)
            and doc[i + 1].lemma_ == "be"
        ):
            continue
        if low in ("it", "itself", "them") and tok.dep_ not in _SUBJ:
            continue  # an object "it" is usually a thing
        found = _pick(_candidates_in_clause(tok, owner), low)
        if found and low not in _PERSON:
            start = sentences[index].start
            recent = next(
                (
                    owner[t]
                    for t in range(i - 1, start - 1, -1)
                    if t in owner and _compatible(owner[t], low)
                ),
                None,
            )
            if recent is not found[0]:
                found = []  # "it"/"they" only when the subject is also the nearest candidate
        if not found and low in _PERSON:
            found = _look_back(sentences, index, tok, owner, low)
        elif not found and tok.dep_ in _SUBJ and i - sentences[index].start <= 1 and index > 0:
            # "They demanded ...", "It said ...": the subject of the previous sentence
            found = _pick([_root_subject(sentences[index - 1], owner)], low)
        if found:
            cl = found[0]
            if low in _PERSON and not cl.gender:
                cl.gender = _PERSON[low]  # later pronouns of the other gender go elsewhere
            cl.mentions.append((i, i + 1, "pronoun"))
            owner[i] = cl
            claimed.add(i)
