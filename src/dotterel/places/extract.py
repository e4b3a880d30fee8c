"""Toponyms of a story → :class:`~dotterel.model.Place` records (``docs/places.md``).

:mod:`.candidates` finds the spans that may name places, :mod:`.resolve` picks
each one's record from the story's context and drops the doubtful ones; this
module groups the mentions into one Place per distinct place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Mention, Place
from ..nlp import combined_text
from .candidates import find_candidates
from .gazetteer import ADMIN, CITY, Gazetteer
from .resolve import accept, add_choices, build_context, choose_all, person_words

if TYPE_CHECKING:
    from ..actors import ActorTable
    from ..nlp import Story


def extract_places(story: Story, gazetteer: Gazetteer, actors: ActorTable) -> list[Place]:
    """Geocode the story's toponyms: one Place per distinct place, in order of first mention.

    ``actors`` gives context only (their countries); it may be empty.
    """
    text, _ = combined_text(story.document)  # == story.doc.text, which is slow to rebuild
    candidates = find_candidates(story, text, gazetteer)
    if not candidates:
        return []
    context = build_context(candidates, actors)
    persons = person_words(story, actors)
    places: dict[str, Place] = {}
    chosen = list(zip(candidates, choose_all(candidates, context), strict=True))
    first = [(c, e) for c, e in chosen if e is not None and accept(c, e, context, persons)]
    second = add_choices(context, first)
    if second is not None:  # a second reading with the countries of the places the first one trusted
        context = second
        chosen = list(zip(candidates, choose_all(candidates, context), strict=True))
    trusted = [entry is not None and accept(cand, entry, context, persons) for cand, entry in chosen]
    # one sense per story: a name trusted once is trusted in its other mentions ("Beirut ... Beirut")
    vouched = {(cand.key, entry.ident) for (cand, entry), ok in zip(chosen, trusted, strict=True)
               if ok and entry is not None and not cand.echo}
    for (cand, entry), ok in zip(chosen, trusted, strict=True):
        if entry is None or not ((ok and not cand.echo) or (
                (cand.key, entry.ident) in vouched and cand.key not in persons and not cand.needs_country)):
            continue
        place = places.get(entry.ident)
        if place is None:
            place = places[entry.ident] = Place(
                name=entry.name,
                country=entry.country,
                admin1=entry.admin1 if entry.kind in (CITY, ADMIN) else None,
                lat=entry.lat,
                lon=entry.lon,
                geonames_id=entry.geonames_id,
                feature=entry.kind,
            )
        place.mentions.append(_mention(story, text, cand.start, cand.end))
    return list(places.values())


def _mention(story: Story, text: str, start: int, end: int) -> Mention:
    """``story.mention(start, end)`` without rebuilding ``doc.text``."""
    s, e, in_title = story.locate(start, end)
    return Mention(start=s, end=e, text=text[start : start + (e - s)], in_title=in_title)


