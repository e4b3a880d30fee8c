"""Compatibility: reading web pages moved to :mod:`dotterel.sources.html`."""

from __future__ import annotations

from .sources.html import read_html_bytes

__all__ = ["read_html_bytes"]
