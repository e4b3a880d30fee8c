"""Quotes: direct quotes and reported speech with speakers (stub, being built)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Quote

if TYPE_CHECKING:
    from .actors import ActorTable
    from .nlp import Story


def extract_quotes(story: Story, actors: ActorTable) -> list[Quote]:
    return []
