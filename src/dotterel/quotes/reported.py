"""Reported speech from the dependency parse: cue, source and content of each attribution.

A cue is a verb of ``cue_verbs.tsv`` (its subject is the source, its clausal,
object or infinitive complement is the content, as the verb's ``takes`` column
allows), a phrase of ``cue_phrases.tsv`` ("according to X, ...": the source is
the phrase's object, the content the clause it modifies), or a noun of
``cue_nouns.tsv`` with a that-clause ("his claim that ..."). When the cue verb
hangs off the reported clause (``"..., X said."``, parsed as parataxis), the
content is that clause minus the cue's own subtree. Offsets are into
``story.doc.text`` (title and body combined).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .lexicon import QuoteLexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Range = tuple[int, int]

#: Dependencies under which a verb's subject is inherited from its head ("..., adding that ...").
_INHERIT_SUBJECT = frozenset({"conj", "advcl", "xcomp"})
#: How a cue verb can hang off the clause it reports.
_CUE_ON_CONTENT = frozenset({"parataxis", "advcl", "ccomp", "conj"})
_SUBJECTS = ("nsubj", "csubj")
_CUE_PREFIX = frozenset({"aux", "auxpass", "neg", "advmod"})
_COMPLEMENT_DEPS = {"ccomp": "clause", "dobj": "object", "nsubjpass": "object", "xcomp": "to", "parataxis": "clause"}
_TRIM = set(",;:—–-()[]") | {"\u2014", "\u2013"}


@dataclass(slots=True)
class Attribution:
    """One attribution found in the parse: cue, source and content ranges (combined offsets)."""

    cue: Range
    cue_token: Token
    kind: str
    speaker: Range | None
    speaker_head: Token | None
    content: list[Range] = field(default_factory=list)


def token_range(doc: Doc, first: int, last: int) -> Range | None:
    """Character range of tokens ``first..last`` (inclusive) with boundary punctuation trimmed."""
    while first <= last and _trimmed(doc[first], (".",)):
        first += 1
    while last >= first and _trimmed(doc[last], ".,"):
        last -= 1
    if first > last:
        return None
    end = doc[last]
    return doc[first].idx, end.idx + len(end.text)


def _trimmed(tok: Token, stops: str | tuple[str, ...]) -> bool:
    """Whether :func:`token_range` trims ``tok`` off an end: a space, a mark, or text in ``stops``."""
    if tok.is_space:
        return True
    text = tok.text
    return text in _TRIM or text in stops


def token_range_chars(doc: Doc, rng: Range) -> Range | None:
    """``rng`` shrunk to whole tokens, boundary punctuation trimmed."""
    span = doc.char_span(rng[0], rng[1], alignment_mode="contract")
    if span is None or len(span) == 0:
        return None
    return token_range(doc, span.start, span.end - 1)


def _subtree_range(token: Token) -> Range | None:
    return token_range(token.doc, token.left_edge.i, token.right_edge.i)


def _clause_range(head: Token, lex: QuoteLexicon) -> Range | None:
    """``head``'s subtree, ending before a coordinated attribution of its own.

    That is a conjoined speech verb ("..., and most voters said ...") or the cue
    repeated ("He said A and said B", "... and believes that ...").
    """
    doc = head.doc
    cue_lemma = head.head.lemma_.lower()
    last = head.right_edge.i
    for child in head.children:
        if child.dep_ == "conj" and child.i > head.i and child.pos_ == "VERB":
            verb = lex.verbs.get(child.lemma_.lower())
            repeated = verb is not None and verb.lemma in (cue_lemma, "add")
            if verb is not None and (repeated or verb.kind == "speech"):
                last = child.left_edge.i - 1
                while last > head.i and (doc[last].dep_ in ("cc", "punct") or doc[last].is_space):
                    last -= 1
                break
    return token_range(doc, head.left_edge.i, last)


def _run_on(verb: Token, clause: Token) -> Token | None:
    """A verb the parser coordinated with cue ``verb`` that really continues its reported ``clause``.

    "He recalled that the commission created to study it decided to act" is parsed with
    "created" as the clause's verb and "decided" as a second verb of "recalled" (``conj``,
    or a second ``ccomp``): a finite verb attached to the cue with no conjunction, no
    punctuation and no subject of its own, right after the clause ends, is the clause's
    real verb (the clause's subject is its subject).
    """
    doc = verb.doc
    if clause.dep_ != "ccomp" or clause.i < verb.i or doc[clause.right_edge.i].dep_ in ("cc", "punct"):
        return None  # "... should be released but said ...": a coordination after all
    if any(doc[i].text.endswith(".") and doc[i + 1].text[:1].isupper()
           for i in range(clause.left_edge.i, clause.right_edge.i)):
        return None  # "... into the U.S. Sheinbaum sent ...": a missed sentence break, not one clause
    for child in verb.rights:
        if (child.dep_ in ("conj", "ccomp") and child.left_edge.i == clause.right_edge.i + 1
                and child.pos_ in ("VERB", "AUX") and child.tag_ in ("VBD", "VBZ", "VBP")
                and child.lemma_ != verb.lemma_
                and not any(c.dep_ in (*_SUBJECTS, "nsubjpass", "expl") for c in child.children)
                and not any(c.dep_ in ("cc", "punct") and clause.i < c.i < child.i for c in verb.children)):
            return child
    return None


def speaker_range(head: Token) -> Range | None:
    """The source's noun phrase: the subject's whole subtree (appositions and relative clauses
    included, as in PolNeAR), kept within the head's line (no timestamps or datelines before it)."""
    doc = head.doc
    first, last = head.left_edge.i, head.right_edge.i
    for child in head.rights:  # "X, who said that ...": a clause reporting speech is not part of X
        if child.dep_ in ("relcl", "acl") and any(t.dep_ == "ccomp" for t in child.subtree):
            last = min(last, child.left_edge.i - 1)
    for i in range(head.i - 1, first - 1, -1):
        if "\n" in doc[i].text or doc[i].text in ("—", "–"):
            first = i + 1
            break
    for i in range(head.i + 1, last + 1):
        if "\n" in doc[i].text:
            last = i - 1
            break
    return token_range(doc, first, last)


def _subject(verb: Token, lex: QuoteLexicon) -> Token | None:
    """The verb's subject, or the subject it shares with the verb it is coordinated with or hangs off.

    A cue coordinated inside another cue's reported clause ("He said A and said B",
    misparsed as B's ``said`` hanging off A's verb) takes the outer cue's subject.
    """
    current = verb
    for _ in range(4):
        subjects = [c for c in current.children if c.dep_ in _SUBJECTS]
        if subjects:  # the one nearest the verb ("LONDON (AP) — Trump said": Trump)
            before = [c for c in subjects if c.i < current.i]
            return before[-1] if before else subjects[0]
        for child in current.children:
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return pobj
        if current.dep_ == "acl" and current.head.pos_ in ("NOUN", "PROPN") and current.tag_ == "VBG":
            return current.head  # "a speech vowing to ...": the noun is the source
        if current.dep_ == "pcomp" and current.head.head != current.head:
            current = current.head.head  # "by saying ...": the verb the preposition hangs off
            continue
        if current.dep_ in ("conj", "ccomp") and current.head != current:
            clause = next((c for c in current.head.children
                           if c.dep_ == "ccomp" and c != current and _run_on(current.head, c) == current), None)
            if clause is not None:  # the real verb of a clause the parser split: the clause's subject
                current = clause
                continue
        if current.dep_ not in _INHERIT_SUBJECT or current.head == current:
            return None
        head = current.head
        if current.dep_ == "conj" and not any(
            c.dep_ == "cc" and head.i < c.i < current.i for c in head.children
        ):
            return None  # no "and"/"but": a misparse, not a shared subject
        if current.dep_ == "conj" and head.dep_ == "ccomp" and head.head.lemma_.lower() in lex.verbs:
            head = head.head
        current = head
    return None


def _inverted_subject(verb: Token) -> Token | None:
    """``says Tokayev`` when the parser left the name unattached: the name right after the verb."""
    doc = verb.doc
    i = verb.i + 1
    if i >= len(doc) or doc[i].pos_ not in ("PROPN", "PRON"):
        return None
    while i + 1 < len(doc) and doc[i + 1].pos_ == "PROPN" and doc[i + 1].head.i in (i, doc[i].head.i):
        i += 1
    return doc[i]


def _minus(outer: Token, inner: Token) -> list[Range]:
    """``outer``'s subtree without ``inner``'s subtree: up to two ranges (left and right)."""
    doc = outer.doc
    pieces: list[Range] = []
    left = token_range(doc, outer.left_edge.i, inner.left_edge.i - 1) if inner.left_edge.i > outer.left_edge.i else None
    right = token_range(doc, inner.right_edge.i + 1, outer.right_edge.i) if inner.right_edge.i < outer.right_edge.i else None
    for piece in (left, right):
        if piece is not None and piece[1] - piece[0] > 1:
            pieces.append(piece)
    return pieces


def _prep_object(prep: Token) -> Token | None:
    return next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)


