"""``dotterel serve``: a thin Typer wrapper over :func:`dotterel.serve.serve`.

Its options are the rows of :data:`dotterel.serve.settings.SETTINGS` (same
names, defaults and help) plus ``--db``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import DotterelError
from .settings import DEFAULTS, SETTINGS

HELP = {name: text for name, _, text in SETTINGS}


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the ``dotterel`` app."""

    @app.command("serve")
    def serve_command(
        db: Annotated[Path | None, typer.Option("--db", help="The DuckDB store (default: $DOTTEREL_DB or dotterel.duckdb).")] = None,
        host: Annotated[str, typer.Option("--host", help=HELP["host"])] = str(DEFAULTS["host"]),
        port: Annotated[int, typer.Option("--port", help=HELP["port"])] = int(str(DEFAULTS["port"])),
        token: Annotated[str | None, typer.Option("--token", help=HELP["token"])] = None,
        max_body: Annotated[int, typer.Option("--max-body", help=HELP["max_body"])] = int(str(DEFAULTS["max_body"])),
        cors_origin: Annotated[list[str] | None, typer.Option("--cors-origin", help=HELP["cors_origin"])] = None,
        cache_size: Annotated[int, typer.Option("--cache-size", help=HELP["cache_size"])] = int(str(DEFAULTS["cache_size"])),
    ) -> None:
        """Serve the store: a JSON API under /api/v1 and a dashboard (needs the 'serve' extra)."""
        from ..store import default_db_path
        from . import ServeSettings, serve

        try:
            settings = ServeSettings.build(default_db_path(db), host=host, port=port, token=token,
                                           max_body=max_body, cors_origin=cors_origin or [],
                                           cache_size=cache_size)
            serve(settings)
        except DotterelError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
