"""CodedDocument → table rows (columns as lists), and the event score tables.

One function per table, all pure: the writer turns the column dicts into Arrow
tables and inserts them in one transaction per batch.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from ..datafiles import read_tsv
from ..model import CodedDocument, Document, Event, Mention
from ..ontology import QUAD_CLASS as QUAD_CLASS  # re-exported: older imports
from ..ontology import event_score as event_score


def text_hash(document: Document | CodedDocument) -> str:
    """SHA-256 (hex) over title, text and pub_date: what decides whether a stored document changed."""
    h = hashlib.sha256()
    for part in (document.title or "", document.text, document.pub_date or ""):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


_Item = TypeVar("_Item")


def last_per_id(items: Sequence[_Item], doc_id: Callable[[_Item], str]) -> list[_Item]:
    """Each id's last item, in input order: in one batch, a later record of an id replaces the earlier."""
    last = {doc_id(item): i for i, item in enumerate(items)}
    return [item for i, item in enumerate(items) if last[doc_id(item)] == i]


def read_data_tsv(name: str) -> list[list[str]]:
    """Rows of a TSV under ``dotterel/data`` (comments left out, a header line kept), unstripped."""
    return read_tsv(name, strip=False).cells()


def event_date(value: str | None) -> date | None:
    """``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY`` → the first day of that period."""
    if not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2][:2]) if len(parts) > 2 else 1
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


def event_key(event_type: str, sources: Sequence[str], targets: Sequence[str], when: str | None) -> str:
    """What makes two events of near-duplicate stories "the same event" (for num_articles)."""
    return f"{event_type}|{';'.join(sorted(sources))}|{';'.join(sorted(targets))}|{when or ''}"


def code_key(codes: Sequence[str]) -> str:
    """Codes as one delimited string, ``;USA;GBR;`` (empty string for none), for fast filtering.

    ``list_contains(source_codes, 'USA')`` equals ``contains(source_key, ';USA;')``:
    scanning a short string is several times cheaper than scanning a list column.
    """
    return f";{';'.join(codes)};" if codes else ""


def _mentions_json(mentions: Sequence[Mention]) -> str:
    return json.dumps([m.to_dict() for m in mentions], ensure_ascii=False)


def _codes(refs: Sequence[Any], attr: str) -> list[str]:
    out: list[str] = []
    for ref in refs:
        value = getattr(ref, attr)
        if value and value not in out:
            out.append(value)
    return out


class Columns:
    """Column-oriented rows of one table: ``add(**row)`` then ``data`` (name → list)."""

    def __init__(self, names: Sequence[str]) -> None:
        self.data: dict[str, list[Any]] = {name: [] for name in names}

    def add(self, **row: Any) -> None:
        for name, values in self.data.items():
            values.append(row.get(name))

    def __len__(self) -> int:
        return len(next(iter(self.data.values()))) if self.data else 0


DOCUMENT_COLUMNS = (
    "doc_id", "text_hash", "title", "text", "pub_date", "url", "source", "language",
    "coder_name", "coder_version", "coder_model", "errors", "n_actors", "n_events", "n_quotes",
    "n_places", "run_id", "stored_at", "cluster_id", "coder_knowledge",
)
ACTOR_COLUMNS = ("doc_id", "actor_id", "name", "kind", "code", "country", "sector", "role", "mentions")
EVENT_COLUMNS = (
    "eid", "doc_id", "event_id", "event_type", "mode", "context", "cameo", "quad", "quad_class",
    "score", "source_codes", "target_codes", "source_sectors", "target_sectors", "trigger_text",
    "trigger_start", "trigger_end", "sentence_index", "sentence_start", "sentence_end", "in_title",
    "date", "date_precision", "date_text", "event_date", "location_name", "location_country",
    "location_geonames_id", "location_lat", "location_lon", "location_start", "location_end",
    "negated", "hypothetical", "reported_by", "confidence", "cluster_id", "event_key",
    "num_articles", "num_sources", "source_key", "target_key", "source_sector_key",
    "target_sector_key", "sentence",
)
EVENT_ACTOR_COLUMNS = (
    "eid", "doc_id", "role", "position", "actor_id", "text", "code", "sector", "start_offset",
    "end_offset",
)
QUOTE_COLUMNS = (
    "doc_id", "quote_id", "direct", "in_title", "speaker_actor", "speaker_text", "speaker_start",
    "speaker_end", "cue_text", "cue_start", "cue_end", "content_text", "content_start",
    "content_end",
)
PLACE_COLUMNS = (
    "doc_id", "place_index", "name", "country", "admin1", "lat", "lon", "geonames_id", "feature",
    "mentions",
)
DATE_COLUMNS = (
    "doc_id", "date_index", "text", "start_offset", "end_offset", "in_title", "date", "precision",
)


