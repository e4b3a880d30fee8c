"""What every source yields: a :class:`ReadDocument` (a document as read, with any
problem found while decoding it) or a :class:`Skipped` input line or file."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..model import Document

#: File name endings read as RSS/Atom feeds (by :mod:`.feeds`; :mod:`.files` lets them pass).
FEED_SUFFIXES = (".rss", ".atom", ".xml")


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input line or file that could not be read as a document."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: skipped: {self.message}"


@dataclass(frozen=True, slots=True)
class ReadDocument:
    """A document as read, with any problem found while decoding it."""

    document: Document
    read_error: str | None = None  # a DOC_ERRORS code, e.g. "not_utf8"
    detail: str = ""


Item = ReadDocument | Skipped


_SURROGATE = re.compile("[\ud800-\udfff]")


def checked(document: Document, read_error: str | None = None, detail: str = "") -> ReadDocument:
    """``document`` ready to code, with what reading could find wrong with it.

    A lone surrogate (``"\\ud800"`` in JSON) in the text, title, id, URL or
    source cannot be written as UTF-8: it is replaced by U+FFFD (offsets are
    unchanged, one code point for one) and the document gets a ``not_utf8``
    error naming where it was.
    """
    fields = {"text": document.text, "title": document.title, "id": document.id,
              "url": document.url, "source": document.source, "language": document.language}
    bad = {k: v for k, v in fields.items() if v is not None and _SURROGATE.search(v)}
    if not bad:
        return ReadDocument(document, read_error, detail)
    where = []
    for key, value in bad.items():
        found = _SURROGATE.search(value)
        assert found is not None
        where.append(f"{key} at character {found.start()}")
    fixed = {k: _SURROGATE.sub("\ufffd", v) for k, v in bad.items()}
    document = replace(document, **fixed)
    if read_error is None:
        read_error = "not_utf8"
        detail = "lone surrogate code point in " + ", ".join(where) + " (replaced by U+FFFD)"
    return ReadDocument(document, read_error, detail)
