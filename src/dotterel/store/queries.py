"""Event filters and aggregates as SQL over the store (the same names as the CLI options)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from ..errors import UsageError
from ..model import normalize_pub_date
from .rows import QUAD_CLASS

#: Short quad names accepted by ``quad`` besides the contract's words and numbers 1–4.
QUAD_ALIASES = {"vc": 1, "mc": 2, "vx": 3, "mx": 4}
AGGREGATE_BY = ("dyad", "type", "quad", "source", "target")
PERIODS = ("day", "week", "month", "year")


@dataclass(frozen=True)
class EventFilter:
    """Which events a query, aggregate or export takes. Every field is optional.

    ``source``/``target``/``actor`` match actor codes (country or country-slot
    code, e.g. ``USA``, ``UNO``) on that side / either side; ``sector`` matches
    either side's sector. ``since``/``until`` bound the event date (inclusive,
    ``YYYY-MM-DD``); ``text`` keeps stories whose title or text contains it
    (case-insensitive). Negated and hypothetical events are left out unless asked for.
    """

    source: str | None = None
    target: str | None = None
    actor: str | None = None
    sector: str | None = None
    type: str | None = None
    quad: str | int | None = None
    mode: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None
    include_hypothetical: bool = False
    include_negated: bool = False

    @classmethod
    def of(cls, **options: Any) -> EventFilter:
        """Build from keyword options, rejecting unknown names with the list of valid ones."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - names)
        if unknown:
            raise UsageError(f"unknown filter {unknown[0]!r}: use {', '.join(sorted(names))}")
        return cls(**options)

    def where(self, alias: str = "e") -> tuple[str, list[Any]]:
        """SQL condition on ``events AS alias`` (joined to ``documents AS d`` for ``text``)."""
        conds: list[str] = []
        params: list[Any] = []
        # codes and sectors are matched on the events table's list columns (a copy of
        # event_actors kept for speed: a scan beats a semi-join for frequent codes)
        for value, columns in ((self.source, ("source_codes",)), (self.target, ("target_codes",)),
                               (self.actor, ("source_codes", "target_codes")),
                               (self.sector, ("source_sectors", "target_sectors"))):
            if value:
                codes = _codes(value)
                conds.append("(" + " OR ".join(
                    f"list_contains({alias}.{column}, ?)" for column in columns for _ in codes) + ")")
                params += [code for _ in columns for code in codes]
        if self.type:
            codes = _codes(self.type)
            conds.append(f"{alias}.event_type IN ({', '.join('?' for _ in codes)})")
            params += codes
        if self.quad is not None and self.quad != "":
            conds.append(f"{alias}.quad_class = ?")
            params.append(quad_class(self.quad))
        if self.mode:
            modes = [m.strip() for m in self.mode.split(",") if m.strip()]
            conds.append(f"{alias}.mode IN ({', '.join('?' for _ in modes)})")
            params += modes
        if self.since:
            conds.append(f"{alias}.event_date >= CAST(? AS DATE)")
            params.append(_date(self.since, "since"))
        if self.until:
            conds.append(f"{alias}.event_date <= CAST(? AS DATE)")
            params.append(_date(self.until, "until"))
        if self.text:
            # ILIKE without ESCAPE takes DuckDB's fast path; % and _ are escaped only when present
            escape = "" if not re.search(r"[\\%_]", self.text) else " ESCAPE '\\'"
            pattern = "%" + re.sub(r"([\\%_])", r"\\\1", self.text) + "%"
            conds.append(
                f"{alias}.doc_id IN (SELECT doc_id FROM documents "
                f"WHERE text ILIKE ?{escape} OR title ILIKE ?{escape})"
            )
            params += [pattern, pattern]
        if not self.include_hypothetical:
            conds.append(f"NOT {alias}.hypothetical")
        if not self.include_negated:
            conds.append(f"NOT {alias}.negated")
        return (" AND ".join(conds) or "TRUE"), params


def _codes(value: str) -> list[str]:
    return [v.strip().upper() for v in value.split(",") if v.strip()]


def _date(value: str, name: str) -> str:
    try:
        out = normalize_pub_date(value)
    except ValueError as exc:
        raise UsageError(f"--{name} {value!r}: use a date like 2025-01-31") from exc
    assert out is not None
    return out


def quad_class(value: str | int) -> int:
    """1–4 from a number, a contract quad name ("verbal conflict") or VC/MC/VX/MX."""
    text = str(value).strip().lower().replace("_", " ").replace("-", " ")
    if text in {"1", "2", "3", "4"}:
        return int(text)
    if text in QUAD_CLASS:
        return QUAD_CLASS[text]
    if text in QUAD_ALIASES:
        return QUAD_ALIASES[text]
    raise UsageError(
        f"quad {value!r}: use 1-4, VC, MC, VX, MX or one of {', '.join(QUAD_CLASS)}"
    )


#: The columns of :meth:`Store.events` (documented in docs/store.md).
EVENT_SELECT = """
    e.doc_id, e.event_id, e.event_date, e.date, e.date_precision, e.event_type, e.mode,
    e.quad, e.quad_class, e.score, e.cameo,
    array_to_string(e.source_codes, ';') AS source, array_to_string(e.target_codes, ';') AS target,
    array_to_string(e.source_sectors, ';') AS source_sector,
    array_to_string(e.target_sectors, ';') AS target_sector,
    e.trigger_text AS trigger, e.location_name AS location, e.location_country,
    e.location_lat, e.location_lon, e.negated, e.hypothetical, e.confidence,
    e.num_articles, e.num_sources, d.pub_date, d.url, d.source AS outlet, d.title,
    substring(CASE WHEN e.in_title THEN d.title ELSE d.text END,
              e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence
"""


