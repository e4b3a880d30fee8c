"""Assembling actors: the cluster each actor is built in, the story's country, the final table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Actor, Mention
from ..nlp import combined_text
from .table import ActorTable, MentionSpan

if TYPE_CHECKING:
    from ..nlp import Story
    from .describe import Tokens


@dataclass
class Cluster:
    """One actor being assembled: its mentions (token ranges) and what they say about it."""

    key: tuple[str, ...]
    kind: str
    mentions: list[tuple[int, int, str]] = field(
        default_factory=list
    )  # (first, last, mention kind)
    names: list[tuple[int, int]] = field(default_factory=list)
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    display: str | None = None
    gender: str = ""
    descriptors: list[int] = field(default_factory=list)  # descriptor tokens (title words)
    votes: Counter[str] = field(default_factory=Counter)
    local: bool = False
    agent_key: str | None = None
    possessor: int | None = None  # "his government": the possessive pronoun's token
    table_role: bool = False  # the role came from a data file, not from the text

    def fill(
        self,
        *,
        code: str | None = None,
        country: str | None = None,
        sector: str | None = None,
        role: str | None = None,
    ) -> None:
        """Set the attributes still unknown."""
        self.code = self.code or code
        self.country = self.country or country
        self.sector = self.sector or sector
        self.role = self.role or role

    @property
    def first(self) -> int:
        return min(m[0] for m in self.mentions)


def dominant_country(clusters: list[Cluster], places: frozenset[int] = frozenset()) -> str | None:
    """The story's own country: clearly the most mentioned (>= 3 mentions, >= 1.5x the next).

    Mentions starting at a token in ``places`` ("in the U.K.") are where something happens,
    not who acts, and are not counted.
    """
    counts: Counter[str] = Counter()
    for cl in clusters:
        if cl.country and cl.code == cl.country:
            counts[cl.country] += sum(
                1 for first, _, kind in cl.mentions if first not in places and kind != "demonym"
            )  # "Russian oil" is not the story being about Russia
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] < 3:
        return None
    if len(ranked) > 1 and ranked[0][1] < 1.5 * ranked[1][1]:
        return None
    return ranked[0][0]


def _mention(story: Story, text: str, start: int, end: int) -> Mention:
    """``story.mention(start, end)`` without rebuilding ``doc.text`` (slow) on every call."""
    s, e, in_title = story.locate(start, end)
    return Mention(start=s, end=e, text=text[start:end][: e - s], in_title=in_title)


def make_table(story: Story, toks: Tokens, clusters: list[Cluster]) -> ActorTable:
    """Number the clusters by first mention ("A1", ...) and build the actors and their lookups."""
    text = combined_text(story.document)[0]  # == doc.text, without walking the tokens
    live = [c for c in clusters if c.mentions]
    live.sort(key=lambda c: (c.first, c.key))
    table = ActorTable()
    tightness: dict[int, int] = {}
    for index, cl in enumerate(live):
        seen: set[tuple[int, int]] = set()
        mentions = []
        for first, last, kind in sorted(cl.mentions):
            start, end = toks.idx[first], toks.end_char(last - 1)
            if (start, end) in seen:
                continue
            seen.add((start, end))
            mentions.append(_mention(story, text, start, end))
            table.spans.append(MentionSpan(start, end, first, last, index, kind))
            span_index = len(table.spans) - 1
            for t in range(first, last):
                if t not in tightness or tightness[t] > last - first:
                    tightness[t] = last - first
                    table.token_mention[t] = span_index
        for t in cl.descriptors:
            table.token_descriptor.setdefault(t, index)
        table.actors.append(
            Actor(
                id=f"A{index + 1}",
                name=_name(toks, cl, story.body_start),
                kind=cl.kind,
                code=cl.code,
                country=cl.country,
                sector=cl.sector,
                role=cl.role,
                mentions=mentions,
            )
        )
    return table


def _name(toks: Tokens, cl: Cluster, body_start: int) -> str:
    """The fullest form of the actor in the story (the body's forms first: headlines are
    often title-cased, which misleads the tagger)."""
    if cl.display:
        return cl.display
    spans = (
        cl.names
        or [(f, la) for f, la, k in cl.mentions if k != "pronoun"]
        or [(f, la) for f, la, _ in cl.mentions]
    )
    body = [sp for sp in spans if toks.idx[sp[0]] >= body_start]
    first, last = max(
        body or spans,
        key=lambda s: (s[1] - s[0], toks.end_char(s[1] - 1) - toks.idx[s[0]], -s[0]),
    )
    return " ".join(toks.span_text(first, last).split())
