"""The event store: a DuckDB file of documents, actors, events, quotes, places and runs.

>>> store = dotterel.open("events.duckdb")                      # doctest: +SKIP
>>> store.events(source="RUS", type="ASSAULT", since="2025-01-01")   # doctest: +SKIP
>>> store.aggregate(by=["dyad"], per="month")                    # doctest: +SKIP

Reading methods open the file read-only for the length of one query and close
it again, so they never keep a running ``dotterel code --db`` from writing (and
wait, retrying, while it commits a batch). Schema: ``docs/store.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .ingest import StoreRunSummary, code_into_store, recode, stored_documents
from .queries import AGGREGATE_BY, PERIODS, EventFilter, aggregate_sql, events_sql
from .schema import SCHEMA_VERSION, connect, default_db_path, migrate, scalar, schema_version
from .writer import StoreWriter

__all__ = [
    "AGGREGATE_BY",
    "PERIODS",
    "SCHEMA_VERSION",
    "EventFilter",
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


class Store:
    """Read access to a store; every method returns a pandas DataFrame."""

    def __init__(self, path: str | Path | None = None, *, timeout: float = 30.0) -> None:
        self.path = default_db_path(path)
        self.timeout = timeout
        con = connect(self.path, read_only=True, timeout=timeout)
        try:
            version = schema_version(con)
        finally:
            con.close()
        if version < SCHEMA_VERSION:
            writer = StoreWriter(self.path, lock_timeout=timeout)  # upgrades the schema
            del writer

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def sql(self, query: str, params: Sequence[Any] | None = None) -> Any:
        """Run any read-only SQL on the store; a pandas DataFrame."""
        con = connect(self.path, read_only=True, timeout=self.timeout)
        try:
            return con.execute(query, list(params or [])).df()
        finally:
            con.close()

    def arrow(self, query: str, params: Sequence[Any] | None = None) -> Any:
        """Like :meth:`sql` but a pyarrow Table."""
        con = connect(self.path, read_only=True, timeout=self.timeout)
        try:
            relation = con.sql(query, params=list(params or []))
            if hasattr(relation, "to_arrow_table"):  # DuckDB 2.x; 1.x calls it arrow()
                return relation.to_arrow_table()
            return relation.arrow()
        finally:
            con.close()

    def events(self, *, limit: int | None = None, **filters: Any) -> Any:
        """Events matching the filters (see :class:`EventFilter`), newest first."""
        sql, params = events_sql(EventFilter.of(**filters), limit=limit)
        return self.sql(sql, params)

    def aggregate(self, *, by: Sequence[str] | str = ("dyad",), per: str | None = "month",
                  **filters: Any) -> Any:
        """Event counts and PLOVER-score sums by dyad/type/quad/source/target per day/week/month/year."""
        groups = [by] if isinstance(by, str) else list(by)
        sql, params = aggregate_sql(EventFilter.of(**filters), by=groups, per=per)
        return self.sql(sql, params)

    def documents(self, *, limit: int | None = None) -> Any:
        """Stored documents without their text (id, title, dates, coder, counts, cluster)."""
        sql = (
            "SELECT doc_id, title, pub_date, url, source, language, coder_version, n_events, "
            "n_quotes, errors, cluster_id, run_id, stored_at FROM documents ORDER BY doc_id"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.sql(sql)

    def runs(self) -> Any:
        """The runs that wrote to this store, oldest first."""
        return self.sql("SELECT * FROM runs ORDER BY started_at")

    def counts(self) -> dict[str, int]:
        """Row counts per table."""
        con = connect(self.path, read_only=True, timeout=self.timeout)
        try:
            out = {}
            for table in ("documents", "actors", "events", "event_actors", "quotes", "places",
                          "dates", "runs"):
                out[table] = int(scalar(con, f"SELECT count(*) FROM {table}"))
            return out
        finally:
            con.close()


def open(path: str | Path | None = None, *, timeout: float = 30.0) -> Store:
    """Open a store for reading (upgrading its schema first when it is older than this dotterel)."""
    return Store(path, timeout=timeout)
