"""What the API and the dashboard show, read from the store with its own queries.

Every function takes a :class:`Catalog` (the open store plus a small response
cache) and an :class:`~dotterel.store.EventFilter`, and returns plain JSON-able
dicts and lists: route handlers only parse parameters and call one of these.
All SQL is the store's (``EventFilter.where``, ``aggregate_sql``,
``newest_eids``) or parameterised here; no value is ever pasted into SQL.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..model import CodedDocument
from ..ontology import QUAD_NAMES
from ..store import Store
from ..store.queries import (
    AGGREGATE_BY,
    EVENT_SELECT,
    PERIODS,
    EventFilter,
    aggregate_sql,
    newest_eids,
)
from ..store.schema import scalar, schema_version
from ..store.writer import StoreWriter, WriteResult
from .records import stored_record

#: The largest page of events one request may ask for.
MAX_LIMIT = 1000
#: Quad classes 1–4 and their names (as the contract writes them).
QUADS = QUAD_NAMES



def _select_items(select: str) -> list[str]:
    """The items of a SELECT list (commas inside parentheses or quotes do not split)."""
    items, depth, quoted, current = [], 0, False, ""
    for ch in select:
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch in "([":
            depth += 1
        elif not quoted and ch in ")]":
            depth -= 1
        if ch == "," and depth == 0 and not quoted:
            items.append(current.strip())
            current = ""
        else:
            current += ch
    return [*items, current.strip()] if current.strip() else items


def _name(item: str) -> str:
    return item.rsplit(" AS ", 1)[1].strip() if " AS " in item else item.split(".")[-1].strip()


#: The columns of ``dotterel query`` (the store's EVENT_SELECT), split by the table they come from.
_ITEMS = _select_items(EVENT_SELECT)
EVENT_COLUMNS = [_name(i) for i in _ITEMS]
_DOC_ITEMS = [i for i in _ITEMS if i.startswith("d.")]
#: Events by key, with the key itself, without their documents' columns ...
EVENTS_BY_EID = (
    f"SELECT e.eid, {', '.join(i for i in _ITEMS if not i.startswith('d.'))} FROM events e "
    "WHERE e.eid BETWEEN ? AND ? AND e.eid IN (SELECT unnest(?)) "
    "ORDER BY e.event_date DESC NULLS LAST, e.eid"
)
#: ... which are looked up by document id (a join would scan the documents table: several times slower).
DOCUMENT_COLUMNS = (f"SELECT d.doc_id AS doc_key, {', '.join(_DOC_ITEMS)} FROM documents d "
                    "WHERE d.doc_id IN (SELECT unnest(?))")


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def rows(con: Any, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """A query's rows as dicts of JSON-able values."""
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [{n: _json_value(v) for n, v in zip(names, row, strict=True)} for row in cur.fetchall()]


class Catalog:
    """The store the server reads, with an LRU cache of answers valid until the file changes.

    The cache key includes the store file's size and modification time (and
    its WAL's), so a ``dotterel code --db`` writing meanwhile makes every
    cached answer stale at its next commit. ``cache_size=0`` turns it off.
    """

    def __init__(self, path: Path, *, cache_size: int = 256) -> None:
        self.path = path
        self.store = Store(path)
        self.cache_size = cache_size
        self._cache: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._inflight: dict[Any, threading.Lock] = {}

    @contextmanager
    def session(self) -> Iterator[Any]:
        """A read-only connection to the store (one query at a time, never during a write)."""
        with self._write_lock, self.store.reader.session() as con:
            yield con

    def write(self, records: list[CodedDocument], *, command: str = "serve") -> WriteResult:
        """Store coded records as one run, with the reader detached meanwhile."""
        with self._write_lock:
            self.store.reader.release()
            writer = StoreWriter(self.path)
            run_id = writer.start_run(command, records[0].coder if records else {})
            status = "failed"
            try:
                result = writer.write(records, run_id=run_id)
                status = "done"
            finally:
                writer.finish_run(run_id, status=status, unchanged=0, input_skipped=0)
        return result

    def stamp(self) -> tuple[int, ...]:
        out: list[int] = []
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = p.stat()
            except FileNotFoundError:
                out += [0, 0]
                continue
            out += [st.st_mtime_ns, st.st_size]
        return tuple(out)

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        """The cached answer for ``key``, else ``compute()``'s, computed once for concurrent askers.

        Requests for the same missing answer wait for the one computing it
        rather than run the same query side by side.
        """
        if self.cache_size <= 0:
            return compute()
        full = (key, self.stamp())
        with self._lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
            flight = self._inflight.setdefault(full, threading.Lock())
        with flight:
            with self._lock:
                if full in self._cache:
                    self._cache.move_to_end(full)
                    return self._cache[full]
            try:
                value = compute()
            except BaseException:
                with self._lock:
                    self._inflight.pop(full, None)
                raise
            with self._lock:
                self._cache[full] = value
                self._inflight.pop(full, None)
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return value

    def peek(self, key: Any) -> Any:
        """The cached answer for ``key`` while the store is unchanged, else None (computes nothing)."""
        if self.cache_size <= 0:
            return None
        full = (key, self.stamp())
        with self._lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
        return None

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()

    def close(self) -> None:
        self.store.close()