#: Which complement is the content when a verb has several (lower first).
_PRIORITY = {"ccomp": 0, "parataxis": 1, "xcomp": 2, "dobj": 3, "prep": 4, "nsubjpass": 5}


def _complement(token: Token, takes: frozenset[str]) -> Token | None:
    """The child of cue verb ``token`` that holds the content, as its ``takes`` allow."""
    best: tuple[int, Token] | None = None
    for child in token.children:
        dep = child.dep_
        if dep == "prep":
            if f"prep:{child.lower_}" not in takes:
                continue
            target = _prep_object(child)
            if target is None:
                continue
        else:
            need = _COMPLEMENT_DEPS.get(dep)
            if need is None or (dep == "parataxis" and child.i < token.i):
                continue
            if need == "to" and child.tag_ == "VBG" and child.i > token.i:
                need = "clause"  # "said legalizing it could ...": a clause the parser called xcomp
            if not (need in takes or (need == "clause" and "quote" in takes)):
                continue
            if dep == "nsubjpass" and child.pos_ == "PRON":
                continue  # "who was considered": no content
            target = child
        rank = _PRIORITY[dep]
        if best is None or rank < best[0]:
            best = (rank, target)
    return None if best is None else best[1]


#: Prepositions that introduce an object's predicative complement ("viewed X *as a partner*").
_PREDICATIVE = frozenset({"as"})


