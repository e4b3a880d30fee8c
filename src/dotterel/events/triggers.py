"""Finding event triggers in a parsed sentence and deciding their PLOVER type and mode.

A trigger is a verb ("attacked"), an event noun ("talks", "sanctions"), a light
verb with an event noun ("held talks", "imposed sanctions", "opened fire") or an
adjective taking "to" ("willing to withdraw"). Frames ("urged X to ...",
"threatened to ...") take their content as part of the one event instead of
coding it separately; "X said Y must Z" is a REQUEST of X.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..nlp import token_table
from ..ontology import ontology, type_set
from .lexicon import NO_EVENT, Lexicon, Pattern, PatternIndex, Trigger

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

OBJECT_DEPS = frozenset({"dobj", "obj", "nsubjpass", "attr", "oprd"})
CONTENT_DEPS = frozenset({"xcomp", "ccomp"})
#: How a frame's content steers its mode (REQUEST/REJECT modes, plover.md §2).
ASK_MODE = {"AID": "assist", "COOPERATE": "assist", "SUPPORT": "assist", "AGREE": "assist",
            "CONSULT": "meet", "RETREAT": "yield", "CONCEDE": "yield"}
#: THREATEN's mode from what is threatened.
THREAT_MODE = {"SANCTION": "relations", "ASSAULT": "violence", "MOBILIZE": "violence",
               "PROTEST": "restrict", "REJECT": "relations"}
COOPERATIVE = ontology().types_of("verbal cooperation", "material cooperation")


def threat_mode(threatened: str) -> str | None:
    """THREATEN's mode for an announced act of type ``threatened`` (COERCE: restrict)."""
    return THREAT_MODE.get(threatened, "restrict" if threatened == "COERCE" else None)


FRAME_TYPES = type_set("REQUEST", "REJECT", "THREATEN", "AGREE")
MATERIAL_CONFLICT = ontology().types_of("material conflict")


@dataclass
class Candidate:
    """A trigger found in a sentence, before roles and attributes are filled."""

    anchor: Token  # the token whose syntax gives the roles
    start: int  # trigger span in combined-string characters
    end: int
    type: str
    mode: str | None
    weight: float
    flags: frozenset[str]
    noun: bool
    neg_type: str | None = None
    content: Token | None = None  # a frame's content (clause or noun)
    content_type: str | None = None
    deontic: Token | None = None  # "must" in "X said Y must Z"
    event_noun: Token | None = None  # the noun of "held talks", "imposed sanctions"
    notes: set[str] = field(default_factory=set)
    imported: bool = False  # from the CAMEO tables, not a hand-checked override