def _key(flt: EventFilter) -> tuple[Any, ...]:
    return tuple(sorted(vars(flt).items()))


# -- cursors -----------------------------------------------------------------------------------

def encode_cursor(event_date: str | None, eid: int) -> str:
    raw = json.dumps([event_date, eid], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str | None, int]:
    """(event date, eid) of the last event of the previous page; UsageError when malformed."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        date, eid = json.loads(raw)
        if date is not None:
            dt.date.fromisoformat(date)
        if not isinstance(eid, int) or isinstance(eid, bool):
            raise ValueError(eid)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise UsageError(f"cursor {cursor[:40]!r} is not one this server gave out: "
                         "use the next_cursor of a previous page") from exc
    return date, eid


# -- events ------------------------------------------------------------------------------------

def _event_rows(con: Any, eids: list[int]) -> list[dict[str, Any]]:
    """The rows of ``dotterel query`` for these event keys (in its order), plus ``eid`` and ``id``."""
    found = rows(con, EVENTS_BY_EID, [min(eids, default=0), max(eids, default=-1), eids])
    if not found:
        return []
    docs = {d.pop("doc_key"): d for d in rows(con, DOCUMENT_COLUMNS, [sorted({r["doc_id"] for r in found})])}
    out = []
    for r in found:
        merged = {**r, **docs.get(r["doc_id"], {})}
        out.append({"eid": r["eid"], **{c: merged.get(c) for c in EVENT_COLUMNS},
                    "id": f"{r['doc_id']}:{r['event_id']}"})
    return out


def events_page(cat: Catalog, flt: EventFilter, *, limit: int = 50,
                cursor: str | None = None) -> dict[str, Any]:
    """One page of matching events, newest first, and the cursor of the next page (None at the end)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"limit {limit}: use 1 to {MAX_LIMIT}")
    after = decode_cursor(cursor) if cursor else None

    def compute() -> dict[str, Any]:
        with cat.session() as con:
            if after is None:
                eids = newest_eids(con, flt, limit + 1)
            else:
                where, params = flt.where("e")
                date, last = after
                if date is None:
                    where += " AND e.event_date IS NULL AND e.eid > ?"
                    params.append(last)
                else:
                    where += (" AND (e.event_date < CAST(? AS DATE) OR e.event_date IS NULL"
                              " OR (e.event_date = CAST(? AS DATE) AND e.eid > ?))")
                    params += [date, date, last]
                sql = (f"SELECT e.eid FROM events e WHERE {where} "
                       f"ORDER BY e.event_date DESC NULLS LAST, e.eid LIMIT {int(limit) + 1}")
                eids = [int(r[0]) for r in con.execute(sql, params).fetchall()]
            more = len(eids) > limit
            page = _event_rows(con, eids[:limit])
        nxt = encode_cursor(page[-1]["event_date"], page[-1]["eid"]) if more and page else None
        return {"ok": True, "events": page, "count": len(page), "limit": limit, "next_cursor": nxt}

    return dict(cat.cached(("events", _key(flt), limit, cursor), compute))


