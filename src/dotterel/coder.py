"""The pipeline: Document → CodedDocument.

One :class:`Coder` loads the spaCy pipeline and the knowledge files once and
runs every extractor on each story, in this order (each sees what the earlier
ones found)::

    dates   → TimeExpr records        (dates.py)
    actors  → ActorTable              (actors.py)
    places  → Place records           (places.py)
    quotes  → Quote records           (quotes.py)
    events  → Event records           (events.py)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .checks import DEFAULT_MAX_CHARS, check_document
from .errors import InputError, doc_error_message
from .model import CodedDocument, Document, DocumentError
from .nlp import DEFAULT_MODEL, MODEL_LABEL, Story, load_pipeline, make_doc
from .read import ReadDocument

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .actors import ActorKnowledge
    from .places import Gazetteer

DocumentLike = Document | ReadDocument | Mapping[str, Any]


@dataclass
class Coder:
    """Codes news stories into actors, places, dates, quotes and PLOVER events.

    >>> coder = Coder()                                        # doctest: +SKIP
    >>> record = coder.code(text, pub_date="2025-01-03")       # doctest: +SKIP
    >>> for record in coder.code_many(documents): ...          # doctest: +SKIP

    The spaCy pipeline and the knowledge files load on first use, once per Coder.
    ``actor_files`` are extra actor lists in the format of the bundled
    ``data/actors/actors.tsv`` (see docs/actors.md); they take precedence over the bundled one.
    """

    model: str = DEFAULT_MODEL
    actor_files: Sequence[str | Path] = ()
    batch_size: int = 16
    max_chars: int = DEFAULT_MAX_CHARS
    _nlp: Language | None = field(default=None, init=False, repr=False)
    _actor_kb: ActorKnowledge | None = field(default=None, init=False, repr=False)
    _gazetteer: Gazetteer | None = field(default=None, init=False, repr=False)

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_pipeline(self.model)
        return self._nlp

    @property
    def actor_knowledge(self) -> ActorKnowledge:
        if self._actor_kb is None:
            from .actors import ActorKnowledge

            self._actor_kb = ActorKnowledge.load(self.actor_files)
        return self._actor_kb

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            from .places import Gazetteer

            self._gazetteer = Gazetteer.load()
        return self._gazetteer

    @property
    def info(self) -> dict[str, str]:
        """The output's ``coder`` object."""
        return {"name": "dotterel", "version": __version__, "model": MODEL_LABEL}

    def code(
        self,
        text: str,
        *,
        pub_date: str | None = None,
        title: str | None = None,
        id: str | None = None,
        url: str | None = None,
        source: str | None = None,
        language: str = "en",
    ) -> CodedDocument:
        """Code one story given as text."""
        record = {"text": text, "pub_date": pub_date, "title": title, "id": id,
                  "url": url, "source": source, "language": language}
        return next(iter(self.code_many([record])))

    def code_many(
        self, documents: Iterable[DocumentLike], *, batch_size: int | None = None
    ) -> Iterator[CodedDocument]:
        """Code documents, streaming, in input order; batches go through ``nlp.pipe``.

        Each item is a :class:`Document`, a mapping shaped like the contract's
        input record (extra keys ignored, the same pub_date aliases accepted),
        or a :class:`~dotterel.read.ReadDocument`. A document that cannot be
        coded yields a record with ``errors``; a mapping that is not a document
        at all raises :class:`~dotterel.errors.InputError`.
        """
        size = batch_size or self.batch_size
        chunk: list[ReadDocument] = []
        for item in documents:
            chunk.append(_as_read_document(item))
            if len(chunk) >= size * 4:
                yield from self._code_chunk(chunk, size)
                chunk = []
        if chunk:
            yield from self._code_chunk(chunk, size)

    def _code_chunk(self, chunk: list[ReadDocument], batch_size: int) -> Iterator[CodedDocument]:
        problems: list[DocumentError | None] = [self._preflight(item) for item in chunk]
        todo = [item.document for item, problem in zip(chunk, problems, strict=True) if problem is None]
        parsed: Iterator[Doc] = iter(())
        if todo:
            nlp = self.nlp
            parsed = nlp.pipe((make_doc(nlp, d) for d in todo), batch_size=batch_size)
        for item, problem in zip(chunk, problems, strict=True):
            if problem is not None:
                yield self._empty_record(item.document, [problem])
            else:
                yield self.code_parsed(item.document, next(parsed))

    def _preflight(self, item: ReadDocument) -> DocumentError | None:
        if item.read_error is not None:
            return DocumentError(item.read_error, doc_error_message(item.read_error, item.detail))
        return check_document(item.document, max_chars=self.max_chars)

    def code_parsed(self, document: Document, doc: Doc) -> CodedDocument:
        """Run the extractors on an already parsed document (from :func:`~dotterel.nlp.make_doc`)."""
        from .actors import extract_actors
        from .dates import extract_dates
        from .events import extract_events
        from .places import extract_places
        from .quotes import extract_quotes

        story = Story.from_doc(document, doc)
        dates = extract_dates(story)
        actors = extract_actors(story, self.actor_knowledge)
        places = extract_places(story, self.gazetteer, actors)
        quotes = extract_quotes(story, actors)
        events = extract_events(story, actors, places, dates, quotes)
        record = self._empty_record(document, [])
        record.actors = actors.actors
        record.places = places
        record.dates = dates
        record.quotes = quotes
        record.events = events
        return record

    def _empty_record(self, document: Document, errors: list[DocumentError]) -> CodedDocument:
        return CodedDocument(
            id=document.doc_id,
            text=document.text,
            title=document.title,
            pub_date=document.pub_date,
            url=document.url,
            source=document.source,
            language=document.language,
            coder=self.info,
            errors=errors,
        )


def _as_read_document(item: DocumentLike) -> ReadDocument:
    if isinstance(item, ReadDocument):
        return item
    if isinstance(item, Document):
        return ReadDocument(item)
    if isinstance(item, Mapping):
        return ReadDocument(Document.from_dict(item))
    raise InputError(
        f"code_many takes Documents or dicts shaped like the input record, not {type(item).__name__}"
    )


def code(text: str, *, pub_date: str | None = None, title: str | None = None) -> CodedDocument:
    """Code one story with a shared default :class:`Coder` (loaded on first call)."""
    global _DEFAULT_CODER
    if _DEFAULT_CODER is None:
        _DEFAULT_CODER = Coder()
    return _DEFAULT_CODER.code(text, pub_date=pub_date, title=title)


_DEFAULT_CODER: Coder | None = None
