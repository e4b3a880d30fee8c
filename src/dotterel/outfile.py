"""Writing output files safely: to a temporary file beside the target, renamed on success.

A run that fails half way leaves the previous file (if any) untouched and no
truncated one; a target that is also an input is refused before anything is
read, so ``dotterel code same.jsonl -o same.jsonl`` cannot empty its input.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .errors import UsageError

#: OS errors of writing (disk full, quota, file too big, read-only media, I/O) turned into messages.
WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO, errno.EACCES}


def check_output_path(path: str | Path, *, option: str = "--output") -> Path:
    """``path`` as a Path, or :class:`UsageError` when it cannot be written to.

    Refused: a directory, and a path whose directory does not exist (named in
    the message). Nothing is created.
    """
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{option} {str(target)!r} is a directory: give a file name")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{option} {str(target)!r}: the directory {str(parent)!r} does not exist")
    return target


def refuse_overwriting_inputs(output: str | Path, inputs: Iterable[str | Path]) -> None:
    """:class:`UsageError` when ``output`` is one of ``inputs`` (or inside an input directory)."""
    target = Path(output).resolve()
    for raw in inputs:
        text = str(raw)
        if text == "-" or text.startswith(("http://", "https://")):
            continue
        source = Path(text)
        if not source.exists():
            continue
        same = target.exists() and _same_file(source, target)
        inside = source.is_dir() and target.is_relative_to(source.resolve())
        if same or (source.resolve() == target):
            raise UsageError(
                f"--output {str(output)!r} is also an input: it would be overwritten while read; "
                "write elsewhere"
            )
        if inside and target.exists() and target.name.lower().endswith(_INPUT_ENDINGS):
            raise UsageError(
                f"--output {str(output)!r} is a file of the input directory {text!r}: it would be "
                "overwritten while read; write elsewhere"
            )


#: Endings of the files read from a directory (read.SUFFIXES).
_INPUT_ENDINGS = (".jsonl", ".jsonl.gz", ".txt", ".html", ".htm")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@contextlib.contextmanager
def atomic_path(path: str | Path, *, option: str = "--output") -> Iterator[Path]:
    """A temporary path beside ``path``; renamed to ``path`` when the block ends without error.

    On an error the temporary file is removed and ``path`` keeps its old content.
    """
    target = check_output_path(path, option=option)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise UsageError(f"{option} {str(target)!r}: cannot write there ({exc.strerror or exc})") from exc
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if exc.errno not in WRITE_ERRNOS:
            raise
        raise UsageError(f"{option} {str(target)!r}: could not write ({exc.strerror or exc}); "
                         "the file was left as it was") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


@contextlib.contextmanager
def atomic_text(path: str | Path, *, option: str = "--output", newline: str | None = None) -> Iterator[IO[str]]:
    """A UTF-8 text stream whose content replaces ``path`` when the block ends without error."""
    with atomic_path(path, option=option) as temp, temp.open("w", encoding="utf-8", newline=newline) as stream:
        yield stream
