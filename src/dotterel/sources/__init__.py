"""Where stories come from: files, directories, standard input, web pages and feeds.

Imports run one way: ``items`` (what every source yields) ← ``html`` (pages) ←
``files`` (files, directories, stdin); ``http`` (the fetcher, the only network
code) stands alone; ``feeds`` uses ``http``, ``html`` and ``items``; this module's
:func:`read_sources` reads any mix of them, in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from ..errors import DotterelError
from .feeds import MAX_FEED_ITEMS, FeedEntry, looks_like_feed, parse_feed, read_feed
from .files import INPUT_FORMATS, check_inputs, read_inputs
from .html import read_html_bytes
from .http import Fetcher, FetchError, Page, is_url
from .items import FEED_SUFFIXES, Item, ReadDocument, Skipped, checked

__all__ = [
    "FEED_SUFFIXES",
    "INPUT_FORMATS",
    "MAX_FEED_ITEMS",
    "FeedEntry",
    "FetchError",
    "Fetcher",
    "Item",
    "Page",
    "ReadDocument",
    "Skipped",
    "check_inputs",
    "checked",
    "is_url",
    "looks_like_feed",
    "parse_feed",
    "read_feed",
    "read_html_bytes",
    "read_inputs",
    "read_sources",
]


def read_sources(
    inputs: Iterable[str | Path],
    *,
    input_format: str | None = None,
    stdin: IO[bytes] | None = None,
    fetcher: Fetcher | None = None,
) -> Iterator[Item]:
    """Documents (and skipped items) from files, directories, ``-``, feed files and URLs, in order."""
    inputs = list(inputs)
    check_inputs(inputs, input_format=input_format, stdin=stdin)  # every path, before any is read
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        for raw in inputs:
            try:
                yield from _read_source(raw, input_format=input_format, stdin=stdin, fetcher=fetcher)
            except DotterelError:
                raise
            except Exception as exc:  # a reader bug on one input must not end the run
                yield Skipped(str(raw), None, f"could not read the rest of this input: "
                                              f"{type(exc).__name__}: {exc}")
    finally:
        if own:
            fetcher.close()


def _read_source(raw: str | Path, *, input_format: str | None, stdin: IO[bytes] | None,
                 fetcher: Fetcher) -> Iterator[Item]:
    """The items of one input (URL, feed file, or what :func:`read_inputs` reads)."""
    text = str(raw)
    if is_url(text):
        try:
            page = fetcher.get(text)
        except FetchError as exc:
            yield Skipped(text, None, str(exc))
            return
        if looks_like_feed(page.body, page.content_type):
            yield from read_feed(page.body, fetcher, name=text)
        else:
            yield read_html_bytes(page.body, url=page.url, name=text)
    elif text.lower().endswith(FEED_SUFFIXES) and Path(text).is_file():
        yield from read_feed(Path(text).read_bytes(), fetcher, name=text)
    else:
        yield from read_inputs([raw], input_format=input_format, stdin=stdin)
