"""Events: PLOVER event coding (stub, being built)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .model import Event, Place, Quote, TimeExpr

if TYPE_CHECKING:
    from .actors import ActorTable
    from .nlp import Story


def extract_events(
    story: Story,
    actors: ActorTable,
    places: Sequence[Place],
    dates: Sequence[TimeExpr],
    quotes: Sequence[Quote],
) -> list[Event]:
    return []