def _extend_right(verb: Token, complement: Token, piece: Range) -> Range:
    """An object's content runs on through the verb's later modifiers ("accused X *of lying*",
    "wants Y *to resign unless ...*"), up to a comma, a conjunction or the end of the clause;
    a predicative "as" complement is taken in even after a comma ("viewed X, a neighbour, as a partner")."""
    doc = verb.doc
    if complement.dep_ not in ("dobj", "pobj", "xcomp") or complement.i < verb.i:
        return piece
    anchor = complement if complement.dep_ != "pobj" else complement.head
    last = None
    for child in verb.rights:
        if child.i <= anchor.i:
            continue
        if child.dep_ == "prep" and child.lower_ in _PREDICATIVE:
            last = child.right_edge.i  # "viewed X, a neighbour, as a partner": past the apposition's comma
            continue
        if child.dep_ in ("conj", "cc", "punct", "parataxis", "ccomp") or doc[child.left_edge.i - 1].text in ",;:—–(":
            break
        last = child.right_edge.i
    if last is None:
        return piece
    extended = token_range(doc, complement.left_edge.i, last)
    return piece if extended is None else (piece[0], max(piece[1], extended[1]))


def _cue_range(verb: Token) -> Range:
    """The cue verb with the auxiliaries, negation and adverbs right before it ("has also said")."""
    doc = verb.doc
    first = verb.i
    while first > 0 and doc[first - 1].head == verb and doc[first - 1].dep_ in _CUE_PREFIX:
        first -= 1
    return doc[first].idx, verb.idx + len(verb.text)


