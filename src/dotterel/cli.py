"""The ``dotterel`` command line: thin Typer wrappers over the library functions."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated

import typer

from .cli_options import (
    MAX_CHARS_DEFAULT,
    ActorsOpt,
    AllowPrivateOpt,
    FailFastOpt,
    MaxCharsOpt,
    make_coder,
)
from .errors import DotterelError
from .model import CodedDocument
from .outfile import atomic_text, check_output_path, refuse_overwriting_inputs
from .render import printable, write_records
from .writers import formats

app = typer.Typer(
    name="dotterel",
    help="Turn news stories into PLOVER political event data: actors, places, dates, quotes, events.",
    no_args_is_help=True,
    add_completion=False,
)


def _show_version(value: bool) -> None:
    if value:
        from ._version import __version__

        typer.echo(f"dotterel {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                          help="Print dotterel's version and exit.")] = False,
) -> None:
    """dotterel: who did what to whom, when and where, and who said so."""


@app.command("code")
def code_command(
    inputs: Annotated[list[str], typer.Argument(help="Files (.txt, .jsonl, .jsonl.gz, .html, .rss/.atom/.xml feeds), directories, http(s) URLs of pages or feeds, or - for JSONL on stdin.")],
    pub_date: Annotated[str | None, typer.Option("--pub-date", help="Publication date (YYYY-MM-DD) for documents that have none.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Output format: jsonl, json or table.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")] = None,
    no_text: Annotated[bool, typer.Option("--no-text", help="Leave the story text out of the output records.")] = False,
    input_format: Annotated[str | None, typer.Option("--input-format", help="Read every input as jsonl, txt or html, whatever its name.")] = None,
    actors: ActorsOpt = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per spaCy batch.")] = 16,
    max_chars: MaxCharsOpt = MAX_CHARS_DEFAULT,
    db: Annotated[Path | None, typer.Option("--db", help="Store results in this DuckDB file (skipping documents stored unchanged); then records go to --output only when it is given.")] = None,
    allow_private: AllowPrivateOpt = False,
    fail_fast: FailFastOpt = False,
) -> None:
    """Code news stories; one output record per input document, in input order."""
    from .runner import RunSummary, code_inputs
    from .sources import Fetcher, check_inputs, read_sources
    from .store import StoreRunSummary, code_into_store

    if fmt not in formats("records"):
        raise typer.BadParameter(f"{fmt!r}: choose one of {', '.join(formats('records'))}", param_hint="--format")
    coder = make_coder(actors=actors, max_chars=max_chars, fail_fast=fail_fast, batch_size=batch_size)
    summary = RunSummary() if db is None else StoreRunSummary()

    def on_skip(item: object) -> None:
        typer.echo(printable(item), err=True)

    try:
        check_inputs(inputs, input_format=input_format)
        if output is not None:
            refuse_overwriting_inputs(output, inputs)
            check_output_path(output)
        with contextlib.ExitStack() as stack:
            out = stack.enter_context(atomic_text(output)) if output is not None else sys.stdout
            fetcher = Fetcher(allow_private=allow_private)
            stack.callback(fetcher.close)
            if db is None:
                records = code_inputs(inputs, coder=coder, pub_date=pub_date, input_format=input_format,
                                      on_skip=on_skip, summary=summary, fetcher=fetcher)
            else:
                assert isinstance(summary, StoreRunSummary)
                records = code_into_store(read_sources(inputs, input_format=input_format, fetcher=fetcher),
                                          db=db, coder=coder, pub_date=pub_date, on_skip=on_skip,
                                          summary=summary)
            if db is not None and output is None:
                for _ in _progress(records):
                    pass
            else:
                write_records(_progress(records), out, fmt=fmt, include_text=not no_text)
    except DotterelError as exc:
        typer.echo(f"error: {printable(exc)}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(summary.line(), err=True)


def _progress(records: Iterable[CodedDocument]) -> Iterator[CodedDocument]:
    """Count documents on standard error when it is a terminal."""
    if not sys.stderr.isatty():
        yield from records
        return
    for n, record in enumerate(records, start=1):
        sys.stderr.write(f"\rcoded {n} documents")
        sys.stderr.flush()
        yield record
    sys.stderr.write("\r" + " " * 30 + "\r")


from .cli_store import register as _register_store_commands  # noqa: E402

_register_store_commands(app)

from .serve.command import register as _register_serve_command  # noqa: E402

_register_serve_command(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