#: The event-table part of :data:`EVENT_SELECT` (for the two-step limited query).
EVENT_ONLY_SELECT = """
    e.doc_id, e.event_id, e.event_date, e.date, e.date_precision, e.event_type, e.mode,
    e.quad, e.quad_class, e.score, e.cameo,
    array_to_string(e.source_codes, ';') AS source, array_to_string(e.target_codes, ';') AS target,
    array_to_string(e.source_sectors, ';') AS source_sector,
    array_to_string(e.target_sectors, ';') AS target_sector,
    e.trigger_text AS trigger, e.location_name AS location, e.location_country,
    e.location_lat, e.location_lon, e.negated, e.hypothetical, e.confidence,
    e.num_articles, e.num_sources, e.in_title, e.sentence_start, e.sentence_end
"""


def top_eids_sql(flt: EventFilter, limit: int) -> tuple[str, list[Any]]:
    """The keys of the newest ``limit`` matching events (a narrow scan and a top-N sort)."""
    where, params = flt.where("e")
    return (f"SELECT e.eid FROM events e WHERE {where} "
            f"ORDER BY e.event_date DESC NULLS LAST, e.eid LIMIT {int(limit)}"), params


#: Rows of :data:`EVENT_ONLY_SELECT` for given keys; the key range lets DuckDB skip row groups.
EVENTS_BY_EID = (
    f"SELECT {EVENT_ONLY_SELECT} FROM events e WHERE e.eid BETWEEN ? AND ? "
    "AND e.eid IN (SELECT unnest(?)) ORDER BY e.event_date DESC NULLS LAST, e.eid"
)


def events_sql(flt: EventFilter, *, limit: int | None = None) -> tuple[str, list[Any]]:
    """The SELECT behind ``query`` and the exports: one row per event, newest first."""
    where, params = flt.where("e")
    sql = (f"SELECT {EVENT_SELECT} FROM events e JOIN documents d USING (doc_id) WHERE {where} "
           "ORDER BY e.event_date DESC NULLS LAST, e.eid")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return sql, params


def aggregate_sql(flt: EventFilter, *, by: Sequence[str] = ("dyad",), per: str | None = "month",
                  distinct: bool = False) -> tuple[str, list[Any]]:
    """Counts and PLOVER-score sums grouped by ``by`` (dyad, type, quad, source, target) per period.

    A compound actor counts once for each of its codes, so an event of
    ``USA;GBR → IRQ`` adds to both the USA→IRQ and the GBR→IRQ dyads; an event
    without a target has target NULL. With ``distinct``, two more columns:
    ``distinct_events`` counts the same event reported by near-duplicate
    stories once, ``stories`` counts distinct stories (near-duplicate groups).
    """
    bad = [b for b in by if b not in AGGREGATE_BY]
    if bad:
        raise UsageError(f"cannot aggregate by {bad[0]!r}: use {', '.join(AGGREGATE_BY)}")
    if per is not None and per not in PERIODS:
        raise UsageError(f"period {per!r}: use {', '.join(PERIODS)}")
    where, params = flt.where("e")
    keys: list[str] = []
    columns = ["e.score", "e.event_key", "e.cluster_id"]
    if per is not None:
        columns.append(f"date_trunc('{per}', e.event_date)::DATE AS period")
        keys.append("period")
    sides = [side for side in ("source", "target")
             if "dyad" in by or side in by]
    keys += sides
    if "type" in by:
        columns.append("e.event_type")
        keys.append("event_type")
    if "quad" in by:
        columns.append("e.quad")
        keys.append("quad")
    if sides:
        # single-code sides (most events) read the first list element; compound ones are unnested
        simple = " AND ".join(f"len(e.{side}_codes) <= 1" for side in sides)
        first = [f"e.{side}_codes[1] AS {side}" for side in sides]
        base = f"SELECT {', '.join(columns + first)} FROM events e WHERE ({where}) AND {simple}"
        inner = f"SELECT {', '.join(columns + [f'e.{s}_codes' for s in sides])} FROM events e " \
                f"WHERE ({where}) AND NOT ({simple})"
        for side in sides:
            inner = (f"SELECT * EXCLUDE ({side}_codes), unnest(CASE WHEN len({side}_codes) = 0 "
                     f"THEN [NULL] ELSE {side}_codes END) AS {side} FROM ({inner}) e")
        base = f"{base} UNION ALL BY NAME {inner}"
        params = params + params
    else:
        base = f"SELECT {', '.join(columns)} FROM events e WHERE {where}"
    group = ", ".join(keys)
    measures = ["count(*) AS events"]
    if distinct:
        measures += ["count(DISTINCT hash(cluster_id, event_key)) AS distinct_events",
                     "count(DISTINCT cluster_id) AS stories"]
    measures += ["round(sum(score), 2) AS score_sum", "round(avg(score), 3) AS score_mean"]
    sql = f"SELECT {group + ', ' if group else ''}{', '.join(measures)} FROM ({base}) "
    if group:
        sql += f"GROUP BY {group} ORDER BY {group}"
    return sql, params
