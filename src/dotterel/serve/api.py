"""The JSON API under ``/api/v1``: thin handlers over :mod:`dotterel.serve.data`.

Filter parameters have the names of ``dotterel query``'s options
(:class:`~dotterel.store.EventFilter`); every error is
``{"ok": false, "error": ..., "status": ...}`` (see ``app.py``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ..errors import UsageError
from ..model import Document
from ..store import PERIODS, EventFilter
from . import data

router = APIRouter(prefix="/api/v1")
_CODER_LOCK = threading.Lock()

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {"application/json": {"schema": {
        "type": "object", "required": ["ok", "error", "status"],
        "properties": {"ok": {"type": "boolean", "const": False}, "error": {"type": "string"},
                       "status": {"type": "integer"}}}}}}
    for status, text in ((400, "bad parameter value"), (401, "missing or wrong token"),
                         (404, "not found"), (413, "request body too large"),
                         (422, "invalid request"))
}


async def event_filter(
    source: Annotated[str | None, Query(description="Source actor code(s), comma-separated (e.g. USA,GBR).")] = None,
    target: Annotated[str | None, Query(description="Target actor code(s), comma-separated.")] = None,
    actor: Annotated[str | None, Query(description="Actor code(s) on either side (country codes included).")] = None,
    sector: Annotated[str | None, Query(description="Sector code(s) on either side (GOV, MIL, ...).")] = None,
    type: Annotated[str | None, Query(description="PLOVER event type(s), comma-separated.")] = None,
    quad: Annotated[str | None, Query(description="Quad class: 1-4, VC, MC, VX, MX or its name.")] = None,
    mode: Annotated[str | None, Query(description="PLOVER mode(s), comma-separated.")] = None,
    since: Annotated[str | None, Query(description="First event date (YYYY-MM-DD), inclusive.")] = None,
    until: Annotated[str | None, Query(description="Last event date (YYYY-MM-DD), inclusive.")] = None,
    text: Annotated[str | None, Query(description="Stories whose title or text contains these whole words, in order, any case.")] = None,
    include_hypothetical: Annotated[bool, Query(description="Keep events flagged hypothetical.")] = False,
    include_negated: Annotated[bool, Query(description="Keep events flagged negated.")] = False,
) -> EventFilter:
    """The CLI's query filters as query parameters (empty values are ignored)."""
    values = {"source": source, "target": target, "actor": actor, "sector": sector, "type": type,
              "quad": quad, "mode": mode, "since": since, "until": until, "text": text}
    flt = EventFilter(**{k: v for k, v in values.items() if v not in (None, "")},
                      include_hypothetical=include_hypothetical, include_negated=include_negated)
    flt.where()  # check dates and quad now: a bad value is a 400 before any query runs
    return flt


Filter = Annotated[EventFilter, Depends(event_filter)]


async def catalog(request: Request) -> data.Catalog:
    cat: data.Catalog = request.app.state.catalog
    return cat


Cat = Annotated[data.Catalog, Depends(catalog)]


