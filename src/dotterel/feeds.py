"""Stories from the web: polite HTTP fetching, RSS/Atom feeds, and inputs that mix URLs and files.

:class:`Fetcher` is the only thing in dotterel that talks to the network. It
sends a user agent naming dotterel, gives up on a request after ``timeout``
seconds, retries connection errors, 429 and 5xx answers with exponential
backoff (honouring ``Retry-After``), and waits ``per_host_interval`` seconds
between two requests to the same host.

:func:`read_sources` reads ``dotterel code`` inputs: ``http(s)://`` URLs (an
HTML page, or a feed whose items are fetched in turn), feed files (``.rss``,
``.atom``, ``.xml``) and everything :func:`dotterel.read.read_inputs` reads.
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

from . import __version__
from .errors import DotterelError, missing_dependency
from .read import Item, ReadDocument, Skipped, read_inputs

if TYPE_CHECKING:
    pass

#: File name endings read as feeds.
FEED_SUFFIXES = (".rss", ".atom", ".xml")
USER_AGENT = f"dotterel/{__version__} (news event coder; polite fetcher)"


class FetchError(DotterelError):
    """A URL could not be fetched (after retries); the message names the URL and why."""


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched resource."""

    url: str
    status: int
    content_type: str
    body: bytes


@dataclass
class Fetcher:
    """Polite HTTP GET: timeouts, retries with backoff, a user agent, a per-host rate limit."""

    user_agent: str = USER_AGENT
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    per_host_interval: float = 1.0
    max_bytes: int = 10_000_000
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: dict[str, float] = field(default_factory=dict, repr=False)
    _client: Any = field(default=None, repr=False)

    def _http(self) -> Any:
        if self._client is None:
            try:
                import httpx
            except ImportError as exc:
                raise missing_dependency("httpx", "web") from exc
            self._client = httpx.Client(
                headers={"User-Agent": self.user_agent}, timeout=self.timeout,
                follow_redirects=True,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _wait_for_host(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            wait = last + self.per_host_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    def get(self, url: str) -> Page:
        """Fetch ``url``; raise :class:`FetchError` when it fails for good."""
        import httpx

        client = self._http()
        host = urlsplit(url).netloc.lower()
        delay = self.backoff
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(min(delay, self.max_backoff))
                delay *= 2
            self._wait_for_host(host)
            try:
                response = client.get(url)
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}"
                continue
            if response.status_code == 429 or response.status_code >= 500:
                problem = f"HTTP {response.status_code}"
                after = _retry_after(response.headers.get("retry-after"))
                if after is not None:
                    delay = max(delay, after)
                continue
            if response.status_code >= 400:
                raise FetchError(f"{url}: HTTP {response.status_code}")
            body = response.content
            if len(body) > self.max_bytes:
                raise FetchError(f"{url}: larger than {self.max_bytes} bytes")
            return Page(str(response.url), response.status_code,
                        response.headers.get("content-type", ""), body)
        raise FetchError(f"{url}: gave up after {self.retries + 1} attempts ({problem})")


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


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
    """Fetch an entry's page and read its story (falling back to the feed's own content)."""
    from .web import read_html_bytes

    name = entry.link or entry.key
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
              on_entry: Callable[[FeedEntry, Item], None] | None = None) -> Iterator[Item]:
    """The documents of a feed's items not yet ``seen`` (keys), each page fetched."""
    for entry in parse_feed(body):
        if seen is not None and seen(entry.key):
            continue
        item = entry_document(entry, fetcher)
        if on_entry is not None:
            on_entry(entry, item)
        yield item


def read_sources(
    inputs: Iterable[str | Path],
    *,
    input_format: str | None = None,
    stdin: IO[bytes] | None = None,
    fetcher: Fetcher | None = None,
) -> Iterator[Item]:
    """Documents (and skipped items) from files, directories, ``-``, feed files and URLs, in order."""
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
            yield from read_feed(page.body, fetcher)
        else:
            from .web import read_html_bytes

            yield read_html_bytes(page.body, url=page.url, name=text)
    elif text.lower().endswith(FEED_SUFFIXES) and Path(text).is_file():
        yield from read_feed(Path(text).read_bytes(), fetcher)
    else:
        yield from read_inputs([raw], input_format=input_format, stdin=stdin)


def parse_interval(value: str | float) -> float:
    """Seconds from ``"15m"``, ``"30s"``, ``"2h"``, ``"1d"`` or a number of seconds."""
    from .errors import UsageError

    if isinstance(value, int | float):
        return float(value)
    text = value.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        if text and text[-1] in units:
            return float(text[:-1]) * units[text[-1]]
        return float(text)
    except ValueError as exc:
        raise UsageError(f"interval {value!r}: use e.g. 30s, 15m, 2h") from exc
