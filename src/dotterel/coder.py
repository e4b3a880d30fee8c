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
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .checks import DEFAULT_MAX_CHARS, MAX_CHARS_LIMIT, check_document
from .errors import InputError, UsageError, doc_error_message
from .model import CodedDocument, Document, DocumentError
from .nlp import (
    DEFAULT_MODEL,
    MODEL_LABEL,
    TITLE_SEPARATOR,
    Story,
    forget_entities,
    load_pipeline,
    make_doc,
    pipeline_ops,
    transient_strings,
)
from .sources.items import ReadDocument, checked

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .actors import ActorKnowledge
    from .dates.lexicon import DateLexicon
    from .events.lexicon import Lexicon as EventLexicon
    from .places import Gazetteer
    from .quotes.lexicon import QuoteLexicon

DocumentLike = Document | ReadDocument | Mapping[str, Any]

#: Stories a Coder parses before its memory zones begin (``warm_up_stories``). Inside a zone
#: spaCy caches nothing: every word of every batch is split off its punctuation and described
#: again (11 ms a VOA story on our CPUs instead of 2, about 5 % of the coder). The words of
#: these first stories stay, as spaCy keeps every word by default, so later batches find the
#: common ones ready; the cost is bounded: 16,417 strings (~11 MB at ~675 bytes each) for
#: 1,000 news stories of PolNeAR, VOA and GeoWebNews.
WARM_UP_STORIES = 1_000


