"""``dotterel watch``: poll feeds and code only their new items into a store."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..coder import Coder
from ..errors import UsageError
from ..model import CodedDocument
from ..sources import FeedEntry, Fetcher, FetchError, Item, ReadDocument, Skipped, is_url, read_feed
from .ingest import DEFAULT_BATCH, StoreRunSummary, code_into_store
from .schema import default_db_path
from .writer import StoreWriter, mark_feed_items, seen_feed_items

#: The shortest polling interval ``watch`` accepts, in seconds.
MIN_EVERY = 1.0


@dataclass
class Cycle:
    """What one polling round did."""

    number: int
    new_items: int = 0
    stored: int = 0
    failed_feeds: int = 0


def poll_once(feeds: Sequence[str], *, db: str | Path | None = None, coder: Coder,
              fetcher: Fetcher, batch_size: int = DEFAULT_BATCH,
              on_skip: Callable[[Skipped], None] | None = None,
              cycle: Cycle | None = None) -> Iterator[CodedDocument]:
    """One round: fetch each feed, code its unseen items into the store, remember them."""
    cycle = cycle or Cycle(1)
    path = default_db_path(db)
    writer = StoreWriter(path)
    for feed in feeds:
        try:
            body = fetcher.get(feed).body if is_url(feed) else Path(feed).read_bytes()
        except (FetchError, OSError) as exc:
            cycle.failed_feeds += 1
            if on_skip is not None:
                on_skip(Skipped(feed, None, f"could not read the feed: {exc}"))
            continue
        seen = seen_feed_items(writer, feed)
        done: list[tuple[str, str]] = []

        def remember(entry: FeedEntry, item: Item, done: list[tuple[str, str]] = done) -> None:
            if isinstance(item, ReadDocument):
                done.append((entry.key, item.document.doc_id))

        try:
            items = list(read_feed(body, fetcher, seen=seen.__contains__, on_entry=remember,
                                   name=feed))
        except Exception as exc:  # a feed that breaks the reader must not end the watch
            cycle.failed_feeds += 1
            if on_skip is not None:
                on_skip(Skipped(feed, None, f"could not read the feed: {type(exc).__name__}: {exc}"))
            continue
        cycle.new_items += len(items)
        if not items:
            continue
        summary = StoreRunSummary()
        for record in code_into_store(items, db=path, coder=coder, batch_size=batch_size,
                                      command=f"watch {feed}", on_skip=on_skip, summary=summary):
            cycle.stored += 1
            yield record
        mark_feed_items(writer, feed, done)


def watch(feeds: Sequence[str], *, db: str | Path | None = None, coder: Coder | None = None,
          every: float = 900.0, iterations: int | None = None, fetcher: Fetcher | None = None,
          batch_size: int = DEFAULT_BATCH, on_skip: Callable[[Skipped], None] | None = None,
          on_cycle: Callable[[Cycle], None] | None = None,
          sleep: Callable[[float], None] = time.sleep) -> Iterator[CodedDocument]:
    """Poll ``feeds`` every ``every`` seconds (forever, or ``iterations`` rounds), coding new items.

    ``every`` below :data:`MIN_EVERY` is refused (a tight polling loop would
    hammer the feeds' servers).
    """
    if not every >= MIN_EVERY:  # also refuses NaN
        raise UsageError(f"polling interval {every:g} s: poll at most once per {MIN_EVERY:g} s "
                         "(e.g. --every 30s, 15m)")
    coder = coder or Coder()
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        number = 0
        while iterations is None or number < iterations:
            number += 1
            started = time.monotonic()
            cycle = Cycle(number)
            yield from poll_once(feeds, db=db, coder=coder, fetcher=fetcher, batch_size=batch_size,
                                 on_skip=on_skip, cycle=cycle)
            if on_cycle is not None:
                on_cycle(cycle)
            if iterations is not None and number >= iterations:
                break
            sleep(max(0.0, every - (time.monotonic() - started)))
    finally:
        if own:
            fetcher.close()


def parse_interval(value: str | float) -> float:
    """Seconds from ``"15m"``, ``"30s"``, ``"2h"``, ``"1d"`` or a number of seconds."""
    if isinstance(value, int | float):
        return float(value)
    text = value.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        seconds = float(text[:-1]) * units[text[-1]] if text and text[-1] in units else float(text)
    except ValueError as exc:
        raise UsageError(f"interval {value!r}: use e.g. 30s, 15m, 2h") from exc
    if not math.isfinite(seconds) or seconds < 0:
        raise UsageError(f"interval {value!r}: use e.g. 30s, 15m, 2h")
    return seconds
