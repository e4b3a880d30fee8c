"""Event filters and aggregates as SQL over the store (the same names as the CLI options)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from ..errors import UsageError
from ..model import normalize_pub_date
from . import words
from .rows import QUAD_CLASS

#: Short quad names accepted by ``quad`` besides the contract's words and numbers 1–4.
QUAD_ALIASES = {"vc": 1, "mc": 2, "vx": 3, "mx": 4}
AGGREGATE_BY = ("dyad", "type", "quad", "source", "target")
PERIODS = ("day", "week", "month", "year")
#: Aggregates group by a period key, cheap to compute and to hash (ISO year and week as
#: yyyyww, yyyymm, yyyy) ...
PERIOD_KEY = {
    "day": "e.event_date",
    "week": "yearweek(e.event_date)",
    "month": "year(e.event_date) * 100 + month(e.event_date)",
    "year": "year(e.event_date)",
}
#: ... and turn it into the first day of the period only for the result rows (the same
#: dates as ``date_trunc(per, event_date)::DATE``; weeks start on Monday, ISO).
PERIOD_START = {
    "day": "pkey",
    "week": "(make_date(pkey // 100, 1, 4) - (isodow(make_date(pkey // 100, 1, 4)) - 1)::INTEGER"
            " + ((pkey % 100 - 1) * 7)::INTEGER)",
    "month": "make_date(pkey // 100, pkey % 100, 1)",
    "year": "make_date(pkey, 1, 1)",
}


@dataclass(frozen=True)
class EventFilter:
    """Which events a query, aggregate or export takes. Every field is optional.

    ``source``/``target``/``actor`` match actor codes (country or country-slot
    code, e.g. ``USA``, ``UNO``) on that side / either side; ``sector`` matches
    either side's sector. ``since``/``until`` bound the event date (inclusive,
    ``YYYY-MM-DD``); ``text`` keeps stories whose title or text contains it
    as whole words, any case (:meth:`text_docs`). Negated and hypothetical events are left out unless asked for.
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
        # codes and sectors are matched on the delimited strings of the events table
        # (`;USA;GBR;`, schema version 3): the same result as list_contains on the list
        # columns, and several times cheaper to scan
        for name, value, columns in (
                ("source", self.source, ("source_key",)), ("target", self.target, ("target_key",)),
                ("actor", self.actor, ("source_key", "target_key")),
                ("sector", self.sector, ("source_sector_key", "target_sector_key"))):
            if value:
                codes = _codes(value, name)
                conds.append("(" + " OR ".join(
                    f"contains({alias}.{column}, ?)" for column in columns for _ in codes) + ")")
                params += [f";{code};" for _ in columns for code in codes]
        if self.type:
            codes = _codes(self.type, "type")
            conds.append(f"{alias}.event_type IN ({', '.join('?' for _ in codes)})")
            params += codes
        if self.quad is not None and self.quad != "":
            conds.append(f"{alias}.quad_class = ?")
            params.append(quad_class(self.quad))
        if self.mode:
            modes = [m.strip() for m in self.mode.split(",") if m.strip()]
            if not modes:
                raise UsageError(f"--mode {self.mode!r}: give at least one mode, comma-separated")
            conds.append(f"{alias}.mode IN ({', '.join('?' for _ in modes)})")
            params += modes
        if self.since:
            conds.append(f"{alias}.event_date >= CAST(? AS DATE)")
            params.append(_date(self.since, "since"))
        if self.until:
            conds.append(f"{alias}.event_date <= CAST(? AS DATE)")
            params.append(_date(self.until, "until"))
        if self.text:
            docs, text_params = self.text_docs()
            conds.append(f"{alias}.doc_id IN ({docs})")
            params += text_params
        if not self.include_hypothetical:
            conds.append(f"NOT {alias}.hypothetical")
        if not self.include_negated:
            conds.append(f"NOT {alias}.negated")
        return (" AND ".join(conds) or "TRUE"), params


    def text_docs(self) -> tuple[str, list[Any]]:
        """SELECT of the doc_ids kept by ``text``: title or text contains it as whole words.

        "Whole words, in that order, any case": ``text`` must occur in the title
        or the text (case-insensitive), not starting or ending inside a word of
        the story (words.phrase_pattern): ``ceasefire`` matches "A Ceasefire.",
        ``cease`` does not. The stories having every word of ``text`` come from
        the word index (``doc_words``, schema version 4); only they are checked
        with the pattern, and a one-word ``text`` needs no check. A ``text`` without any word character (e.g. ``--``)
        is a plain case-insensitive substring search over every story.
        """
        text = self.text or ""
        hashes = words.query_hashes(text)
        if not hashes:
            # ILIKE without ESCAPE takes DuckDB's fast path; % and _ are escaped only when present
            escape = "" if not re.search(r"[\\%_]", text) else " ESCAPE '\\'"
            pattern = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
            return (f"SELECT doc_id FROM documents WHERE text ILIKE ?{escape} OR title ILIKE ?{escape}",
                    [pattern, pattern])
        # one lookup per word, each in the one partition table holding its hash
        lookups = " UNION ALL ".join(f"SELECT doc_id FROM {words.part_table(h)} WHERE word_hash = ?"
                                     for h in hashes)
        candidates = f"SELECT doc_id, count(*) AS n FROM ({lookups}) GROUP BY doc_id HAVING count(*) = ?"
        if words.WORD.fullmatch(text):
            # one whole word: the index alone answers
            return f"SELECT doc_id FROM ({candidates})", [*hashes, len(hashes)]
        # `c.n > 0` (always true) ties the pattern to the candidates, so that DuckDB cannot push
        # it down to a scan of every document
        pattern = words.phrase_pattern(text)
        cond = (
            f"SELECT c.doc_id FROM ({candidates}) c JOIN documents d2 ON d2.doc_id = c.doc_id "
            "WHERE regexp_matches(CASE WHEN c.n > 0 THEN d2.text END, ?) "
            "OR regexp_matches(CASE WHEN c.n > 0 THEN coalesce(d2.title, '') END, ?)"
        )
        return cond, [*hashes, len(hashes), pattern, pattern]



