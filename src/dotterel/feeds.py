"""Compatibility: fetching and feeds moved to :mod:`dotterel.sources` (``sources.http``, ``sources.feeds``)."""

from __future__ import annotations

from .sources import read_sources
from .sources.feeds import (
    MAX_FEED_ITEMS,
    FeedEntry,
    entry_document,
    looks_like_feed,
    parse_feed,
    read_feed,
)
from .sources.http import USER_AGENT, Fetcher, FetchError, Page, is_public_address, is_url
from .sources.items import FEED_SUFFIXES
from .store.watch import parse_interval

__all__ = [
    "FEED_SUFFIXES",
    "MAX_FEED_ITEMS",
    "USER_AGENT",
    "FeedEntry",
    "FetchError",
    "Fetcher",
    "Page",
    "entry_document",
    "is_public_address",
    "is_url",
    "looks_like_feed",
    "parse_feed",
    "parse_interval",
    "read_feed",
    "read_sources",
]
