"""The event store: a DuckDB file of documents, actors, events, quotes, places and runs.

>>> store = dotterel.open("events.duckdb")                      # doctest: +SKIP
>>> store.events(source="RUS", type="ASSAULT", since="2025-01-01")   # doctest: +SKIP
>>> store.aggregate(by=["dyad"], per="month")                    # doctest: +SKIP

Reading methods attach the file read-only around queries and detach it after
a second without queries, or at once when a writer is waiting for it (see
:class:`~dotterel.store.schema.Reader`), so they never keep a running
``dotterel code --db`` from writing for long, and wait, retrying, while it
commits a batch. Schema: ``docs/store.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import UsageError, missing_dependency
from .ingest import StoreRunSummary, code_into_store, recode, stored_documents
from .queries import (
    AGGREGATE_BY,
    EVENTS_BY_EID,
    PERIODS,
    EventFilter,
    aggregate_sql,
    events_sql,
    newest_eids,
)
from .schema import (
    SCHEMA_VERSION,
    Reader,
    connect,
    default_db_path,
    migrate,
    refuse_newer,
    scalar,
    schema_version,
)
from .writer import StoreWriter

__all__ = [
    "AGGREGATE_BY",
    "PERIODS",
    "SCHEMA_VERSION",
    "EventFilter",
    "Reader",
    "Store",
    "StoreRunSummary",
    "StoreWriter",
    "code_into_store",
    "connect",
    "default_db_path",
    "migrate",
    "open",
    "recode",
    "schema_version",
    "stored_documents",
]


#: Limits above this (about a trillion events, more than any store holds) mean "all" and are
#: capped to it, so that DuckDB's 64-bit integers never overflow.
MAX_LIMIT = 2**40


def check_limit(limit: int | None) -> int | None:
    """``limit`` as an int, capped at :data:`MAX_LIMIT`; below 1 is refused."""
    if limit is None:
        return None
    try:
        value = int(limit)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"limit {limit!r}: give a whole number of at least 1") from exc
    if value < 1:
        raise UsageError(f"limit {limit!r}: give a whole number of at least 1")
    return min(value, MAX_LIMIT)


class Store:
    """Read access to a store; every method returns a pandas DataFrame."""

    def __init__(self, path: str | Path | None = None, *, timeout: float = 30.0,
                 hold: float = 1.0) -> None:
        self.path = default_db_path(path)
        self.timeout = timeout
        self.reader = Reader(self.path, timeout=timeout, hold=hold)
        with self.reader.session() as con:
            version = schema_version(con)
        if version > SCHEMA_VERSION:
            self.reader.close()
            refuse_newer(version, self.path)
        if version < SCHEMA_VERSION:
            self.reader.release()
            StoreWriter(self.path, lock_timeout=timeout)  # opening for writing applies the migrations

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def sql(self, query: str, params: Sequence[Any] | None = None) -> Any:
        """Run any read-only SQL on the store; a pandas DataFrame."""
        with self.reader.session() as con:
            return _frame(con.execute(query, list(params or [])))

    def arrow(self, query: str, params: Sequence[Any] | None = None) -> Any:
        """Like :meth:`sql` but a pyarrow Table."""
        with self.reader.session() as con:
            relation = con.sql(query, params=list(params or []))
            if hasattr(relation, "to_arrow_table"):  # DuckDB 2.x; 1.x calls it arrow()
                return relation.to_arrow_table()
            return relation.arrow()

    def events(self, *, limit: int | None = None, **filters: Any) -> Any:
        """Events matching the filters (see :class:`EventFilter`), newest first.

        With a ``limit``, the newest events are picked from the events table
        alone (see :func:`~dotterel.store.queries.newest_eids`) and only their
        documents are read (much faster on big stores).
        """
        flt = EventFilter.of(**filters)
        limit = check_limit(limit)
        if limit is None:
            sql, params = events_sql(flt)
            return self.sql(sql, params)
        with self.reader.session() as con:
            eids = newest_eids(con, flt, limit)
            return _frame(con.execute(EVENTS_BY_EID, [min(eids, default=0), max(eids, default=-1), eids]))

    def query(self, *, limit: int | None = None, **filters: Any) -> Any:
        """The same as :meth:`events` (named like ``dotterel query``)."""
        return self.events(limit=limit, **filters)

    def aggregate(self, *, by: Sequence[str] | str = ("dyad",), per: str | None = "month",
                  distinct: bool = False, **filters: Any) -> Any:
        """Event counts and PLOVER-score sums by dyad/type/quad/source/target per day/week/month/year.

        ``distinct`` adds ``distinct_events`` and ``stories`` (near-duplicate stories counted once).
        """
        groups = [by] if isinstance(by, str) else list(by)
        sql, params = aggregate_sql(EventFilter.of(**filters), by=groups, per=per, distinct=distinct)
        return self.sql(sql, params)

    def documents(self, *, limit: int | None = None) -> Any:
        """Stored documents without their text (id, title, dates, coder, counts, cluster)."""
        sql = (
            "SELECT doc_id, title, pub_date, url, source, language, coder_version, coder_knowledge, n_events, "
            "n_quotes, errors, cluster_id, run_id, stored_at FROM documents ORDER BY doc_id"
        )
        limit = check_limit(limit)
        if limit is not None:
            sql += f" LIMIT {limit}"
        return self.sql(sql)

    def runs(self) -> Any:
        """The runs that wrote to this store, oldest first."""
        return self.sql("SELECT * FROM runs ORDER BY started_at")

    def counts(self) -> dict[str, int]:
        """Row counts per table."""
        with self.reader.session() as con:
            out = {}
            for table in ("documents", "actors", "events", "event_actors", "quotes", "places",
                          "dates", "runs"):
                out[table] = int(scalar(con, f"SELECT count(*) FROM {table}"))
            return out

    def close(self) -> None:
        """Release the file and the in-memory connection."""
        self.reader.close()


def open(path: str | Path | None = None, *, timeout: float = 30.0, hold: float = 1.0) -> Store:
    """Open a store for reading (upgrading its schema first when it is older than this dotterel).

    The file is held read-only only around queries: it stays attached (with a
    warm cache) while queries follow each other within ``hold`` seconds, for at
    most 5 s in a row, and is let go at once when a dotterel writer waits for
    it; ``hold=0`` releases it after every query.
    """
    return Store(path, timeout=timeout, hold=hold)


def _frame(result: Any) -> Any:
    """A DuckDB result as a pandas DataFrame; pandas comes with the ``store`` extra."""
    try:
        import pandas  # noqa: F401
    except ImportError as exc:
        raise missing_dependency("pandas", "store") from exc
    return result.df()
