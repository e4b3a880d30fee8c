"""Options the ``dotterel`` commands share, each declared once (name, default, help).

- The coder's settings (``--actors``, ``--max-chars``, ``--fail-fast``) feed
  :class:`~dotterel.coder.Coder` in ``code``, ``recode`` and ``watch`` through
  :func:`make_coder`, which also checks them (a binary ``--actors`` file is
  refused before anything is read).
- The event filters of ``query``, ``aggregate`` and ``export`` are added to a
  command by :func:`with_filters`, which hands the command one ``filters``
  dict ready for :class:`~dotterel.store.queries.EventFilter`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from .checks import DEFAULT_MAX_CHARS
from .errors import DotterelError

if TYPE_CHECKING:
    from .coder import Coder

# -- the coder's settings -----------------------------------------------------------------

ActorsOpt = Annotated[list[Path] | None, typer.Option(
    "--actors", help="Extra actor list (TSV, same columns as the bundled data/actors/actors.tsv, "
                     "see docs/actors.md); repeatable.")]
MaxCharsOpt = Annotated[int, typer.Option(
    "--max-chars", min=1, help="Longest story coded, in characters (at most 1,000,000); longer ones "
                               "get a too_long error.")]
FailFastOpt = Annotated[bool, typer.Option(
    "--fail-fast", help="Stop with a traceback at the first document the coder fails on (for "
                        "developers); by default it gets an 'internal' error and the run goes on.")]
AllowPrivateOpt = Annotated[bool, typer.Option(
    "--allow-private", help="Fetch URLs on private, loopback and link-local addresses too (for local "
                            "testing; refused by default).")]
#: The defaults of the settings above (the Coder's own).
MAX_CHARS_DEFAULT = DEFAULT_MAX_CHARS


def check_actor_files(actors: list[Path] | None) -> list[Path]:
    """The ``--actors`` files, each an existing UTF-8 text file, else :class:`typer.BadParameter`."""
    for path in actors or []:
        if not path.is_file():
            raise typer.BadParameter(f"{str(path)!r} is not a file", param_hint="--actors")
        try:
            data = path.read_bytes()
            data.decode("utf-8")
        except OSError as exc:
            raise typer.BadParameter(f"{str(path)!r}: {exc.strerror or exc}", param_hint="--actors") from exc
        except UnicodeDecodeError as exc:
            raise typer.BadParameter(f"{str(path)!r} is not UTF-8 text (byte {exc.start}): give a TSV "
                                     "file like data/actors/actors.tsv", param_hint="--actors") from exc
        if b"\0" in data:
            raise typer.BadParameter(f"{str(path)!r} is binary, not a TSV file", param_hint="--actors")
    return list(actors or [])


def make_coder(*, actors: list[Path] | None = None, max_chars: int = MAX_CHARS_DEFAULT,
               fail_fast: bool = False, batch_size: int | None = None) -> Coder:
    """The Coder the command's options describe; bad options are :class:`typer.BadParameter`."""
    from .coder import Coder

    files = check_actor_files(actors)
    options: dict[str, Any] = {"actor_files": files, "max_chars": max_chars, "fail_fast": fail_fast}
    if batch_size is not None:
        options["batch_size"] = batch_size
    try:
        coder = Coder(**options)
    except DotterelError as exc:
        raise typer.BadParameter(str(exc), param_hint="--max-chars") from exc
    if files:
        try:
            coder.actor_knowledge  # noqa: B018 -- load the user's files now, to refuse a bad one first
        except (DotterelError, OSError, ValueError) as exc:
            raise typer.BadParameter(str(exc), param_hint="--actors") from exc
    return coder


# -- the event filters --------------------------------------------------------------------

#: (name, annotation, default) of every filter option, in the order --help lists them.
FILTER_OPTIONS: tuple[tuple[str, Any, Any], ...] = (
    ("source", Annotated[str | None, typer.Option("--source", help="Source actor code(s), comma-separated (e.g. USA,GBR).")], None),
    ("target", Annotated[str | None, typer.Option("--target", help="Target actor code(s), comma-separated.")], None),
    ("actor", Annotated[str | None, typer.Option("--actor", help="Actor code(s) on either side.")], None),
    ("sector", Annotated[str | None, typer.Option("--sector", help="Sector code(s) on either side (GOV, MIL, ...).")], None),
    ("type", Annotated[str | None, typer.Option("--type", help="PLOVER event type(s), comma-separated.")], None),
    ("quad", Annotated[str | None, typer.Option("--quad", help="Quad class: 1-4, VC, MC, VX, MX or its name.")], None),
    ("mode", Annotated[str | None, typer.Option("--mode", help="PLOVER mode(s), comma-separated.")], None),
    ("since", Annotated[str | None, typer.Option("--since", help="First event date (YYYY-MM-DD), inclusive.")], None),
    ("until", Annotated[str | None, typer.Option("--until", help="Last event date (YYYY-MM-DD), inclusive.")], None),
    ("text", Annotated[str | None, typer.Option("--text", help="Only stories whose title or text contains these whole words, in this order (any case).")], None),
    ("include_hypothetical", Annotated[bool, typer.Option("--include-hypothetical/--exclude-hypothetical", help="Keep events flagged hypothetical.")], False),
    ("include_negated", Annotated[bool, typer.Option("--include-negated/--exclude-negated", help="Keep events flagged negated.")], False),
)

F = TypeVar("F", bound=Callable[..., Any])


def with_filters(command: F) -> F:
    """Give ``command`` every filter option; it receives them as one ``filters`` dict.

    The command declares a keyword parameter ``filters: dict[str, Any]``; the
    options left empty are not in the dict.
    """
    signature = inspect.signature(command, eval_str=True)
    kept = [p for p in signature.parameters.values() if p.name != "filters"]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
             for name, annotation, default in FILTER_OPTIONS]
    names = [name for name, _, _ in FILTER_OPTIONS]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in names if name in kwargs}
        return command(*args, filters={k: v for k, v in values.items() if v not in (None, "")}, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=kept + added)  # type: ignore[attr-defined]
    hints = {p.name: p.annotation for p in kept}
    hints.update({name: annotation for name, annotation, _ in FILTER_OPTIONS})
    wrapper.__annotations__ = hints
    return wrapper  # type: ignore[return-value]