class Batch:
    """The rows of several coded documents, ready to insert."""

    def __init__(self) -> None:
        self.documents = Columns(DOCUMENT_COLUMNS)
        self.actors = Columns(ACTOR_COLUMNS)
        self.events = Columns(EVENT_COLUMNS)
        self.event_actors = Columns(EVENT_ACTOR_COLUMNS)
        self.quotes = Columns(QUOTE_COLUMNS)
        self.places = Columns(PLACE_COLUMNS)
        self.dates = Columns(DATE_COLUMNS)

    def tables(self) -> dict[str, Columns]:
        return {
            "documents": self.documents, "actors": self.actors, "events": self.events,
            "event_actors": self.event_actors, "quotes": self.quotes, "places": self.places,
            "dates": self.dates,
        }

    def add(self, record: CodedDocument, *, run_id: str, cluster_id: str, next_eid: int,
            stored_at: Any) -> int:
        """Add one document and all its records; return the next free event key."""
        d = record.id
        self.documents.add(
            doc_id=d, text_hash=text_hash(record), title=record.title, text=record.text,
            pub_date=event_date(record.pub_date), url=record.url, source=record.source,
            language=record.language, coder_name=record.coder.get("name"),
            coder_version=record.coder.get("version"), coder_model=record.coder.get("model"),
            coder_knowledge=record.coder.get("knowledge"),
            errors=json.dumps([e.to_dict() for e in record.errors], ensure_ascii=False),
            n_actors=len(record.actors), n_events=len(record.events), n_quotes=len(record.quotes),
            n_places=len(record.places), run_id=run_id, stored_at=stored_at, cluster_id=cluster_id,
        )
        for a in record.actors:
            self.actors.add(doc_id=d, actor_id=a.id, name=a.name, kind=a.kind, code=a.code,
                            country=a.country, sector=a.sector, role=a.role,
                            mentions=_mentions_json(a.mentions))
        for event in record.events:
            self._add_event(d, cluster_id, event, next_eid, record.title, record.text)
            next_eid += 1
        for q in record.quotes:
            sp, cue = q.speaker, q.cue
            self.quotes.add(
                doc_id=d, quote_id=q.id, direct=q.direct, in_title=q.in_title,
                speaker_actor=sp.actor if sp else None, speaker_text=sp.text if sp else None,
                speaker_start=sp.start if sp else None, speaker_end=sp.end if sp else None,
                cue_text=cue.text if cue else None, cue_start=cue.start if cue else None,
                cue_end=cue.end if cue else None, content_text=q.content.text,
                content_start=q.content.start, content_end=q.content.end,
            )
        for i, p in enumerate(record.places):
            self.places.add(doc_id=d, place_index=i, name=p.name, country=p.country, admin1=p.admin1,
                            lat=p.lat, lon=p.lon, geonames_id=p.geonames_id, feature=p.feature,
                            mentions=_mentions_json(p.mentions))
        for i, t in enumerate(record.dates):
            self.dates.add(doc_id=d, date_index=i, text=t.text, start_offset=t.start,
                           end_offset=t.end, in_title=t.in_title, date=t.date, precision=t.precision)
        return next_eid

    def _add_event(self, doc_id: str, cluster_id: str, e: Event, eid: int, title: str | None,
                   text: str) -> None:
        # the sentence's text is kept with the event (schema version 3), so that listing
        # events never has to read the stories' full texts
        within = title if e.in_title else text
        sources, targets = _codes(e.source, "code"), _codes(e.target, "code")
        source_sectors, target_sectors = _codes(e.source, "sector"), _codes(e.target, "sector")
        loc = e.location
        self.events.add(
            eid=eid, doc_id=doc_id, event_id=e.id, event_type=e.event_type, mode=e.mode,
            context=list(e.context), cameo=e.cameo, quad=e.quad, quad_class=QUAD_CLASS.get(e.quad),
            score=event_score(e.event_type, e.mode), source_codes=sources, target_codes=targets,
            source_sectors=source_sectors, target_sectors=target_sectors,
            trigger_text=e.trigger.text, trigger_start=e.trigger.start, trigger_end=e.trigger.end,
            sentence_index=e.sentence.index, sentence_start=e.sentence.start,
            sentence_end=e.sentence.end, in_title=e.in_title, date=e.date,
            date_precision=e.date_precision, date_text=e.date_text, event_date=event_date(e.date),
            location_name=loc.name if loc else None, location_country=loc.country if loc else None,
            location_geonames_id=loc.geonames_id if loc else None,
            location_lat=loc.lat if loc else None, location_lon=loc.lon if loc else None,
            location_start=loc.start if loc else None, location_end=loc.end if loc else None,
            negated=e.negated, hypothetical=e.hypothetical, reported_by=e.reported_by,
            confidence=round(e.confidence, 4), cluster_id=cluster_id, event_key=event_key(e.event_type, sources, targets, e.date),
            num_articles=1, num_sources=1, source_key=code_key(sources),
            target_key=code_key(targets), source_sector_key=code_key(source_sectors),
            target_sector_key=code_key(target_sectors),
            sentence=within[e.sentence.start:e.sentence.end] if within is not None else None,
        )
        for role, refs in (("source", e.source), ("target", e.target)):
            for position, ref in enumerate(refs):
                self.event_actors.add(eid=eid, doc_id=doc_id, role=role, position=position,
                                      actor_id=ref.actor, text=ref.text, code=ref.code,
                                      sector=ref.sector, start_offset=ref.start, end_offset=ref.end)
