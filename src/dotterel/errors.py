"""dotterel's exceptions and its one catalogue of document error codes.

Exceptions (raised to callers):

    DotterelError
    ├── InputError        a document or input record that cannot be read
    ├── UsageError        a bad argument (unknown format, missing file, ...)
    │   └── StoreError    the store cannot be opened, read or written (catalogue STORE_ERRORS)
    └── DependencyError   an optional dependency is missing (names the pip line)

Document errors are not raised: a document that cannot be coded still yields an
output record whose ``errors`` list holds ``{"code", "message"}`` entries with one
of the codes in :data:`DOC_ERRORS`.
"""

from __future__ import annotations


class DotterelError(Exception):
    """Base class of every error dotterel raises on purpose."""


class InputError(DotterelError, ValueError):
    """A document or input record is malformed."""


class UsageError(DotterelError, ValueError):
    """An argument is invalid; the message names the valid values."""


class StoreError(UsageError):
    """The store cannot be opened, read or written; ``code`` is one of :data:`STORE_ERRORS`."""

    def __init__(self, code: str, path: object, detail: str = "") -> None:
        self.code = code
        self.path = str(path)
        if code == "missing":
            text = f"no store at {self.path!r}: create it with  dotterel code INPUT --db {self.path}"
        else:
            text = f"store {self.path!r}: {STORE_ERRORS[code]}"
        super().__init__(f"{text} ({detail})" if detail else text)


class DependencyError(DotterelError, ImportError):
    """An optional dependency is not installed; the message says how to install it."""


#: Stable document error codes and what they mean. The message on each record adds detail.
DOC_ERRORS: dict[str, str] = {
    "empty_text": "the story has no text (empty or only whitespace)",
    "not_utf8": "the input bytes are not valid UTF-8",
    "binary": "the text looks like binary data (NUL or many control characters)",
    "too_long": "the story is longer than the coder's max_chars limit",
    "not_english": "the story does not look like English; dotterel codes English only",
    "internal": "the coder failed on this document; please report it with the document",
}


#: Store error codes and what they mean (see :class:`StoreError`); the message adds DuckDB's words.
STORE_ERRORS: dict[str, str] = {
    "missing": "no store at this path: create it with  dotterel code INPUT --db PATH",
    "locked": "another dotterel process kept the store locked; try again when it is done",
    "not_duckdb": "the file is not a DuckDB database (give a dotterel store, or the name of a new file)",
    "sqlite": "the file is a SQLite database, not a dotterel store; it is not opened",
    "corrupt": "the store file is truncated or damaged: restore it from a copy, or code the stories into a new store",
    "read_only": "the store cannot be written: the file, its directory or the media is read-only, or permission is denied",
    "disk_full": "the disk holding the store is full (or the file hit a size limit): free space and run again; every batch already committed is kept",
    "newer": "the store was written by a newer dotterel: upgrade dotterel to use it",
    "failed": "the store could not be read or written",
}


def doc_error_message(code: str, detail: str = "") -> str:
    """The catalogue text for ``code``, followed by ``detail`` when given."""
    base = DOC_ERRORS[code]
    return f"{base}: {detail}" if detail else base


def missing_dependency(package: str, extra: str) -> DependencyError:
    """The error for an optional dependency that is not installed."""
    return DependencyError(
        f"this feature needs the optional package {package!r}: "
        f"install it with  pip install 'dotterel[{extra}]'"
    )