def _codes(value: str, name: str) -> list[str]:
    """The comma-separated codes of ``value``; an empty list (``","``, ``" , "``) is refused."""
    codes = [v.strip().upper() for v in value.split(",") if v.strip()]
    if not codes:
        raise UsageError(f"--{name} {value!r}: give at least one code, comma-separated (e.g. USA,GBR)")
    return codes


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
    e.num_articles, e.num_sources, d.pub_date, d.url, d.source AS outlet, d.title, e.sentence
"""


def top_eids_sql(flt: EventFilter, limit: int, *, after: str | None = None) -> tuple[str, list[Any]]:
    """Keys of the newest ``limit`` matching events (a narrow scan and a top-N sort).

    ``after`` (``YYYY-MM-DD``) adds ``event_date >= after``, a condition DuckDB
    checks against each row group's min/max dates before reading it.
    """
    where, params = flt.where("e")
    if after is not None:
        where += " AND e.event_date >= CAST(? AS DATE)"
        params.append(after)
    return (f"SELECT e.eid FROM events e WHERE {where} "
            f"ORDER BY e.event_date DESC NULLS LAST, e.eid LIMIT {int(limit)}"), params


#: :func:`newest_eids` first looks among the newest ``limit`` times this many events of the store.
WINDOW = 64


#: Share of the events table (whole vectors of rows, fixed seed) sampled to place the window.
WINDOW_SAMPLE = "2 PERCENT (system, 7)"


def _window_start(con: Any, flt: EventFilter, size: int) -> str | None:
    """About the date of the ``size``-th newest event within since/until, from a sample.

    None when the sample suggests the store holds fewer such events. Only how
    much the window saves depends on this estimate, never the answer.
    """
    conds, params = ["event_date IS NOT NULL"], []
    if flt.since:
        conds.append("event_date >= CAST(? AS DATE)")
        params.append(_date(flt.since, "since"))
    if flt.until:
        conds.append("event_date <= CAST(? AS DATE)")
        params.append(_date(flt.until, "until"))
    total = int(con.execute("SELECT count(*) FROM events").fetchall()[0][0])
    sampled, dates = con.execute(
        f"SELECT count(*), list(event_date ORDER BY event_date DESC) FILTER (WHERE {' AND '.join(conds)}) "
        f"FROM events USING SAMPLE {WINDOW_SAMPLE}", params).fetchall()[0]
    if not total or not sampled or not dates:
        return None
    rank = int(size * sampled / total)
    return str(dates[rank].isoformat()) if rank < len(dates) else None


def newest_eids(con: Any, flt: EventFilter, limit: int) -> list[int]:
    """Keys of the newest ``limit`` events matching ``flt``, in the order of :func:`events_sql`.

    Looks first within a window, "event date on or after the date of the
    N-th newest event" (N = 64 × ``limit``, found by a one-column top-N), then
    in the whole table. When the window holds ``limit`` matching events they
    are exactly the newest ``limit`` (every event outside it is older). On a
    store filled roughly in date order DuckDB reads only the row groups whose
    dates reach into the window (min/max zone maps).
    """
    if limit <= 0:
        return []
    # with `text` every story is searched whatever the window: no gain in trying one first
    after = None if flt.text else _window_start(con, flt, limit * WINDOW)
    if after is not None:
        sql, params = top_eids_sql(flt, limit, after=after)
        found = [int(r[0]) for r in con.execute(sql, params).fetchall()]
        if len(found) >= limit:
            return found
    sql, params = top_eids_sql(flt, limit)
    return [int(r[0]) for r in con.execute(sql, params).fetchall()]


#: The rows of :func:`events_sql` for given event keys (from :func:`newest_eids`); the key
#: range lets DuckDB skip row groups.
EVENTS_BY_EID = (
    f"SELECT {EVENT_SELECT} FROM events e JOIN documents d USING (doc_id) "
    "WHERE e.eid BETWEEN ? AND ? AND e.eid IN (SELECT unnest(?)) "
    "ORDER BY e.event_date DESC NULLS LAST, e.eid"
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
    sides = [side for side in ("source", "target") if "dyad" in by or side in by]
    # (inner column, outer key) pairs: the period as an integer key (see PERIOD_KEY), codes
    # grouped as their delimited key first and split into single codes only after the
    # first aggregation
    groups: list[tuple[str, str]] = []
    if per is not None:
        groups.append((f"{PERIOD_KEY[per]} AS pkey", "pkey"))
    groups += [(f"e.{side}_key", side) for side in sides]
    if "type" in by:
        groups.append(("e.event_type", "event_type"))
    if "quad" in by:
        groups.append(("e.quad", "quad"))
    keys = [key for _, key in groups]

    def split(sql: str) -> str:
        # one subquery per side: two unnests in one SELECT would pair codes up, not cross them
        for side in sides:
            sql = (f"SELECT * EXCLUDE ({side}_key), unnest(CASE WHEN coalesce({side}_key, '') = '' "
                   f"THEN [NULL] ELSE string_split(trim({side}_key, ';'), ';') END) AS {side} "
                   f"FROM ({sql})")
        return sql

    group = ", ".join(keys)
    if distinct:
        # distinct counts cannot be summed from groups: split codes row by row
        columns = ["e.score", "e.event_key", "e.cluster_id", *(c for c, _ in groups)]
        base = split(f"SELECT {', '.join(columns)} FROM events e WHERE {where}")
        measures = ["count(*) AS events",
                    "count(DISTINCT hash(cluster_id, event_key)) AS distinct_events",
                    "count(DISTINCT cluster_id) AS stories",
                    "round(sum(score), 2) AS score_sum", "round(avg(score), 3) AS score_mean"]
    else:
        inner_keys = [c for c, _ in groups]
        sums = ["count(*) AS n", "sum(e.score) AS s", "count(e.score) AS c"]
        inner = (f"SELECT {', '.join([*inner_keys, *sums])} FROM events e WHERE {where}"
                 + (" GROUP BY ALL" if inner_keys else ""))
        base = split(inner)
        measures = ["sum(n)::BIGINT AS events", "round(sum(s), 2) AS score_sum",
                    "round(sum(s) / sum(c), 3) AS score_mean"]
    shown = [f"{PERIOD_START[per]} AS period" if key == "pkey" and per else key for key in keys]
    sql = f"SELECT {', '.join([*shown, *measures])} FROM ({base}) "
    if group:
        sql += f"GROUP BY {group} ORDER BY {group}"
    return sql, params
