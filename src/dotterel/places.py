"""Places: toponyms → gazetteer records (stub, being built)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import Place

if TYPE_CHECKING:
    from .actors import ActorTable
    from .nlp import Story


@dataclass
class Gazetteer:
    @classmethod
    def load(cls) -> Gazetteer:
        return cls()


def extract_places(story: Story, gazetteer: Gazetteer, actors: ActorTable) -> list[Place]:
    return []
