"""Declared records of the coder's input and output, and their one serializer.

Every record that points into a story does so by character offsets
(Unicode code points, end exclusive) into the document's ``text``, or into its
``title`` when ``in_title`` is true. ``to_dict()`` gives exactly the JSON of the
contract in ``spec/interface.md``; field order is fixed so output is
byte-identical run to run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .errors import InputError

#: Keys under which a JSONL record may name its publication date, in order of preference.
PUB_DATE_KEYS = ("pub_date", "published", "publish_date", "date")


def doc_id_for(text: str) -> str:
    """The contract's default id: the first 16 hex digits of the SHA-256 of ``text``."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def normalize_pub_date(value: Any) -> str | None:
    """Return ``YYYY-MM-DD`` for a date, an ISO date or ISO datetime string, else raise.

    Accepts "2025-01-03", "2025-01-03T10:00:00Z", "2025-03-14 20:30:26Z",
    ``datetime.date`` and ``datetime.datetime``; ``None`` and "" give ``None``.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise InputError(
            f"pub_date must be a string like 2025-01-03 or an ISO datetime, not {type(value).__name__}"
        )
    raw = value.strip()
    head = raw[:10]
    try:
        parsed = date.fromisoformat(head)
    except ValueError:
        parsed = None
    if parsed is None or (len(raw) > 10 and raw[10] not in "T ,"):
        raise InputError(
            f"pub_date {value!r} is not a date: use YYYY-MM-DD or an ISO 8601 datetime "
            "(e.g. 2025-01-03 or 2025-01-03T10:00:00Z)"
        )
    return parsed.isoformat()


@dataclass(frozen=True, slots=True)
class Document:
    """One news story, as every entry point accepts it (``spec/interface.md``, Input)."""

    text: str
    id: str | None = None
    title: str | None = None
    pub_date: str | None = None
    url: str | None = None
    source: str | None = None
    language: str = "en"

    @property
    def doc_id(self) -> str:
        return self.id if self.id else doc_id_for(self.text)

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Document:
        """Build a document from a contract input record; unknown keys are ignored.

        The publication date may be named ``pub_date``, ``published``,
        ``publish_date`` or ``date``. Raises :class:`InputError` when ``text`` is
        missing or not a string, or the date cannot be read.
        """
        if not isinstance(record, Mapping):
            raise InputError(
                f"a document must be a JSON object with a 'text' field, not {type(record).__name__}"
            )
        text = record.get("text")
        if not isinstance(text, str):
            raise InputError(
                "a document needs a 'text' field holding the story as a string"
                + ("" if "text" not in record else f" (got {type(text).__name__})")
            )
        pub: Any = None
        for key in PUB_DATE_KEYS:
            if record.get(key) not in (None, ""):
                pub = record[key]
                break
        ident = record.get("id")
        return cls(
            text=text,
            id=None if ident in (None, "") else str(ident),
            title=_opt_str(record.get("title")),
            pub_date=normalize_pub_date(pub),
            url=_opt_str(record.get("url")),
            source=_opt_str(record.get("source")),
            language=_opt_str(record.get("language")) or "en",
        )


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the story: ``text[start:end] == mention.text`` (or of the title)."""

    start: int
    end: int
    text: str
    in_title: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "in_title": self.in_title}


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A plain evidence span (event trigger, quote cue or content)."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Actor:
    """An entity that can act in an event, merged over all its mentions in a story."""

    id: str
    name: str
    kind: str  # person | organization | state | group
    code: str | None
    country: str | None
    sector: str | None
    role: str | None
    mentions: list[Mention] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "code": self.code,
            "country": self.country,
            "sector": self.sector,
            "role": self.role,
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor filling an event role, with the span of the mention that filled it."""

    actor: str
    text: str
    code: str | None
    sector: str | None
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "text": self.text,
            "code": self.code,
            "sector": self.sector,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class SentenceRef:
    index: int
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A temporal expression of the story resolved against the publication date.

    ``date`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (by ``precision``: day,
    month, year), or ``None`` when it cannot be resolved (a relative expression
    without a publication date). Output as the optional top-level ``dates`` list.
    """

    text: str
    start: int
    end: int
    in_title: bool
    date: str | None
    precision: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "in_title": self.in_title,
            "date": self.date,
            "precision": self.precision,
        }


@dataclass(slots=True)
class Place:
    """A toponym of the story geocoded to a gazetteer (GeoNames) record."""

    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    feature: str  # country | admin | city | other
    mentions: list[Mention] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "geonames_id": self.geonames_id,
            "feature": self.feature,
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(frozen=True, slots=True)
class EventLocation:
    """Where an event happened: a place of the story and the mention that says so."""

    name: str
    country: str | None
    geonames_id: int | None
    lat: float | None
    lon: float | None
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "geonames_id": self.geonames_id,
            "lat": self.lat,
            "lon": self.lon,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class Event:
    """One PLOVER event (``spec/plover.md``) with its evidence spans."""

    id: str
    event_type: str
    mode: str | None
    context: list[str]
    cameo: str | None
    quad: str
    source: list[ActorRef]
    target: list[ActorRef]
    trigger: TextSpan
    sentence: SentenceRef
    in_title: bool
    date: str | None
    date_precision: str | None
    date_text: str | None
    location: EventLocation | None
    negated: bool
    hypothetical: bool
    reported_by: str | None
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_type": self.event_type,
            "mode": self.mode,
            "context": list(self.context),
            "cameo": self.cameo,
            "quad": self.quad,
            "source": [a.to_dict() for a in self.source],
            "target": [a.to_dict() for a in self.target],
            "trigger": self.trigger.to_dict(),
            "sentence": self.sentence.to_dict(),
            "in_title": self.in_title,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_text": self.date_text,
            "location": None if self.location is None else self.location.to_dict(),
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "reported_by": self.reported_by,
            "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a quote is attributed to; ``actor`` is an actor id or ``None`` when unresolved."""

    actor: str | None
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"actor": self.actor, "text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Quote:
    """A direct quote or reported statement with its speaker, cue and content spans."""

    id: str
    direct: bool
    in_title: bool
    speaker: Speaker | None
    cue: TextSpan | None
    content: TextSpan

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "direct": self.direct,
            "in_title": self.in_title,
            "speaker": None if self.speaker is None else self.speaker.to_dict(),
            "cue": None if self.cue is None else self.cue.to_dict(),
            "content": self.content.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class DocumentError:
    """Why a document (or part of it) could not be coded. ``code`` is stable, see errors.py."""

    code: str
    message: str
    #: for ``internal`` errors: the coding stage that failed (parse, dates, actors, ...)
    stage: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.stage is not None:
            out["stage"] = self.stage
        return out


@dataclass(slots=True)
class CodedDocument:
    """The output record for one document (``spec/interface.md``, Output)."""

    id: str
    text: str
    title: str | None
    pub_date: str | None
    url: str | None
    source: str | None
    language: str
    coder: dict[str, str]
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    dates: list[TimeExpr] = field(default_factory=list)
    errors: list[DocumentError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self, *, include_text: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        if include_text:
            out["text"] = self.text
        out.update(
            {
                "title": self.title,
                "pub_date": self.pub_date,
                "url": self.url,
                "source": self.source,
                "language": self.language,
                "coder": dict(self.coder),
                "actors": [a.to_dict() for a in self.actors],
                "events": [e.to_dict() for e in self.events],
                "quotes": [q.to_dict() for q in self.quotes],
                "places": [p.to_dict() for p in self.places],
                "dates": [d.to_dict() for d in self.dates],
                "errors": [e.to_dict() for e in self.errors],
            }
        )
        return out
