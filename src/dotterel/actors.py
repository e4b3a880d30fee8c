"""Actors: entity mentions → merged Actor records with PLOVER codes (stub, being built)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Actor

if TYPE_CHECKING:
    from spacy.tokens import Token

    from .nlp import Story


@dataclass
class ActorKnowledge:
    """Country names, demonyms, capitals, titles, organisations: loaded once per Coder."""

    @classmethod
    def load(cls, extra_files: Sequence[str | Path] = ()) -> ActorKnowledge:
        return cls()


@dataclass
class ActorTable:
    """The actors of one story and the lookups later stages need (combined-string offsets)."""

    actors: list[Actor] = field(default_factory=list)

    def actor_at(self, start: int, end: int) -> Actor | None:
        """The actor with a mention overlapping combined-string span [start, end), if any."""
        return None

    def actor_for_token(self, token: Token) -> Actor | None:
        """The actor whose mention contains ``token`` (pronouns included), if any."""
        return None


def extract_actors(story: Story, kb: ActorKnowledge) -> ActorTable:
    return ActorTable()
