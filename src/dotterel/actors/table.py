"""The actors of one story and the lookups later stages (places, quotes, events) need."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..model import Actor

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..model import Place


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

    def without_places(self, places: Sequence[Place]) -> ActorTable:
        """This table with the actors that are only a place the gazetteer resolved settled.

        An actor with no code, sector or role whose every mention is exactly a place's
        mention carries nothing the place does not: a country's actor takes its code ("The
        C.A.R is pleading ..." → CAF), any other is dropped ("captured El Fasher", "raided
        Jenin": spaCy called the town an organisation or a person). A coded actor ("Moscow
        said") stays as it is. The rest keep their order and are numbered again ("A1", ...).
        """
        at_places = {(m.start, m.end, m.in_title): p for p in places for m in p.mentions}
        drop: set[int] = set()
        for i, a in enumerate(self.actors):
            if a.code is not None or a.sector is not None or a.role is not None or not a.mentions:
                continue
            found = [p for m in a.mentions if (p := at_places.get((m.start, m.end, m.in_title)))]
            names = sum(1 for sp in self.spans if sp.actor == i and sp.kind != "pronoun")
            if not found or len(found) != names:  # every name mention a place ("its" aside)
                continue
            countries = {p.country for p in found if p.feature == "country"}
            if len(countries) == 1 and {p.feature for p in found} == {"country"}:
                a.code = a.country = countries.pop()
                a.kind = "state"
            else:
                drop.add(i)
        if not drop:
            return self
        keep = [i for i in range(len(self.actors)) if i not in drop]
        new_actor = {old: new for new, old in enumerate(keep)}
        actors = [self.actors[i] for i in keep]
        for n, actor in enumerate(actors, start=1):
            actor.id = f"A{n}"
        kept_spans = [i for i, sp in enumerate(self.spans) if sp.actor not in drop]
        new_span = {old: new for new, old in enumerate(kept_spans)}
        return ActorTable(
            actors=actors,
            spans=[replace(self.spans[i], actor=new_actor[self.spans[i].actor]) for i in kept_spans],
            token_mention={t: new_span[i] for t, i in self.token_mention.items() if i in new_span},
            token_descriptor={t: new_actor[a] for t, a in self.token_descriptor.items() if a in new_actor},
        )
