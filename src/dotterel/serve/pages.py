"""The dashboard: server-rendered pages, each with a JSON twin (``?format=json``).

Every page reads the same data functions as the API (:mod:`.data`) and
renders a Jinja2 template (autoescaped: story text is never trusted as
HTML). Charts, the map and the network are inline SVG drawn here (:mod:`.svg`).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from ..errors import UsageError
from . import data, svg
from .api import Cat, CodeRequest, Filter, code_document
from .records import SPAN_KINDS, segments, spans

router = APIRouter(include_in_schema=False)
Format = Annotated[str, Query(pattern="^(html|json)$", description="json: the page's data")]

NAV = (("/", "Overview"), ("/events", "Events"), ("/map", "Map"), ("/network", "Network"),
       ("/code", "Code a story"))
FILTER_NAMES = ("actor", "source", "target", "type", "quad", "mode", "since", "until", "text")


def story_url(doc_id: str, event_id: str | None = None) -> str:
    url = "/stories/" + quote(doc_id, safe="")
    return url + (f"?event={quote(event_id, safe='')}" if event_id else "")


def _filters_of(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if k in FILTER_NAMES and v}


def render(request: Request, template: str, context: dict[str, Any], fmt: str,
           json_data: dict[str, Any] | None = None, status: int = 200) -> Response:
    """The page, or its JSON twin."""
    if fmt == "json":
        return JSONResponse(json_data if json_data is not None else context, status_code=status)
    templates = request.app.state.templates
    base = {"nav": NAV, "path": request.url.path, "filters": _filters_of(request),
            "quads": data.QUADS, "colours": svg.QUAD_COLOURS, "story_url": story_url,
            "json_url": _with(request, format="json")}
    page: Response = templates.TemplateResponse(request, template, {**base, **context},
                                                status_code=status)
    return page


def _with(request: Request, **changes: str | None) -> str:
    params = [(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=False) if k not in changes]
    params += [(k, v) for k, v in changes.items() if v is not None]
    return request.url.path + ("?" + urlencode(params) if params else "")


@router.get("/")
def overview_page(request: Request, cat: Cat, flt: Filter, format: Format = "html",
                  per: Annotated[str, Query(pattern="^(day|week|month|year)$")] = "month") -> Response:
    found = data.overview(cat, flt, per=per)
    return render(request, "overview.html", {"data": found, "per": per,
                                             "chart": svg.timeline(found["timeline"], per=per)}, format, found)


@router.get("/events")
def events_page(request: Request, cat: Cat, flt: Filter, format: Format = "html",
                limit: Annotated[int, Query(ge=1, le=data.MAX_LIMIT)] = 50,
                cursor: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    found = data.events_page(cat, flt, limit=limit, cursor=cursor or None)
    nxt = _with(request, cursor=found["next_cursor"]) if found["next_cursor"] else None
    return render(request, "events.html", {"data": found, "next_url": nxt, "limit": limit}, format, found)


def _story_context(record: dict[str, Any], focus: str | None) -> dict[str, Any]:
    all_spans = spans(record)
    return {"record": record, "focus": focus, "kinds": SPAN_KINDS,
            "title_segments": segments(record.get("title") or "", all_spans, in_title=True),
            "text_segments": segments(record["text"], all_spans),
            "actor_names": {a["id"]: a["name"] for a in record.get("actors", [])}}


@router.get("/stories/{doc_id:path}")
def story_page(request: Request, cat: Cat, doc_id: str, format: Format = "html",
               event: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    record = data.document(cat, doc_id)
    if record is None:
        raise HTTPException(404, f"no stored document with id {doc_id!r}")
    twin = {"ok": True, "document": record, "spans": [s.to_dict() for s in spans(record)]}
    return render(request, "story.html", _story_context(record, event), format, twin)


@router.get("/map")
def map_page(request: Request, cat: Cat, flt: Filter, format: Format = "html") -> Response:
    found = data.map_points(cat, flt)
    context = {"data": found, "countries": svg.country_paths(), "circles": svg.map_circles(found["points"]),
               "width": svg.MAP_WIDTH, "height": svg.MAP_HEIGHT}
    return render(request, "map.html", context, format, found)


@router.get("/network")
def network_page(request: Request, cat: Cat, flt: Filter, format: Format = "html",
                 limit: Annotated[int, Query(ge=1, le=500)] = 60) -> Response:
    found = data.network(cat, flt, limit=limit)
    layout = svg.network_layout(found["nodes"], found["edges"])
    return render(request, "network.html", {"data": found, "layout": layout, "limit": limit}, format,
                  {**found, "layout": layout})


@router.get("/code")
def code_form(request: Request, format: Format = "html") -> Response:
    return render(request, "code.html", {"form": {}, "stored": None}, format,
                  {"ok": True, "fields": ["text", "pub_date", "title", "id", "store"]})


@router.post("/code")
async def code_page(request: Request, format: Format = "html") -> Response:
    """The code-a-story form (application/x-www-form-urlencoded): the coded story at once."""
    body = (await request.body()).decode("utf-8", "replace")
    form = dict(parse_qsl(body, keep_blank_values=True))
    if not form.get("text", "").strip():
        raise UsageError("paste the story text into the form's text box")
    req = CodeRequest(text=form["text"], pub_date=form.get("pub_date") or None,
                      title=form.get("title") or None, id=form.get("id") or None,
                      url=None, source=None)
    from starlette.concurrency import run_in_threadpool
    record, stored = await run_in_threadpool(code_document, request, req, store=form.get("store") == "on")
    context = {"form": form, "stored": stored, **_story_context(record, None)}
    return render(request, "code.html", context, format, {"ok": True, "stored": stored, "record": record})