@dataclass
class Coder:
    """Codes news stories into actors, places, dates, quotes and PLOVER events.

    >>> coder = Coder()                                        # doctest: +SKIP
    >>> record = coder.code(text, pub_date="2025-01-03")       # doctest: +SKIP
    >>> for record in coder.code_many(documents): ...          # doctest: +SKIP

    The spaCy pipeline and the knowledge files load on first use, once per Coder.
    ``actor_files`` are extra actor lists in the format of the bundled
    ``data/actors/actors.tsv`` (see docs/actors.md); they take precedence over the bundled one.

    Knowledge is injectable: ``events_lexicon``, ``quotes_lexicon`` and ``dates_lexicon``
    replace the bundled lexicons for this Coder (``None``, the default, takes the bundled
    one, read once per process). The ``coder`` info of every record carries ``knowledge``,
    a short hash over the content of every bundled data file and every ``actor_files`` file
    (and the event lexicon's layer setting when not the default): the store keeps it, and
    ``recode --outdated-only`` re-codes what other knowledge coded. An injected lexicon
    counts as "custom" in that hash; pass ``knowledge_version`` to name your own.

    Each batch is parsed inside spaCy's memory zone, so a story's new words do not stay in
    the process, once the Coder has parsed its first ``warm_up_stories`` (whose words stay,
    so that spaCy's caches hold the common ones; 0 zones every batch).

    An exception inside coding one document (parsing or any extractor) does
    not end the run: that document's record gets an ``internal`` error naming
    the stage, and the others are coded. ``fail_fast=True`` raises it instead
    (for developers).
    """

    def __post_init__(self) -> None:
        if self.max_chars > MAX_CHARS_LIMIT:
            raise UsageError(
                f"max_chars {self.max_chars:,} is above {MAX_CHARS_LIMIT:,}, the longest text "
                "spaCy's pipeline parses (it needs about 1 GB of memory per 100,000 characters): "
                "split longer stories"
            )
        if self.max_chars < 1:
            raise UsageError(f"max_chars must be at least 1, not {self.max_chars}")

    model: str = DEFAULT_MODEL
    actor_files: Sequence[str | Path] = ()
    batch_size: int = 16
    max_chars: int = DEFAULT_MAX_CHARS
    fail_fast: bool = False
    events_lexicon: EventLexicon | None = None
    quotes_lexicon: QuoteLexicon | None = None
    dates_lexicon: DateLexicon | None = None
    knowledge_version: str | None = None
    warm_up_stories: int = WARM_UP_STORIES
    _nlp: Language | None = field(default=None, init=False, repr=False)
    _parsed: int = field(default=0, init=False, repr=False)
    _actor_kb: ActorKnowledge | None = field(default=None, init=False, repr=False)
    _gazetteer: Gazetteer | None = field(default=None, init=False, repr=False)
    _knowledge: str | None = field(default=None, init=False, repr=False)
    _headline_words: frozenset[str] | None = field(default=None, init=False, repr=False)

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            nlp = load_pipeline(self.model)
            # title + separator + body, up to max_chars of title and body
            nlp.max_length = max(nlp.max_length, self.max_chars + len(TITLE_SEPARATOR))
            self._nlp = nlp
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
    def events(self) -> EventLexicon:
        """The event lexicon: the injected one, else the bundled one (process-wide cache)."""
        if self.events_lexicon is None:
            from .events.lexicon import load_lexicon

            return load_lexicon()
        return self.events_lexicon

    @property
    def quotes(self) -> QuoteLexicon:
        """The quote lexicon: the injected one, else the bundled one (process-wide cache)."""
        if self.quotes_lexicon is None:
            from .quotes.lexicon import load_lexicon

            return load_lexicon()
        return self.quotes_lexicon

    @property
    def dates(self) -> DateLexicon:
        """The date lexicon: the injected one, else the bundled one (process-wide cache)."""
        if self.dates_lexicon is None:
            from .dates.lexicon import load_lexicon

            return load_lexicon()
        return self.dates_lexicon

    @property
    def headline_words(self) -> frozenset[str]:
        """Common words a Title Case headline is parsed with in lower case (``nlp.make_doc``):
        the words of the event, quote and actor lexicons and English function words, less
        country names, demonyms, months and weekdays."""
        if self._headline_words is None:
            import calendar

            from .language import words

            ev, kb = self.events, self.actor_knowledge
            found: set[str] = set(words("checks.function_words"))
            for lemma, _pos in ev.triggers:
                found.update(lemma.split())
            for (head, _pos), pats in ev.patterns.items():
                found.update(head.lower().split())
                for pat in pats:
                    for arg in pat.arguments:
                        found.update(arg.split())
            for cue in ev.cues.values():
                found.update(w for c in cue for w in c.replace("_", " ").split())
            for key in (*kb.agents, *kb.titles):
                found.update(key.split())
            quotes = self.quotes
            found.update(quotes.verbs)
            found.update(quotes.nouns)
            found.update(w for phrase in quotes.phrases for w in phrase)
            names = {n.lower() for n in (*calendar.month_name, *calendar.day_name) if n}
            self._headline_words = frozenset(
                w for w in found if w.isalpha() and w not in names and kb.country_of(w.title()) is None
            )
        return self._headline_words

    def known_name(self, word: str) -> bool:
        """Whether a capitalised word is a country, demonym, place or actor the knowledge files
        name (headline casing: such a word is no sign of a person's name next to it)."""
        kb = self.actor_knowledge
        if kb.country_of(word) is not None or word in kb.terms or kb.place_country(word) is not None:
            return True
        from .places.gazetteer import COUNTRY, OTHER

        return any(m.entry.kind in (COUNTRY, OTHER) for m in self.gazetteer.lookup(word))  # "Europe"

    @property
    def knowledge(self) -> str:
        """The knowledge version written in ``coder.knowledge`` (see the class docstring)."""
        if self.knowledge_version is not None:
            return self.knowledge_version
        if self._knowledge is None:
            self._knowledge = self._knowledge_hash()
        return self._knowledge

    def _knowledge_hash(self) -> str:
        import hashlib

        from .datafiles import combine_versions, knowledge_files

        parts = list(knowledge_files().items())
        for number, path in enumerate(self.actor_files, start=1):
            parts.append((f"actors/user-{number}", hashlib.sha256(Path(path).read_bytes()).hexdigest()))
        for kind, injected in (("events", self.events_lexicon), ("quotes", self.quotes_lexicon),
                               ("dates", self.dates_lexicon)):
            if injected is not None:
                parts.append((f"{kind}:lexicon", "custom"))
        layers = self.events.layers
        if layers != "both":
            parts.append(("events:layers", layers))
        return combine_versions(parts)

    @property
    def info(self) -> dict[str, str]:
        """The output's ``coder`` object (``knowledge`` is an optional field of the contract)."""
        return {"name": "dotterel", "version": __version__, "model": MODEL_LABEL, "knowledge": self.knowledge}

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
        or a :class:`~dotterel.sources.ReadDocument`. A document that cannot be
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

    def _code_chunk(self, chunk: list[ReadDocument], batch_size: int) -> list[CodedDocument]:
        """The chunk's records, every Doc read and dropped inside one :meth:`vocabulary_zone` block."""
        problems: list[DocumentError | None] = [self._preflight(item) for item in chunk]
        todo = [item.document for item, problem in zip(chunk, problems, strict=True) if problem is None]
        with self.vocabulary_zone(len(todo)):  # the helper's Docs are gone when it returns
            return self._code_parsed_chunk(chunk, problems, todo, batch_size)

    def vocabulary_zone(self, stories: int) -> AbstractContextManager[None]:
        """Where the next ``stories`` are parsed and read: spaCy's memory zone (their new words go
        when it ends), once this Coder has parsed its first ``warm_up_stories`` (whose words stay)."""
        warming = self._parsed < self.warm_up_stories
        self._parsed += stories
        return nullcontext() if warming else transient_strings(self.nlp)

    def _code_parsed_chunk(self, chunk: list[ReadDocument], problems: list[DocumentError | None],
                           todo: list[Document], batch_size: int) -> list[CodedDocument]:
        records: list[CodedDocument] = []
        parsed: Iterator[Doc | DocumentError] = self._parse(todo, batch_size) if todo else iter(())
        for item, problem in zip(chunk, problems, strict=True):
            if problem is not None:
                records.append(self._empty_record(item.document, [problem]))
                continue
            doc = next(parsed)
            if isinstance(doc, DocumentError):
                records.append(self._empty_record(item.document, [doc]))
            else:
                records.append(self._code_parsed_safely(item.document, doc))
        return records

    def _parse(self, documents: list[Document], batch_size: int) -> Iterator[Doc | DocumentError]:
        """Parsed documents in order; when a batch fails, its documents are parsed one by one."""
        nlp = self.nlp
        for start in range(0, len(documents), batch_size):
            batch = documents[start:start + batch_size]
            try:
                with pipeline_ops(nlp):
                    docs = list(nlp.pipe((make_doc(nlp, d, self.headline_words, self.known_name) for d in batch),
                                         batch_size=batch_size))
            except Exception:
                if self.fail_fast:
                    raise
                docs = None
            if docs is not None:
                yield from docs
                continue
            for document in batch:
                try:
                    with pipeline_ops(nlp):
                        doc = nlp(make_doc(nlp, document, self.headline_words, self.known_name))
                except Exception as exc:
                    yield internal_error("parse", exc)
                    continue
                yield doc

    def _code_parsed_safely(self, document: Document, doc: Doc) -> CodedDocument:
        try:
            return self.code_parsed(document, doc)
        except StageError as exc:
            if self.fail_fast:
                raise exc.error from exc.error
            return self._empty_record(document, [internal_error(exc.stage, exc.error)])

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

        # knowledge files load outside the stages: a bad file is no document's fault
        knowledge, gazetteer = self.actor_knowledge, self.gazetteer
        events_lex, quotes_lex, dates_lex = self.events, self.quotes, self.dates
        with stage("story"):
            story = Story.from_doc(document, doc)
        with stage("dates"):
            dates = extract_dates(story, dates_lex)
        with stage("actors"):
            actors = extract_actors(story, knowledge)
        with stage("places"):
            places = extract_places(story, gazetteer, actors)
            actors = actors.without_places(places)  # "captured El Fasher": a town, not an actor
        with stage("quotes"):
            quotes = extract_quotes(story, actors, quotes_lex)
        with stage("events"):
            events = extract_events(story, actors, places, dates, quotes, events_lex)
        forget_entities(doc)  # the Doc stays serialisable (user_data)
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


class StageError(Exception):
    """An exception raised inside one stage of coding a document (wraps it)."""

    def __init__(self, stage: str, error: BaseException) -> None:
        super().__init__(f"{stage}: {type(error).__name__}: {error}")
        self.stage = stage
        self.error = error


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Run a block as the coding stage ``name``: its exceptions become :class:`StageError`."""
    try:
        yield
    except StageError:
        raise
    except Exception as exc:
        raise StageError(name, exc) from exc


def internal_error(stage: str, exc: BaseException) -> DocumentError:
    """The ``internal`` error entry for an exception in ``stage``."""
    detail = f"{type(exc).__name__}: {exc}"
    if len(detail) > 500:
        detail = detail[:500] + "…"
    return DocumentError("internal", doc_error_message("internal", f"in {stage}: {detail}"), stage=stage)


def _as_read_document(item: DocumentLike) -> ReadDocument:
    if isinstance(item, ReadDocument):
        return item
    if isinstance(item, Document):
        return checked(item)
    if isinstance(item, Mapping):
        return checked(Document.from_dict(item))
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
