"""The ASGI application: API, dashboard, static files, and the safety layer around them.

:func:`create_app` wires together the routes (``api.py``, ``pages.py``) and,
around every request, in this order: the token check (when a token is set),
the request size limit, and optional CORS. Every error, whoever raises it
(a route, validation, an unknown path, the middleware), leaves as one shape:
``{"ok": false, "error": "...", "status": 404}`` (an HTML page with the same
message for a browser asking for a dashboard page).
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from http import HTTPStatus
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ..errors import DependencyError, DotterelError, InputError, UsageError, missing_dependency
from .settings import ServeSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("dotterel.serve")
#: The cookie a browser gets after opening a page once with ?token=TOKEN.
TOKEN_COOKIE = "dotterel_token"


def error_body(status: int, error: str, **extra: Any) -> dict[str, Any]:
    """The one error shape of the API."""
    return {"ok": False, "error": error, "status": status, **extra}


def wants_json(path: str, query: str, accept: str) -> bool:
    """API paths, ``?format=json`` and non-browser clients get JSON errors; browsers get a page."""
    if path.startswith("/api/") or path == "/openapi.json":
        return True
    if ("format", "json") in parse_qsl(query):
        return True
    return "text/html" not in accept


async def _send_error(scope: Scope, send: Send, status: int, error: str,
                      headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """An error response from the middleware (before any route runs)."""
    hdrs = dict((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope.get("headers", []))
    if wants_json(scope.get("path", ""), scope.get("query_string", b"").decode("latin-1"),
                  hdrs.get("accept", "")):
        body = json.dumps(error_body(status, error)).encode()
        ctype = b"application/json"
    else:
        from html import escape
        body = (f"<!doctype html><title>{status}</title><h1>{status} {escape(HTTPStatus(status).phrase)}"
                f"</h1><p>{escape(error)}</p>").encode()
        ctype = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse request bodies larger than ``max_body`` bytes with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_big = f"the request body is larger than {self.max_body} bytes (the server's --max-body)"
        for key, value in scope.get("headers", []):
            if key.lower() == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_error(scope, send, 400, "the Content-Length header is not a number")
                    return
                if declared > self.max_body:
                    await _send_error(scope, send, 413, too_big)
                    return
        # read the whole body (at most max_body + 1 bytes), then hand it on
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await _send_error(scope, send, 413, too_big)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class TokenAuth:
    """Every request must carry the token: ``Authorization: Bearer TOKEN`` or the login cookie.

    A browser opens any dashboard page once with ``?token=TOKEN``; it is
    redirected to the same page without it and gets an HttpOnly, SameSite=Strict
    cookie holding the token.
    """

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode()

    def _ok(self, candidate: str | None) -> bool:
        return candidate is not None and hmac.compare_digest(candidate.encode(), self.token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        auth = headers.get("authorization", "")
        if auth[:7].lower() == "bearer " and self._ok(auth[7:].strip()):
            await self.app(scope, receive, send)
            return
        from http.cookies import CookieError, SimpleCookie
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except CookieError:
            cookie = SimpleCookie()
        if TOKEN_COOKIE in cookie and self._ok(cookie[TOKEN_COOKIE].value):
            await self.app(scope, receive, send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = [v for k, v in query if k == "token"]
        if scope["method"] == "GET" and given and self._ok(given[0]):
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            location = scope.get("root_path", "") + scope["path"] + (f"?{rest}" if rest else "")
            await send({"type": "http.response.start", "status": 303, "headers": [
                (b"location", location.encode("latin-1", "replace")),
                (b"set-cookie", f"{TOKEN_COOKIE}={self.token.decode()}; HttpOnly; SameSite=Strict; "
                                f"Path=/".encode()),
                (b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        await _send_error(scope, send, 401, "this server needs its token: send  Authorization: Bearer "
                          "TOKEN  (or open a page once with ?token=TOKEN in a browser)",
                          headers=[(b"www-authenticate", b"Bearer")])


def _status_of(exc: DotterelError) -> int:
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, UsageError):
        return 400
    return 500


def create_app(settings: ServeSettings, *, coder: Any = None) -> Any:
    """The dotterel server for ``settings`` (an ASGI app; run it with uvicorn).

    ``coder`` codes the stories of ``POST /api/v1/code`` and the code-a-story
    page; by default a :class:`dotterel.Coder`, created on first use.
    """
    try:
        from fastapi import FastAPI, Request
        from fastapi.exceptions import RequestValidationError
        from fastapi.responses import JSONResponse, Response
        from fastapi.staticfiles import StaticFiles
        from fastapi.templating import Jinja2Templates
        from starlette.exceptions import HTTPException
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise missing_dependency(exc.name or "fastapi", "serve") from exc

    from .. import __version__
    from . import api, pages
    from .data import Catalog

    catalog = Catalog(settings.db, cache_size=settings.cache_size)

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        yield
        catalog.close()

    app = FastAPI(
        title="dotterel", version=__version__,
        summary="Coded news events (PLOVER) from a dotterel store: query, aggregate, explain, code.",
        docs_url=None, redoc_url=None, lifespan=lifespan,
    )
    app.state.catalog = catalog
    app.state.settings = settings
    app.state.coder = coder
    template_dir = resources.files("dotterel.serve").joinpath("templates")
    app.state.templates = Jinja2Templates(directory=str(template_dir))

    def respond_error(request: Request, status: int, error: str, **extra: Any) -> Response:
        if wants_json(request.url.path, request.url.query, request.headers.get("accept", "")):
            return JSONResponse(error_body(status, error, **extra), status_code=status)
        page: Response = app.state.templates.TemplateResponse(
            request, "error.html", {"status": status, "error": error,
                                    "phrase": HTTPStatus(status).phrase}, status_code=status)
        return page

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such page or endpoint: {request.url.path} (see /openapi.json)"
        return respond_error(request, exc.status_code, detail)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        return respond_error(request, 422, "invalid request: " + "; ".join(problems))

    @app.exception_handler(DotterelError)
    async def _dotterel_error(request: Request, exc: DotterelError) -> Response:
        status = _status_of(exc)
        if isinstance(exc, DependencyError):
            status = 501
        return respond_error(request, status, str(exc))

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path, exc_info=exc)
        return respond_error(request, 500, "internal error (logged by the server)")

    app.include_router(api.router)
    app.include_router(pages.router)
    static_dir = resources.files("dotterel.serve").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")

    wrapped: Any = BodyLimit(app, settings.max_body)
    if settings.token:
        wrapped = TokenAuth(wrapped, settings.token)
    if settings.cors_origin:
        from starlette.middleware.cors import CORSMiddleware
        wrapped = CORSMiddleware(wrapped, allow_origins=list(settings.cors_origin),
                                 allow_methods=["GET", "POST"],
                                 allow_headers=["Authorization", "Content-Type"])
    wrapped.fastapi = app  # the inner FastAPI app, for tests and the schema
    return wrapped