def _verb_cue(token: Token, lex: QuoteLexicon) -> Attribution | None:
    if token.pos_ not in ("VERB", "AUX"):
        return None
    verb = lex.verbs.get(token.lemma_.lower())
    if verb is None:
        return _that_clause_cue(token)
    if verb.kind == "none":
        return None
    subject = _subject(token, lex)
    content: list[Range] = []
    complement = _complement(token, verb.takes)
    if complement is not None:
        piece = _clause_range(complement, lex) if complement.dep_ != "pobj" else _subtree_range(complement)
        run_on = _run_on(token, complement)
        if piece is not None and run_on is not None:
            piece = token_range(token.doc, complement.left_edge.i, run_on.right_edge.i)
        if piece is not None:
            piece = _extend_right(token, complement, piece)
            if complement.dep_ == "xcomp":  # "urged *the candidates* to act": the object belongs to it
                obj = next((c for c in token.children if c.dep_ == "dobj" and token.i < c.i < complement.i), None)
                if obj is not None:
                    piece = (obj.left_edge.idx, piece[1])
            content.append(piece)
    if not content and token.dep_ in _CUE_ON_CONTENT and token.head != token and verb.kind == "speech":
        head = token.head
        before = token.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
        if head.pos_ in ("VERB", "AUX") and (
            token.dep_ == "parataxis" or (token.i > head.i and before is not None and before.text == ",")
        ):
            content = _minus(head, token)
    if subject is None:
        subject = _inverted_subject(token)
    cue = _cue_range(token)
    speaker = speaker_range(subject) if subject is not None else None
    if speaker is not None and subject is not None:
        if any(lo <= subject.idx < hi for lo, hi in content):
            return None  # a misparse: the source inside its own content
        for lo, hi in [*content, cue]:
            if speaker is not None and lo < speaker[1] and speaker[0] < hi:  # keep it clear of content and cue
                speaker = token_range_chars(token.doc, (speaker[0], lo) if speaker[0] < lo else (hi, speaker[1]))
    return Attribution(cue, token, verb.kind, speaker, subject, content)


