"""Dates: temporal expressions resolved against the publication date (stub, being built)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import TimeExpr

if TYPE_CHECKING:
    from .nlp import Story


def extract_dates(story: Story) -> list[TimeExpr]:
    return []
