"""Actors: entity mentions → merged :class:`~dotterel.model.Actor` records with PLOVER codes.

``ActorKnowledge.load()`` reads the data files once per Coder; ``extract_actors(story, kb)``
finds every person, organisation, state and group of a story and returns an
:class:`ActorTable` (see ``docs/actors.md``).
"""

from __future__ import annotations

from .extract import extract_actors
from .knowledge import ActorKnowledge, KnowledgeError
from .table import ActorTable, MentionSpan

__all__ = ["ActorKnowledge", "ActorTable", "KnowledgeError", "MentionSpan", "extract_actors"]