def _that_clause_cue(token: Token) -> Attribution | None:
    """Any verb with a subject and a that-clause ("X insists that ...") is a cue, lexicon or not."""
    if token.pos_ != "VERB":
        return None
    clause = next((c for c in token.children if c.dep_ == "ccomp"
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    subject = next((c for c in token.children if c.dep_ in _SUBJECTS), None)
    if clause is None or subject is None:
        return None
    piece = _subtree_range(clause)
    if piece is None:
        return None
    return Attribution((token.idx, token.idx + len(token.text)), token, "other",
                       speaker_range(subject), subject, [piece])


def _phrase_cue(doc: Doc, i: int, lex: QuoteLexicon) -> Attribution | None:
    for phrase in lex.phrases:
        n = len(phrase)
        if i + n > len(doc) or any(doc[i + k].lower_ != word for k, word in enumerate(phrase)):
            continue
        prep = doc[i + n - 1]
        source = next((c for c in prep.children if c.dep_ == "pobj"), None)
        first = doc[i]
        anchor = first.head
        content = _minus(anchor, first) if anchor != first else []
        speaker = speaker_range(source) if source is not None else None
        return Attribution((first.idx, prep.idx + len(prep.text)), first, "speech", speaker, source, content)
    return None


def _noun_cue(token: Token, lex: QuoteLexicon) -> Attribution | None:
    takes = lex.nouns.get(token.lemma_.lower())
    if takes is None or token.pos_ != "NOUN":
        return None
    target: Token | None = None
    for child in token.children:
        if "clause" in takes and child.dep_ in ("acl", "ccomp") and any(
            m.lower_ == "that" and m.dep_ == "mark" for m in child.children
        ):
            target = child
            break
        if child.dep_ == "prep" and f"prep:{child.lower_}" in takes:
            target = _prep_object(child)
            if target is not None:
                break
    if target is None:
        return None
    source = next((c for c in token.children if c.dep_ == "poss"), None)
    piece = _subtree_range(target)
    if piece is None:
        return None
    cue: Range = (token.idx, token.idx + len(token.text))
    light = token.head
    if source is None and token.dep_ == "dobj" and light.lemma_.lower() in lex.light_verbs and light.i < token.i:
        # "X gave remarks about Y", "X issued a statement that ...": the light verb's subject is the source
        source = _subject(light, lex)
        cue = (_cue_range(light)[0], cue[1])
    speaker = speaker_range(source) if source is not None else None
    if speaker is not None and speaker[0] < cue[1] and cue[0] < speaker[1]:
        speaker = None
    return Attribution(cue, token, "speech", speaker, source, [piece])


def colon_cue(doc: Doc, offset: int) -> Attribution | None:
    """The sentence ending in a colon at ``offset`` as a cue for what follows ("She told them: ...").

    Its main verb is the cue and that verb's subject the source. A headline's
    "Name: ‘...’" (a short proper name opening the line) has the name as the source
    and the colon as the cue.
    """
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    if span is None or span.text != ":":
        return None
    colon = span[0]
    names = []
    for i in range(colon.i - 1, max(-1, colon.i - 5), -1):
        if doc[i].pos_ not in ("PROPN", "NOUN") or not doc[i].text[:1].isupper():
            break
        names.append(doc[i])
    if names and (names[-1].i == 0 or "\n" in doc[names[-1].i - 1].text):
        head = names[0]
        return Attribution((colon.idx, colon.idx + 1), colon, "speech",
                           (names[-1].idx, head.idx + len(head.text)), head, [])
    token = span
    root = token.root.sent.root if token.root.head == token.root else token.root.head
    while root.pos_ not in ("VERB", "AUX") and root.head != root:
        root = root.head
    if root.pos_ not in ("VERB", "AUX") or root.i > token.root.i:
        return None
    subject = next((c for c in root.children if c.dep_ in _SUBJECTS), None)
    if subject is None:
        return None
    return Attribution((root.idx, root.idx + len(root.text)), root, "speech", speaker_range(subject), subject, [])


_HASHES: dict[int, tuple[list[int], list[int], list[int]]] = {}


def _hashes(lex: QuoteLexicon) -> tuple[list[int], list[int], list[int]]:
    """spaCy string ids of the cue verbs, cue nouns and first words of cue phrases (cached per lexicon)."""
    from spacy.strings import get_string_id

    cached = _HASHES.get(id(lex))
    if cached is not None:
        return cached
    _HASHES[id(lex)] = ([get_string_id(v) for v in sorted(lex.verbs)], [get_string_id(n) for n in sorted(lex.nouns)],
            [get_string_id(w) for w in sorted({p[0] for p in lex.phrases})])
    return _HASHES[id(lex)]


def _candidates(doc: Doc, lex: QuoteLexicon) -> list[int]:
    """Indexes of tokens that may be cues, found on the doc's arrays without making Token objects."""
    import numpy as np
    from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS
    from spacy.symbols import AUX, NOUN, VERB, ccomp

    if len(doc) == 0:
        return []
    verbs, nouns, first_words = _hashes(lex)
    lemma, pos, lower, dep = doc.to_array([LEMMA, POS, LOWER, DEP]).T
    head_offset = doc.to_array([HEAD]).astype("int64")
    verbish = (pos == VERB) | (pos == AUX)
    hit = (np.isin(lemma, verbs) & verbish) | (np.isin(lemma, nouns) & (pos == NOUN)) | np.isin(lower, first_words)
    clauses = np.nonzero(dep == ccomp)[0]
    clause_heads = clauses + head_offset[clauses]
    hit[clause_heads[(clause_heads >= 0) & (clause_heads < len(doc))]] = True
    return [int(i) for i in np.nonzero(hit)[0]]


def find_attributions(doc: Doc, lex: QuoteLexicon) -> list[Attribution]:
    """Every cue in ``doc`` with its source and content as far as the parse shows them, in text order."""
    found: list[Attribution] = []
    first_words = {p[0] for p in lex.phrases}
    for i in _candidates(doc, lex):
        token = doc[i]
        attribution = None
        if token.lower_ in first_words:
            attribution = _phrase_cue(doc, i, lex)
        if attribution is None:
            attribution = _verb_cue(token, lex) or _noun_cue(token, lex)
        if attribution is not None:
            found.append(attribution)
    # a cue noun that took its light verb's subject ("expressed concern that ...") is the
    # attribution; the light verb's own (content "concern that ...") would repeat it
    light = {a.cue_token.head.i for a in found if a.cue_token.pos_ == "NOUN" and a.cue[0] < a.cue_token.idx}
    return [a for a in found if a.cue_token.pos_ == "NOUN" or a.cue_token.i not in light]
