"""The actors of one story and the lookups later stages (places, quotes, events) need."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Actor

if TYPE_CHECKING:
    from spacy.tokens import Token


@dataclass(frozen=True, slots=True)
class MentionSpan:
    """One mention in combined-string offsets (``story.doc``), with its tokens [first, last)."""

    start: int
    end: int
    first: int
    last: int
    actor: int  # index into ActorTable.actors
    kind: str  # name | nominal | pronoun | state


@dataclass
class ActorTable:
    """The actors of one story and the lookups later stages need (combined-string offsets).

    ``actors`` are in order of first mention (ids "A1", "A2", ...). All offsets taken and
    returned by the methods are offsets into the combined title + body string that
    ``story.doc`` was parsed from; convert with ``story.mention`` / ``story.span``.
    """

    actors: list[Actor] = field(default_factory=list)
    spans: list[MentionSpan] = field(default_factory=list)
    #: token index → index into ``spans`` of the tightest mention containing it.
    token_mention: dict[int, int] = field(default_factory=dict)
    #: token index → actor index for descriptor tokens outside a mention
    #: (the title and country words of "Kazakh President Kassym-Jomart Tokayev").
    token_descriptor: dict[int, int] = field(default_factory=dict)

    def actor_at(self, start: int, end: int) -> Actor | None:
        """The actor with a mention overlapping combined-string span [start, end), if any.

        A mention containing the span is preferred over one merely overlapping it; among
        those, the tightest (shortest) wins, then the earliest.
        """
        best: tuple[int, int, int] | None = None
        found: MentionSpan | None = None
        for span in self.spans:
            if span.start >= end or span.end <= start:
                continue
            contains = 0 if span.start <= start and end <= span.end else 1
            key = (contains, span.end - span.start, span.start)
            if best is None or key < best:
                best, found = key, span
        return self.actors[found.actor] if found is not None else None

    def actor_for_token(self, token: Token) -> Actor | None:
        """The actor whose mention contains ``token`` (pronouns included when resolved), if any.

        Title and country words in front of a name ("President" in "Russian President
        Vladimir Putin") also give the named actor.
        """
        index = self.token_mention.get(token.i)
        if index is not None:
            return self.actors[self.spans[index].actor]
        actor = self.token_descriptor.get(token.i)
        return self.actors[actor] if actor is not None else None

    def mention_span_for_token(self, token: Token) -> tuple[int, int] | None:
        """Combined-string (start, end) of the tightest mention containing ``token``, or None."""
        index = self.token_mention.get(token.i)
        if index is None:
            return None
        span = self.spans[index]
        return span.start, span.end

    def actors_in(self, start: int, end: int) -> list[Actor]:
        """Actors with a mention lying inside combined-string span [start, end), in order of first mention."""
        seen = sorted({s.actor for s in self.spans if start <= s.start and s.end <= end})
        return [self.actors[i] for i in seen]

    def mention_spans(self, actor_id: str) -> list[tuple[int, int]]:
        """Combined-string (start, end) of every mention of the actor with id ``actor_id``, in order."""
        return [(s.start, s.end) for s in self.spans if self.actors[s.actor].id == actor_id]

    def by_id(self, actor_id: str) -> Actor | None:
        """The actor with id ``actor_id`` ("A3"), if any."""
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        return None