def _is_verb(tok: Token) -> bool:
    return bool(tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT"))


def _lemma(tok: Token) -> str:
    return str(tok.lemma_).lower()


def _arg_lemmas(tok: Token) -> set[str]:
    """The lemma of an argument and of its compound / "of" parts ("state of emergency")."""
    out = {_lemma(tok)}
    for child in tok.children:
        if child.dep_ in ("compound", "amod"):
            out.add(_lemma(child))
        elif child.dep_ == "prep" and _lemma(child) == "of":
            out.update(_lemma(g) for g in child.children if g.dep_ == "pobj")
    return out


def objects(tok: Token) -> list[Token]:
    """Direct objects (and passive subjects) of a verb, with their conjuncts."""
    out: list[Token] = []
    for child in tok.children:
        if child.dep_ in OBJECT_DEPS:
            out.append(child)
            out.extend(child.conjuncts)
    return out


def prep_objects(tok: Token, prep: str) -> list[Token]:
    out: list[Token] = []
    for child in tok.children:
        if child.dep_ in ("prep", "agent", "dative") and _lemma(child) == prep:
            for g in child.children:
                if g.dep_ in ("pobj", "pcomp"):
                    out.append(g)
                    out.extend(g.conjuncts)
    return out


def _object_lemmas(obj: Token, lex: Lexicon | None) -> set[str]:
    """Argument lemmas a pattern may match: the head, and its compound/"of" parts unless the head
    is itself an event noun ("a missile attack" is an attack, not a missile) or names people
    ("government troops" are troops, not the government; cue class ``people_head``)."""
    if lex is not None and (lex.trigger(_lemma(obj), "N") is not None or _lemma(obj) in lex.cue("people_head")):
        return {_lemma(obj)}
    return _arg_lemmas(obj)


def _phrase_hit(phrases: tuple[tuple[str, frozenset[str]], ...], obj: Token) -> bool:
    """Whether ``obj`` is one of the multi-word arguments ("humanitarian aid": head "aid" with a
    left modifier "humanitarian")."""
    lemma = _lemma(obj)
    for head, mods in phrases:
        if head == lemma and mods <= {_lemma(t) for t in obj.lefts for t in t.subtree}:
            return True
    return False


def _arg_hit(pat_args: frozenset[str], phrases: tuple[tuple[str, frozenset[str]], ...], obj: Token,
             lemmas: set[str]) -> bool:
    return not pat_args or bool(pat_args & lemmas) or (bool(phrases) and _phrase_hit(phrases, obj))


class _Arcs:
    """The arcs of one verb token that patterns test, computed once per token: objects with their
    argument lemmas, particles, "to" clauses and prepositional objects by preposition."""

    def __init__(self, tok: Token, lex: Lexicon | None) -> None:
        self.objs: list[tuple[Token, set[str]]] = []
        self.prts: set[str] = set()
        self.xcomps: set[str] = set()
        self.preps: dict[str, list[tuple[Token, set[str]]]] = {}
        for child in tok.children:  # one pass: spaCy makes a Token object per child visited
            dep = child.dep_
            if dep in OBJECT_DEPS:
                self.objs.extend((o, _object_lemmas(o, lex)) for o in (child, *child.conjuncts))
            elif dep == "prt":
                self.prts.add(child.lower_)
            elif dep == "xcomp":
                self.xcomps.add(_lemma(child))
            elif dep in ("prep", "agent", "dative"):
                word = _lemma(child)
                for g in child.children:
                    if g.dep_ in ("pobj", "pcomp"):
                        for o in (g, *g.conjuncts):
                            self.preps.setdefault(word, []).append((o, _arg_lemmas(o)))

    def arg_keys(self) -> Iterator[tuple[str, str]]:
        """Every (relation, argument lemma) these arcs can satisfy."""
        for _obj, lemmas in self.objs:
            for lemma in lemmas:
                yield "obj", lemma
                for prt in self.prts:
                    yield f"prt:{prt}", lemma
        for lemma in self.xcomps:
            yield "xcomp", lemma
        for word, found in self.preps.items():
            for _obj, lemmas in found:
                for lemma in lemmas:
                    yield f"prep:{word}", lemma

    def holds(self, relation: str, args: frozenset[str],
              phrases: tuple[tuple[str, frozenset[str]], ...]) -> tuple[bool, Token | None]:
        """Whether one pattern part holds, and the argument that satisfied it."""
        kind, _, word = relation.partition(":")
        if kind == "obj":
            for obj, lemmas in self.objs:
                if _arg_hit(args, phrases, obj, lemmas):
                    return True, obj
        elif kind == "prt":
            if word in self.prts:
                if not args:
                    return True, self.objs[0][0] if self.objs else None
                for obj, lemmas in self.objs:
                    if _arg_hit(args, phrases, obj, lemmas):
                        return True, obj
        elif kind == "xcomp":
            if self.xcomps and (not args or args & self.xcomps):
                return True, None
        else:
            for obj, lemmas in self.preps.get(word, ()):
                if _arg_hit(args, phrases, obj, lemmas):
                    return True, obj
        return False, None


def _match_pattern(tok: Token, pats: list[Pattern] | PatternIndex | None,
                   lex: Lexicon | None = None) -> tuple[Pattern, Token | None] | None:
    """The first pattern whose parts all hold on ``tok``'s arcs (set lookups on arcs computed once).

    With a :class:`PatternIndex`, only the patterns whose (relation, argument) the arcs offer,
    and those any argument may satisfy, are tested — in the patterns' own order.
    """
    if not pats:
        return None
    arcs = _Arcs(tok, lex)
    if not arcs.objs and not arcs.prts and not arcs.preps and not arcs.xcomps:
        return None
    if isinstance(pats, PatternIndex):
        picked = set(pats.always)
        for key in arcs.arg_keys():
            picked.update(pats.by_key.get(key, ()))
        order: Iterable[Pattern] = (pats.patterns[i] for i in sorted(picked))
    else:
        order = pats
    for pat in order:
        ok, arg = arcs.holds(pat.relation, pat.arguments, pat.phrases)
        if ok and all(arcs.holds(rel, args, ())[0] for rel, args in pat.extra):
            return pat, arg
    return None


def _noun_trigger(tok: Token, lex: Lexicon) -> Trigger | None:
    lemma = _lemma(tok)
    if lemma not in lex.compound_heads:  # no two-word entry ends in this noun: one lookup
        return lex.trigger(lemma, "N")
    for child in tok.children:
        if child.dep_ in ("compound", "amod") and child.i < tok.i:
            if f"{_lemma(child)}_{lemma}" in lex.cue("non_event_noun"):
                return None
            hit = lex.trigger(f"{_lemma(child)} {lemma}", "N")
            if hit is not None:
                return hit
    return lex.trigger(lemma, "N")


def verb_lemma(tok: Token, lex: Lexicon) -> str:
    """The verb's lemma, repaired when the tagger's lemma is unknown to the lexicon but a plain
    English inflection gives a known one ("staged" lemmatised as "stag" → "stage")."""
    return _known_verb(_lemma(tok), tok.lower_, lex.verb_lemmas)


def _known_verb(lemma: str, low: str, known: frozenset[str]) -> str:
    """:func:`verb_lemma` on the token's lower-cased lemma and lower-cased form."""
    if lemma in known:
        return lemma
    guesses: list[str] = []
    if low.endswith("ed"):
        guesses = [low[:-1], low[:-2], low[:-3]]
    elif low.endswith("ing"):
        guesses = [low[:-3] + "e", low[:-3], low[:-4]]
    elif low.endswith("es"):
        guesses = [low[:-1], low[:-2]]
    elif low.endswith("s"):
        guesses = [low[:-1]]
    for guess in guesses:
        if guess in known:
            return guess
    return lemma


def _verb_trigger(tok: Token, lex: Lexicon, lemma: str | None = None) -> Trigger | None:
    """The trigger of a verb, with its particle or preposition ("call off", "call for") first;
    ``lemma``: its :func:`verb_lemma`, when the caller has it."""
    lemma = verb_lemma(tok, lex) if lemma is None else lemma
    prts: list[str] = []
    preps: list[str] = []
    for_clause = False
    for child in tok.children:  # one pass; particles first, then prepositions, then "for" clauses
        dep = child.dep_
        if dep == "prt":
            prts.append(child.lower_)
        elif dep == "prep":
            preps.append(_lemma(child))
        elif not for_clause:
            for_clause = _is_for_clause(child)
    for word in (*prts, *preps, *(("for",) if for_clause else ())):
        hit = lex.trigger(f"{lemma} {word}", "V")
        if hit is not None:
            return hit
    return lex.trigger(lemma, "V")


def _for_clause(tok: Token) -> Token | None:
    """The clause of "pushing for the US to support ...", "called for X to ..." (mark "for")."""
    return next((child for child in tok.children if _is_for_clause(child)), None)


def _is_for_clause(child: Token) -> bool:
    return child.dep_ in ("advcl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "for" for g in child.children)


def _reporting_inversion(tok: Token) -> bool:
    """'"...," agreed Polat Sayim': a trigger verb used as a speech verb after a quote."""
    if tok.n_rights == 0 or tok.n_lefts == 0:
        return False
    subj_after = any(c.dep_ == "nsubj" for c in tok.rights)
    return subj_after and any(c.dep_ == "ccomp" for c in tok.lefts)


def _about_comment(tok: Token, lex: Lexicon) -> bool:
    """Newsroom phrases that are no political event: "a request for comment"."""
    media = lex.cue("media_object")
    return any(c.dep_ == "prep" and any(g.dep_ == "pobj" and _lemma(g) in media for g in c.children)
               for c in tok.children)


def _event_part(obj: Token, nouns: dict[int, Trigger]) -> list[Token]:
    """The event noun an object stands for: itself, its compound ("a mediation effort") or its
    "of" complement ("ten days of war games")."""
    if obj.i in nouns:
        return [obj]
    for child in obj.children:
        if child.dep_ == "compound" and child.i in nouns:
            return [child]
        if child.dep_ == "prep" and child.lower_ == "of":
            return [g for g in child.children if g.dep_ == "pobj" and g.i in nouns][:1]
    return []


def _span_of(a: Token, b: Token) -> tuple[int, int]:
    first, last = (a, b) if a.i <= b.i else (b, a)
    return first.idx, last.idx + len(last)


def _tok_span(tok: Token) -> tuple[int, int]:
    return tok.idx, tok.idx + len(tok)


def _has_xcomp(tok: Token) -> bool:
    return any(c.dep_ == "xcomp" for c in tok.children)


def _phrasal_or_plain_match(tok: Token, lemma: str, lex: Lexicon) -> tuple[Pattern, Token | None] | None:
    """The pattern that types ``tok``: a phrasal verb the lexicon knows ("rule out", "step
    down") reads its own patterns, and of the plain verb's only those naming its particle;
    "did not rule out sanctions" is not the "rule" of "oversee sanctions"."""
    plain = lex.pattern_index(lemma, "V")
    for child in tok.children:
        if child.dep_ != "prt":
            continue
        phrasal = f"{lemma} {child.lower_}"
        if lex.trigger(phrasal, "V") is None:
            continue
        match = _match_pattern(tok, lex.pattern_index(phrasal, "V"), lex)
        if match is not None:
            return match
        match = _match_pattern(tok, plain, lex)
        return match if match is not None and match[0].relation == f"prt:{child.lower_}" else None
    return _match_pattern(tok, plain, lex)


def find_candidates(sent: Span, lex: Lexicon) -> list[Candidate]:
    """All triggers of one sentence, typed, frames resolved, content and nested duplicates removed."""
    light = lex.cue("light")
    transparent = lex.cue("transparent")
    doc = sent.doc
    # the token strings come from the Doc's table: a Token object only for a likely trigger
    table = token_table(doc)
    pos, lemmas, lower = table.pos, table.lemma, table.lower
    compound_heads, known_verbs = lex.compound_heads, lex.verb_lemmas
    nouns: dict[int, Trigger] = {}
    for i in range(sent.start, sent.end):
        p = pos[i]
        if p in ("NOUN", "PROPN") or (p == "VERB" and doc[i].tag_ == "VBG" and doc[i].dep_ in ("pobj", "dobj", "nsubj")):
            # _noun_trigger, its one-lookup case read from the table
            hit = lex.trigger(lemmas[i], "N") if lemmas[i] not in compound_heads else _noun_trigger(doc[i], lex)
            if hit is None or _about_comment(doc[i], lex):
                continue
            if not (p == "PROPN" and doc[i].ent_type_):
                nouns[i] = hit
    found: dict[int, Candidate] = {}
    consumed: set[int] = set()
    fixed = lex.cue("fixed")
    for i in range(sent.start, sent.end):
        p = pos[i]
        is_verb = p == "VERB" or (p == "AUX" and doc[i].dep_ == "ROOT")  # _is_verb
        if not is_verb and (i in nouns or p != "ADJ"):
            continue  # only verbs and adjectives trigger here (nouns were read above)
        if i > 0 and f"{lower[i - 1]}_{lower[i]}" in fixed:
            continue
        lemma = _known_verb(lemmas[i], lower[i], known_verbs) if is_verb else lemmas[i]  # verb_lemma
        if is_verb and lemma not in known_verbs:
            continue  # no trigger, pattern or cue has this verb: nothing below can fire
        tok = doc[i]
        if is_verb:
            if lemma in transparent and _has_xcomp(tok):
                continue
            if _reporting_inversion(tok):
                continue
            match = _phrasal_or_plain_match(tok, lemma, lex)
            if match is not None and match[0].imported and match[1] is not None and match[1].i in nouns \
                    and not any(c.dep_ in ("nsubj", "agent") for c in tok.children):
                match = None  # "efforts to deepen his country's cooperation": the noun keeps its own roles
            own: Trigger | None = None
            if match is not None and match[0].imported:
                own = _verb_trigger(tok, lex, lemma)
                if own is not None and not own.imported and own.type == match[0].type:
                    match = None  # the hand-checked trigger says the same, with its frame and role rules
            if match is not None:
                pat, obj = match
                if pat.type == NO_EVENT:
                    continue
                start, end = _span_of(tok, obj) if obj is not None and abs(obj.i - tok.i) <= 4 else _tok_span(tok)
                trig = own if pat.imported else _verb_trigger(tok, lex, lemma)  # own: read above
                flags = trig.flags - {"polar", "order"} if trig is not None and trig.type == pat.type else frozenset()
                if pat.imported and pat.relation == "obj" and obj is not None and obj.i in nouns \
                        and nouns[obj.i].type == pat.type:
                    flags = flags | (nouns[obj.i].flags & {"recip", "joint"})  # "held talks with X"
                if pat.type in FRAME_TYPES and trig is not None and "frame" in trig.flags:
                    flags = flags | {"frame"}
                found[tok.i] = Candidate(tok, start, end, pat.type, pat.mode, pat.weight, flags,
                                         noun=False, neg_type=pat.neg_type, imported=pat.imported)
                if obj is not None:
                    consumed.add(obj.i)
                    found[tok.i].event_noun = obj
                continue
            # "considers X illegal sanctions" is an opinion; "is considering sanctions" a plan
            opinion = lemma in lex.cue("hyp_verb") and tok.tag_ in ("VBZ", "VBP")
            if lemma in light and not opinion:
                event_objs = [(o, e) for o in objects(tok) for e in _event_part(o, nouns)]
                if event_objs:
                    obj, noun = event_objs[0]
                    hit = nouns[noun.i]
                    consumed.add(noun.i)
                    start, end = _span_of(tok, obj) if obj.i - tok.i <= 4 else _tok_span(obj)
                    found[tok.i] = Candidate(tok, start, end, hit.type, hit.mode, hit.weight + 0.05,
                                             hit.flags, noun=False)
                    found[tok.i].notes.add("light")
                    found[tok.i].event_noun = obj
                    consumed.add(obj.i)
                    continue
            hit = _verb_trigger(tok, lex, lemma)
            if hit is not None:
                found[tok.i] = Candidate(tok, *_tok_span(tok), hit.type, hit.mode, hit.weight,
                                         hit.flags, noun=False, imported=hit.imported)
        elif _has_xcomp(tok):  # an adjective
            hit = lex.trigger(lemma, "A")
            if hit is not None:
                found[tok.i] = Candidate(tok, *_tok_span(tok), hit.type, hit.mode, hit.weight,
                                         hit.flags, noun=False)
    for i, hit in nouns.items():
        if i not in consumed and i not in found:
            tok = doc[i]
            start, end = _tok_span(tok)
            for child in tok.children:
                if child.dep_ in ("compound", "amod") and child.i < tok.i and lex.trigger(f"{_lemma(child)} {_lemma(tok)}", "N") is hit:
                    start = child.idx
            found[i] = Candidate(tok, start, end, hit.type, hit.mode, hit.weight, hit.flags, noun=True,
                                 imported=hit.imported)
    lowered = sent.text.lower()  # Span.text joins the tokens on every access: read it once
    if any(word in lowered for word in lex.cue("deontic")):  # cheap test before the walk
        _add_deontic(list(sent), lex, found)
    _resolve_frames(found, lex)
    _protest_purposes(found)
    return [found[i] for i in sorted(found)]


def _add_deontic(toks: list[Token], lex: Lexicon, found: dict[int, Candidate]) -> None:
    """'X said (that) Y must Z' is a REQUEST by X of Y (CAMEO demand)."""
    speech, deontic, speech_nouns = lex.cue("speech"), lex.cue("deontic"), lex.cue("speech_noun")
    for tok in toks:
        if tok.i in found:
            continue
        if _is_verb(tok) and _lemma(tok) in speech:
            anchor = tok
        elif tok.pos_ == "NOUN" and _lemma(tok) in speech_nouns and tok.head.pos_ == "VERB" and tok.head.i not in found:
            anchor = tok.head
        else:
            continue
        for comp in tok.children:
            if comp.dep_ not in ("ccomp", "acl"):
                continue
            modal = next((c for c in comp.children if c.dep_ == "aux" and c.lower_ in deontic), None)
            if modal is None:
                continue
            cand = Candidate(anchor, *_tok_span(modal), "REQUEST", None, 0.7, frozenset({"frame"}),
                             noun=False)
            cand.content = comp
            cand.deontic = modal
            found[anchor.i] = cand


def _protest_purposes(found: dict[int, Candidate]) -> None:
    """A protest's demand is no separate REQUEST (plover.md §1.1): "marched to demand X" is one
    PROTEST whose purpose clause names the target."""
    for i in sorted(found):
        cand = found.get(i)
        if cand is None or cand.type != "PROTEST" or cand.noun:
            continue
        heads = [cand.anchor] if cand.event_noun is None else [cand.anchor, cand.event_noun]
        for child in (c for h in heads for c in h.children):
            if child.dep_ in ("advcl", "xcomp", "acl") and any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children):
                cand.content = child
                for d in child.subtree:
                    if d.i in found and d.i != i and found[d.i].type == "REQUEST":
                        del found[d.i]


def _content_of(cand: Candidate, found: dict[int, Candidate], lex: Lexicon) -> Token | None:
    if cand.content is not None:
        return cand.content
    tok = cand.anchor
    for child in tok.children:
        if child.dep_ in CONTENT_DEPS or (cand.noun and child.dep_ == "acl"):
            return child
    clause = _for_clause(tok)
    if clause is not None:
        return clause
    for child in tok.children:
        if child.dep_ in ("dobj", "obj", "nsubjpass") and child.i in found:
            return child
    preps = ("for", "to", "of", "on") + (("against",) if tok.lemma_ in lex.cue("warn_against") else ())
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            for g in child.children:
                if g.dep_ in ("pobj", "pcomp") and (g.i in found or any(d.i in found for d in g.subtree)):
                    return g
    for child in tok.children:  # "asked for help", "appealed for calm": what is asked for
        if child.dep_ == "prep" and child.lower_ == "for" and not cand.noun:
            for g in child.children:
                if g.dep_ in ("pobj", "pcomp"):
                    return g
    return None


def _resolve_frames(found: dict[int, Candidate], lex: Lexicon) -> None:
    """Frames swallow the triggers of their content and take mode (or type) from it."""
    for i in sorted(found):
        cand = found.get(i)
        if cand is None or "frame" not in cand.flags:
            continue
        content = _content_of(cand, found, lex)
        if content is None:
            continue
        cand.content = content
        if cand.type == "REQUEST" and is_question(content, lex):
            continue  # "asked whether X would attend talks": the talks stay, as asked about
        inner = [found[d.i] for d in content.subtree if d.i in found and d.i != i]
        if not inner:
            continue
        top = min(inner, key=lambda c: (_depth(c.anchor, content), c.anchor.i))
        cand.content_type = top.type
        for c in inner:
            del found[c.anchor.i]
        _apply_content(cand, top)


def is_question(content: Token, lex: Lexicon) -> bool:
    """Whether a frame's content clause is a question ("asked who ...", "asked whether ...")."""
    if content.dep_ not in ("ccomp", "xcomp"):
        return False
    words = lex.cue("question")
    return any(c.lower_ in words and c.dep_ in ("mark", "nsubj", "advmod", "dobj", "attr") for c in content.children)


def _depth(tok: Token, root: Token) -> int:
    depth = 0
    while tok.i != root.i and tok.head.i != tok.i:
        tok = tok.head
        depth += 1
    return depth


def _apply_content(cand: Candidate, top: Candidate) -> None:
    if "polar" in cand.flags:
        if top.type in MATERIAL_CONFLICT or top.type == "THREATEN":
            cand.type, cand.mode = "THREATEN", THREAT_MODE.get(top.type)
    elif "order" in cand.flags and top.type in MATERIAL_CONFLICT:
        cand.type, cand.mode = top.type, top.mode
    if cand.type in ("REQUEST", "REJECT") and cand.mode is None:
        cand.mode = ASK_MODE.get(top.type, "change")
    elif cand.type == "THREATEN" and cand.mode is None:
        mode = THREAT_MODE.get(top.type)
        if top.type == "COERCE":
            mode = "arrest" if top.mode == "arrest" else "restrict"
        cand.mode = mode
    elif cand.type == "AGREE" and top.type == "CONCEDE" and top.mode is None:
        return
