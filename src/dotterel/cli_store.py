"""Store commands of the ``dotterel`` CLI: recode, query, aggregate, export, watch.

Thin Typer wrappers: each calls the library function of the same name with the
same option names (``dotterel.open(db).events(source=..., ...)``,
:func:`dotterel.export.export`, :func:`dotterel.store.recode`,
:func:`dotterel.store.watch.watch`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from .cli_options import (
    MAX_CHARS_DEFAULT,
    ActorsOpt,
    AllowPrivateOpt,
    FailFastOpt,
    MaxCharsOpt,
    make_coder,
    with_filters,
)
from .errors import DotterelError
from .render import printable
from .writers import write_table

DbOpt = Annotated[Path | None, typer.Option("--db", help="The DuckDB store (default: $DOTTEREL_DB or dotterel.duckdb).")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")]
WorkersOpt = Annotated[int | None, typer.Option("--workers", "-w", min=1, help="Coding processes (default: all cores, at most one per 900 MB of free memory; fewer than 32 documents per batch are coded in this process).")]

def _fail(exc: DotterelError) -> typer.Exit:
    typer.echo(f"error: {printable(exc)}", err=True)
    return typer.Exit(2)


def register(app: typer.Typer) -> None:
    """Add the store commands to the ``dotterel`` app."""

    @app.command("query")
    @with_filters
    def query_command(
        db: DbOpt = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, json (JSON Lines) or parquet.")] = "table",
        output: OutputOpt = None,
        limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many events (newest first).")] = None,
        *, filters: dict[str, Any],
    ) -> None:
        """List stored events matching the filters, newest first."""
        from .store import open as open_store

        try:
            frame = open_store(db, hold=0).events(limit=limit, **filters)
            write_table(frame, fmt, output)
        except DotterelError as exc:
            raise _fail(exc) from exc

    @app.command("aggregate")
    @with_filters
    def aggregate_command(
        db: DbOpt = None,
        by: Annotated[list[str] | None, typer.Option("--by", help="Group by dyad, type, quad, source or target; repeatable.")] = None,
        per: Annotated[str, typer.Option("--per", help="Period: day, week, month, year or none.")] = "month",
        distinct: Annotated[bool, typer.Option("--distinct", help="Add distinct_events and stories (near-duplicate stories counted once).")] = False,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, json (JSON Lines) or parquet.")] = "table",
        output: OutputOpt = None,
        *, filters: dict[str, Any],
    ) -> None:
        """Event counts and PLOVER-score sums by dyad, type or quad per day/week/month/year."""
        from .store import open as open_store

        try:
            frame = open_store(db, hold=0).aggregate(
                by=by or ["dyad"], per=None if per == "none" else per, distinct=distinct, **filters)
            write_table(frame, fmt, output)
        except DotterelError as exc:
            raise _fail(exc) from exc

    @app.command("export")
    @with_filters
    def export_command(
        db: DbOpt = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="plover (JSONL), polecat (TSV), gdelt (61-column TSV), csv or parquet.")] = "plover",
        output: OutputOpt = None,
        *, filters: dict[str, Any],
    ) -> None:
        """Export stored events as PLOVER JSONL, POLECAT TSV, GDELT 2.0 TSV, CSV or Parquet."""
        from .export import export
        from .store import open as open_store

        try:
            n = export(open_store(db, hold=0), fmt, output, **filters)
        except DotterelError as exc:
            raise _fail(exc) from exc
        typer.echo(f"{n} events exported", err=True)

    @app.command("recode")
    def recode_command(
        db: DbOpt = None,
        outdated_only: Annotated[bool, typer.Option("--outdated-only", help="Only documents coded by another dotterel version or with other knowledge (data files).")] = False,
        batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per committed batch.")] = 64,
        actors: ActorsOpt = None, max_chars: MaxCharsOpt = MAX_CHARS_DEFAULT, fail_fast: FailFastOpt = False,
        workers: WorkersOpt = None,
    ) -> None:
        """Re-code every stored document with this dotterel and replace its records."""
        from .parallel import ParallelCoder
        from .parallel.progress import show
        from .store import StoreRunSummary, recode

        # scale: --workers processes
        coder = ParallelCoder.like(make_coder(actors=actors, max_chars=max_chars, fail_fast=fail_fast),
                                   workers=workers)
        summary = StoreRunSummary()
        try:
            for _ in show(recode(db=db, coder=coder, outdated_only=outdated_only,
                                 batch_size=batch_size, summary=summary), label="recoding"):
                pass
        except DotterelError as exc:
            raise _fail(exc) from exc
        finally:
            coder.close()
        typer.echo(summary.line(), err=True)
        if coder.tracker.slowest_line():
            typer.echo(coder.tracker.slowest_line(), err=True)

    @app.command("watch")
    def watch_command(
        feeds: Annotated[list[str], typer.Argument(help="RSS/Atom feed URLs (or files).")],
        db: DbOpt = None,
        every: Annotated[str, typer.Option("--every", help="Polling interval: 30s, 15m, 1h ...")] = "15m",
        iterations: Annotated[int | None, typer.Option("--iterations", min=1, help="Stop after this many rounds (default: never).")] = None,
        batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per committed batch.")] = 64,
        allow_private: AllowPrivateOpt = False,
        actors: ActorsOpt = None, max_chars: MaxCharsOpt = MAX_CHARS_DEFAULT, fail_fast: FailFastOpt = False,
        workers: WorkersOpt = None,
    ) -> None:
        """Poll feeds and code their new items into the store, round after round."""
        from .parallel import ParallelCoder
        from .parallel.progress import show
        from .sources import Fetcher
        from .store.watch import Cycle, parse_interval, watch

        def on_cycle(cycle: Cycle) -> None:
            typer.echo(f"round {cycle.number}: {cycle.new_items} new items, {cycle.stored} stored, "
                       f"{cycle.failed_feeds} feeds failed", err=True)

        # scale: --workers processes, kept between rounds
        coder = ParallelCoder.like(make_coder(actors=actors, max_chars=max_chars, fail_fast=fail_fast),
                                   workers=workers)
        fetcher = Fetcher(allow_private=allow_private)
        try:
            for _ in show(watch(feeds, db=db, coder=coder, every=parse_interval(every),
                                iterations=iterations, batch_size=batch_size, fetcher=fetcher,
                                on_skip=lambda item: typer.echo(printable(item), err=True),
                                on_cycle=on_cycle), label="watching"):
                pass
        except DotterelError as exc:
            raise _fail(exc) from exc
        finally:
            fetcher.close()
            coder.close()