def event(cat: Catalog, eid: int) -> dict[str, Any] | None:
    """One event by its store key, with its source and target actors (None when unknown)."""
    with cat.session() as con:
        found = _event_rows(con, [eid])
        if not found:
            return None
        out = found[0]
        out["actors"] = rows(con, "SELECT role, position, actor_id, text, code, sector, start_offset, "
                                  "end_offset FROM event_actors WHERE eid = ? ORDER BY role, position",
                             [eid])
    return out


def document(cat: Catalog, doc_id: str) -> dict[str, Any] | None:
    """The stored story with all its records (the contract's output record)."""
    def compute() -> dict[str, Any] | None:
        with cat.session() as con:
            return stored_record(con, doc_id)
    result: dict[str, Any] | None = cat.cached(("document", doc_id), compute)
    return result


# -- aggregates --------------------------------------------------------------------------------

def aggregates(cat: Catalog, flt: EventFilter, *, by: Sequence[str] = ("dyad",), per: str | None = "month",
               distinct: bool = False, limit: int = 5000) -> dict[str, Any]:
    """Counts and score sums by dyad/type/quad/source/target per period (``Store.aggregate``)."""
    if per is not None and per not in PERIODS:
        raise UsageError(f"per {per!r}: use none, {', '.join(PERIODS)}")
    bad = [b for b in by if b not in AGGREGATE_BY]
    if bad:
        raise UsageError(f"by {bad[0]!r}: use {', '.join(AGGREGATE_BY)}")
    if not 1 <= limit <= 100_000:
        raise UsageError(f"limit {limit}: use 1 to 100000")

    def compute() -> dict[str, Any]:
        sql, params = aggregate_sql(flt, by=list(by), per=per, distinct=distinct)
        with cat.session() as con:
            out = rows(con, f"SELECT * FROM ({sql}) LIMIT {int(limit) + 1}", params)
        return {"ok": True, "by": list(by), "per": per or "none", "rows": out[:limit],
                "truncated": len(out) > limit}

    return dict(cat.cached(("aggregates", _key(flt), tuple(by), per, distinct, limit), compute))


def _ranked(con: Any, flt: EventFilter, by: str, limit: int) -> list[dict[str, Any]]:
    sql, params = aggregate_sql(flt, by=[by], per=None)
    return rows(con, f"SELECT * FROM ({sql}) WHERE {by} IS NOT NULL ORDER BY events DESC, {by} "
                     f"LIMIT {int(limit)}", params)


def actors(cat: Catalog, flt: EventFilter, *, limit: int = 100) -> dict[str, Any]:
    """Actor codes by number of events (as source, as target, either), with their commonest name."""
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"limit {limit}: use 1 to {MAX_LIMIT}")

    def compute() -> dict[str, Any]:
        with cat.session() as con:
            counts: dict[str, dict[str, Any]] = {}
            for side in ("source", "target"):
                for r in _ranked(con, flt, side, 100_000):
                    entry = counts.setdefault(r[side], {"code": r[side], "source": 0, "target": 0})
                    entry[side] = int(r["events"])
            ranked = sorted(counts.values(), key=lambda a: (-(a["source"] + a["target"]), a["code"]))
            top = ranked[:limit]
            names = {r["code"]: r for r in rows(
                con, "SELECT code, mode(name) AS name, mode(kind) AS kind, mode(sector) AS sector, "
                     "count(DISTINCT doc_id) AS stories FROM actors "
                     "WHERE code IN (SELECT unnest(?)) GROUP BY code", [[a["code"] for a in top]])}
        for a in top:
            a["events"] = a["source"] + a["target"]
            info = names.get(a["code"], {})
            a.update({k: info.get(k) for k in ("name", "kind", "sector", "stories")})
        return {"ok": True, "actors": top, "count": len(top), "total": len(ranked)}

    return dict(cat.cached(("actors", _key(flt), limit), compute))


