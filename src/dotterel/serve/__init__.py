"""``dotterel serve``: the store over HTTP, a JSON API and a dashboard (needs the ``serve`` extra).

>>> from dotterel.serve import ServeSettings, create_app      # doctest: +SKIP
>>> app = create_app(ServeSettings.build("events.duckdb"))    # an ASGI app

Importing this package is cheap; FastAPI is imported by :func:`create_app`.
See ``docs/serve.md``.
"""

from __future__ import annotations

from typing import Any

from .settings import SETTINGS, ServeSettings, is_loopback

__all__ = ["SETTINGS", "ServeSettings", "create_app", "is_loopback", "serve"]


def create_app(settings: ServeSettings, *, coder: Any = None) -> Any:
    """The ASGI app for ``settings`` (see :func:`dotterel.serve.app.create_app`)."""
    from .app import create_app as _create_app

    return _create_app(settings, coder=coder)


def serve(settings: ServeSettings) -> None:
    """Run the server with uvicorn until interrupted (what ``dotterel serve`` does)."""
    from ..errors import missing_dependency

    try:
        import uvicorn
    except ImportError as exc:
        raise missing_dependency("uvicorn", "serve") from exc
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info",
                proxy_headers=False, server_header=False)
