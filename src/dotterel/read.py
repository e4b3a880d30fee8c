"""Compatibility: reading files moved to :mod:`dotterel.sources` (``sources.files``, ``sources.items``)."""

from __future__ import annotations

from .sources.files import (
    INPUT_FORMATS,
    SUFFIXES,
    TITLE_MAX_CHARS,
    check_inputs,
    format_for,
    read_directory,
    read_file,
    read_inputs,
    read_jsonl_stream,
    read_txt_bytes,
    split_title,
)
from .sources.items import Item, ReadDocument, Skipped, checked

__all__ = [
    "INPUT_FORMATS",
    "SUFFIXES",
    "TITLE_MAX_CHARS",
    "Item",
    "ReadDocument",
    "Skipped",
    "check_inputs",
    "checked",
    "format_for",
    "read_directory",
    "read_file",
    "read_inputs",
    "read_jsonl_stream",
    "read_txt_bytes",
    "split_title",
]