def overview(cat: Catalog, flt: EventFilter, *, per: str = "month", top: int = 10) -> dict[str, Any]:
    """Counts, events per quad class per period, top dyads and most active actors."""
    if per not in PERIODS:
        raise UsageError(f"per {per!r}: use {', '.join(PERIODS)}")

    def compute() -> dict[str, Any]:
        where, params = flt.where("e")
        with cat.session() as con:
            n_events, n_docs = con.execute(
                f"SELECT count(*), count(DISTINCT e.doc_id) FROM events e WHERE {where}", params
            ).fetchall()[0]
            sql, tparams = aggregate_sql(flt, by=["quad"], per=per)
            timeline = rows(con, sql, tparams)
            dyad_sql, dparams = aggregate_sql(flt, by=["dyad"], per=None)
            dyads = rows(con, f"SELECT * FROM ({dyad_sql}) WHERE source IS NOT NULL AND target IS NOT NULL "
                              f"ORDER BY events DESC, source, target LIMIT {int(top)}", dparams)
            stored = int(scalar(con, "SELECT count(*) FROM documents"))
        return {"ok": True, "events": int(n_events), "documents": int(n_docs),
                "stored_documents": stored, "per": per, "timeline": timeline, "top_dyads": dyads}

    out = dict(cat.cached(("overview", _key(flt), per, top), compute))
    out["top_actors"] = actors(cat, flt, limit=top)["actors"]
    return out


def network(cat: Catalog, flt: EventFilter, *, limit: int = 60) -> dict[str, Any]:
    """Actors as nodes and dyads as edges weighted by their number of events (the top ``limit``)."""
    if not 1 <= limit <= 500:
        raise UsageError(f"limit {limit}: use 1 to 500")

    def compute() -> dict[str, Any]:
        sql, params = aggregate_sql(flt, by=["dyad"], per=None)
        with cat.session() as con:
            edges = rows(con, f"SELECT source, target, events, score_mean FROM ({sql}) "
                              "WHERE source IS NOT NULL AND target IS NOT NULL AND source <> target "
                              f"ORDER BY events DESC, source, target LIMIT {int(limit)}", params)
        nodes: dict[str, dict[str, Any]] = {}
        for e in edges:
            for side in ("source", "target"):
                node = nodes.setdefault(e[side], {"id": e[side], "events": 0})
                node["events"] += int(e["events"])
        return {"ok": True, "nodes": sorted(nodes.values(), key=lambda n: (-n["events"], n["id"])),
                "edges": edges}

    return dict(cat.cached(("network", _key(flt), limit), compute))


def map_points(cat: Catalog, flt: EventFilter, *, limit: int = 2000) -> dict[str, Any]:
    """Located events grouped by place and quad class (the map's circles)."""
    if not 1 <= limit <= 20_000:
        raise UsageError(f"limit {limit}: use 1 to 20000")

    def compute() -> dict[str, Any]:
        where, params = flt.where("e")
        sql = ("SELECT e.location_name AS name, e.location_country AS country, "
               "round(e.location_lat, 3) AS lat, round(e.location_lon, 3) AS lon, e.quad_class, "
               "count(*) AS events FROM events e "
               f"WHERE {where} AND e.location_lat IS NOT NULL AND e.location_lon IS NOT NULL "
               f"GROUP BY ALL ORDER BY events DESC, name LIMIT {int(limit)}")
        with cat.session() as con:
            points = rows(con, sql, params)
            located, total = con.execute(
                "SELECT count(*) FILTER (WHERE e.location_lat IS NOT NULL), count(*) "
                f"FROM events e WHERE {where}", params).fetchall()[0]
        return {"ok": True, "points": points, "located_events": int(located), "events": int(total)}

    return dict(cat.cached(("map", _key(flt), limit), compute))


def health(cat: Catalog) -> dict[str, Any]:
    """The server is up and can read its store."""
    from .. import __version__

    with cat.session() as con:
        version = schema_version(con)
        n_events = int(scalar(con, "SELECT count(*) FROM events"))
        n_docs = int(scalar(con, "SELECT count(*) FROM documents"))
    return {"ok": True, "version": __version__, "schema_version": version, "events": n_events,
            "documents": n_docs}