async def cached_json(request: Request, cat: data.Catalog, compute: Callable[[], dict[str, Any]]
                      ) -> Response:
    """The answer as JSON bytes, cached per URL until the store changes.

    A hit is answered on the event loop (no thread, no re-encoding); a miss
    queries the store in a worker thread.
    """
    def encode() -> bytes:
        return json.dumps(compute(), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    key = ("json", request.url.path, request.url.query)
    body = cat.peek(key)
    if body is None:
        body = await run_in_threadpool(cat.cached, key, encode)
    return Response(body, media_type="application/json")


class CodeRequest(BaseModel):
    """A document to code: the contract's input record."""

    model_config = ConfigDict(extra="ignore")
    text: str = Field(description="The story text.")
    pub_date: str | None = Field(None, description="Publication date, YYYY-MM-DD (relative dates resolve against it).")
    title: str | None = Field(None, description="Headline.")
    id: str | None = Field(None, description="Document id (default: a hash of the text).")
    url: str | None = None
    source: str | None = Field(None, description="Outlet.")


def get_coder(request: Request) -> Any:
    """The app's coder, created on first use (loading spaCy takes a few seconds)."""
    with _CODER_LOCK:
        if request.app.state.coder is None:
            from ..coder import Coder
            request.app.state.coder = Coder()
        return request.app.state.coder


def code_document(request: Request, body: CodeRequest, *, store: bool) -> tuple[dict[str, Any], str]:
    """Code one document (and store it when asked): (output record, stored state)."""
    document = Document.from_dict(body.model_dump())
    coder = get_coder(request)
    with _CODER_LOCK:
        record = coder.code(document.text, pub_date=document.pub_date, title=document.title,
                            id=document.id, url=document.url, source=document.source)
    state = "no"
    if store:
        result = request.app.state.catalog.write([record])
        state = "replaced" if result.replaced else "yes"
    return record.to_dict(), state


@router.post("/code", responses={**ERRORS, 200: {"description": "The contract's output record; the "
                                                 "header X-Dotterel-Stored says whether it was stored "
                                                 "(yes, replaced or no)."}})
def code(request: Request, body: CodeRequest, response: Response,
         store: Annotated[bool, Query(description="Also store the coded record (replacing a stored one with the same id).")] = False,
         ) -> dict[str, Any]:
    """Code one story (the contract's input record) and return the contract's output record."""
    record, state = code_document(request, body, store=store)
    response.headers["X-Dotterel-Stored"] = state
    return record


@router.get("/events", responses=ERRORS, response_class=JSONResponse)
async def events(request: Request, cat: Cat, flt: Filter,
           limit: Annotated[int, Query(ge=1, le=data.MAX_LIMIT, description="Events per page (newest first).")] = 50,
           cursor: Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page.")] = None,
           ) -> Response:
    """Stored events matching the filters, newest first, a page at a time."""
    return await cached_json(request, cat, lambda: data.events_page(cat, flt, limit=limit, cursor=cursor or None))


@router.get("/events/{eid}", responses=ERRORS)
def event(cat: Cat, eid: Annotated[int, Path(ge=0, le=2**62, description="The event's store key (eid).")]
          ) -> dict[str, Any]:
    """One stored event with its source and target actors."""
    found = data.event(cat, eid)
    if found is None:
        raise HTTPException(404, f"no event with eid {eid}")
    return {"ok": True, "event": found}


@router.get("/documents/{doc_id:path}", responses=ERRORS)
def document(cat: Cat, doc_id: Annotated[str, Path(description="The document id (URL-encode '/' as %2F or not).")]
             ) -> dict[str, Any]:
    """A stored story: its text and every span (actors, events, quotes, places, dates)."""
    found = data.document(cat, doc_id)
    if found is None:
        raise HTTPException(404, f"no stored document with id {doc_id!r}")
    from .records import spans
    return {"ok": True, "document": found, "spans": [s.to_dict() for s in spans(found)]}


@router.get("/actors", responses=ERRORS, response_class=JSONResponse)
async def actors(request: Request, cat: Cat, flt: Filter,
           limit: Annotated[int, Query(ge=1, le=data.MAX_LIMIT, description="Most active actors kept.")] = 100,
           ) -> Response:
    """Actor codes by number of matching events, with their commonest name."""
    return await cached_json(request, cat, lambda: data.actors(cat, flt, limit=limit))


@router.get("/aggregates", responses=ERRORS, response_class=JSONResponse)
async def aggregates(request: Request, cat: Cat, flt: Filter,
               by: Annotated[list[str] | None, Query(description="dyad, type, quad, source or target; repeatable.")] = None,
               per: Annotated[str, Query(description="day, week, month, year or none.")] = "month",
               distinct: Annotated[bool, Query(description="Add distinct_events and stories.")] = False,
               limit: Annotated[int, Query(ge=1, le=100_000, description="Rows kept.")] = 5000,
               ) -> Response:
    """Dyad/type/quad series: event counts and PLOVER-score sums per group and period."""
    if per not in ("none", *PERIODS):
        raise UsageError(f"per {per!r}: use none, {', '.join(PERIODS)}")
    return await cached_json(request, cat, lambda: data.aggregates(
        cat, flt, by=by or ["dyad"], per=None if per == "none" else per, distinct=distinct, limit=limit))


@router.get("/health", responses=ERRORS)
def health(cat: Cat) -> dict[str, Any]:
    """The server is up and reads its store: versions and counts."""
    return data.health(cat)
