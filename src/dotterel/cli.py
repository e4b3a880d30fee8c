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
    # --- scale (docs/scale.md): parallel engines and Parquet output ---
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=1, help="Coding processes (default: all cores, at most one per 900 MB of free memory; fewer than 32 documents are coded in this process).")] = None,
    engine: Annotated[str, typer.Option("--engine", help="local (processes on this machine) or dask (a dask.distributed cluster).")] = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786, or a scheduler file (default: a LocalCluster of --workers processes).")] = None,
    output_dir: Annotated[Path | None, typer.Option("--output-dir", help="Write a Parquet dataset here, partitioned by publication month; then records go to --output only when it is given.")] = None,
    job_dir: Annotated[Path | None, typer.Option("--job-dir", help="Dask engine: the job's partitions and manifest; a rerun resumes it (default: OUTPUT_DIR/_job, OUTPUT.job, DB.job or ./dotterel-job).")] = None,
    partition_size: Annotated[int, typer.Option("--partition-size", min=1, help="Dask engine: documents per partition.")] = 500,
) -> None:
    """Code news stories; one output record per input document, in input order."""
    from .runner import RunSummary, code_inputs
    from .sources import Fetcher, check_inputs, read_sources
    from .store import StoreRunSummary, code_into_store

    if fmt not in formats("records"):
        raise typer.BadParameter(f"{fmt!r}: choose one of {', '.join(formats('records'))}", param_hint="--format")
    if engine not in ("local", "dask"):  # scale
        raise typer.BadParameter(f"{engine!r}: choose local or dask", param_hint="--engine")
    from .parallel import ParallelCoder  # scale: a Coder using --workers processes

    coder = ParallelCoder.like(make_coder(actors=actors, max_chars=max_chars, fail_fast=fail_fast,
                                          batch_size=batch_size), workers=workers)
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
            stack.callback(coder.close)  # scale: stop the worker processes
            if engine == "dask" or output_dir is not None:  # scale: dotterel.parallel runs these
                from .parallel.command import run_code

                run_code(inputs, coder=coder, engine=engine, workers=workers, scheduler=scheduler,
                         output_dir=output_dir, job_dir=job_dir, partition_size=partition_size,
                         output=output, out=out, db=db, fmt=fmt, include_text=not no_text,
                         pub_date=pub_date, input_format=input_format, fetcher=fetcher,
                         on_skip=on_skip, echo=lambda line: typer.echo(line, err=True))
                return
            if db is None:
                records = code_inputs(inputs, coder=coder, pub_date=pub_date, input_format=input_format,
                                      on_skip=on_skip, summary=summary, fetcher=fetcher)
            else:
                assert isinstance(summary, StoreRunSummary)
                records = code_into_store(read_sources(inputs, input_format=input_format, fetcher=fetcher),
                                          db=db, coder=coder, pub_date=pub_date, on_skip=on_skip,
                                          summary=summary)
            if db is not None and output is None:
                for _ in _progress(records, inputs):
                    pass
            else:
                write_records(_progress(records, inputs), out, fmt=fmt, include_text=not no_text)
    except DotterelError as exc:
        typer.echo(f"error: {printable(exc)}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(summary.line(), err=True)
    if coder.tracker.slowest_line():  # scale: the slowest documents
        typer.echo(coder.tracker.slowest_line(), err=True)


def _progress(records: Iterable[CodedDocument], inputs: list[str]) -> Iterator[CodedDocument]:
    """Progress on standard error when it is a terminal (and not CI): dotterel.parallel.progress."""
    from .parallel.progress import Counter, interactive, show

    yield from show(records, total=Counter(inputs) if interactive() else None)


from .cli_store import register as _register_store_commands  # noqa: E402

_register_store_commands(app)

from .serve.command import register as _register_serve_command  # noqa: E402

_register_serve_command(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
