"""RSS and Atom feeds: their items, each item's page fetched and read."""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from ..errors import DependencyError, DotterelError, missing_dependency
from .html import read_html_bytes
from .http import Fetcher, FetchError
from .items import Item, ReadDocument, Skipped

#: Items read from one feed at most; the rest are reported, not fetched.
MAX_FEED_ITEMS = 200


def looks_like_feed(body: bytes, content_type: str = "") -> bool:
    """True for RSS/Atom (by content type, or by the first element of the document)."""
    kind = content_type.lower()
    if any(t in kind for t in ("rss", "atom")):
        return True
    head = body[:2048].lstrip().lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2 :].lstrip()
        while head.startswith(b"<!--"):
            head = head[head.find(b"-->") + 3 :].lstrip()
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item: its stable key (guid, else link), link, title and date."""

    key: str
    link: str | None
    title: str | None
    published: str | None
    content_html: str | None


def parse_feed(body: bytes) -> list[FeedEntry]:
    """The items of an RSS or Atom document, in feed order."""
    try:
        import feedparser
    except ImportError as exc:
        raise missing_dependency("feedparser", "web") from exc
    parsed = feedparser.parse(body)
    entries = []
    for entry in parsed.entries:
        link = entry.get("link") or None
        key = entry.get("id") or link or entry.get("title")
        if not key:
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = None
        if when is not None:
            published = time.strftime("%Y-%m-%d", time.gmtime(calendar.timegm(when)))
        content = None
        if entry.get("content"):
            content = entry["content"][0].get("value")
        entries.append(FeedEntry(str(key), link, entry.get("title"), published,
                                 content or entry.get("summary")))
    return entries


def entry_document(entry: FeedEntry, fetcher: Fetcher) -> Item:
    """Fetch an entry's page and read its story (falling back to the feed's own content).

    Never raises for one item: whatever goes wrong is that item's :class:`Skipped`.
    """
    name = entry.link or entry.key
    try:
        return _entry_document(entry, fetcher, name)
    except DependencyError:
        raise
    except DotterelError as exc:
        return Skipped(name, None, f"could not read the item: {exc}")
    except Exception as exc:  # e.g. the HTML extractor failing on a hostile page
        return Skipped(name, None, f"could not read the item: {type(exc).__name__}: {exc}")


def _entry_document(entry: FeedEntry, fetcher: Fetcher, name: str) -> Item:
    problem = "the item has no link"
    item: Item | None = None
    if entry.link:
        try:
            page = fetcher.get(entry.link)
            item = read_html_bytes(page.body, url=page.url, name=entry.link)
        except FetchError as exc:
            problem = str(exc)
    if (item is None or isinstance(item, Skipped)) and entry.content_html:
        html = f"<html><body><article><p>{entry.content_html}</p></article></body></html>"
        item = read_html_bytes(html.encode("utf-8"), url=entry.link, name=name)
    if item is None:
        return Skipped(name, None, f"could not fetch the item: {problem}")
    if isinstance(item, Skipped):
        return item
    doc = item.document
    doc = replace(doc, id=entry.link or entry.key, title=doc.title or entry.title,
                  pub_date=doc.pub_date or entry.published, url=doc.url or entry.link)
    return ReadDocument(doc, item.read_error, item.detail)


def read_feed(body: bytes, fetcher: Fetcher, *, seen: Callable[[str], bool] | None = None,
              on_entry: Callable[[FeedEntry, Item], None] | None = None,
              max_items: int = MAX_FEED_ITEMS, name: str = "<feed>") -> Iterator[Item]:
    """The documents of a feed's items not yet ``seen`` (keys), each page fetched.

    At most ``max_items`` items are read; the others are reported in one
    :class:`Skipped` item (a hostile feed cannot keep the run busy for hours).
    """
    entries = parse_feed(body)
    for n, entry in enumerate(entries):
        if n >= max_items:
            yield Skipped(name, None, f"the feed lists {len(entries)} items: only the first "
                                      f"{max_items} are read")
            return
        if seen is not None and seen(entry.key):
            continue
        item = entry_document(entry, fetcher)
        if on_entry is not None:
            on_entry(entry, item)
        yield item
