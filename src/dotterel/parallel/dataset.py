"""A Parquet dataset of coded documents, partitioned by publication month.

The tables and columns are the store's (docs/store.md, Schema), one directory
per table, Hive-style month partitions::

    OUT/documents/pub_month=2025-01/part-000000.parquet
    OUT/events/pub_month=2025-01/part-000000.parquet
    OUT/actors/...  event_actors/  quotes/  places/  dates/

``pub_month`` is ``YYYY-MM`` of the document's ``pub_date`` (``unknown`` when it
has none); every row of a document's records is in its document's month. Each
file is written under a temporary name and renamed into place, so a reader
never sees half a file. ``eid`` is a 63-bit hash of ``doc_id`` and ``event_id``
(the same whichever engine or partition wrote it); ``cluster_id`` is the
document's own id (no near-duplicate grouping outside the store).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import missing_dependency
from ..model import CodedDocument

TABLES = ("documents", "actors", "events", "event_actors", "quotes", "places", "dates")
UNKNOWN_MONTH = "unknown"

_INT = {"eid", "n_actors", "n_events", "n_quotes", "n_places", "trigger_start", "trigger_end",
        "sentence_index", "sentence_start", "sentence_end", "location_geonames_id",
        "location_start", "location_end", "num_articles", "num_sources", "position",
        "start_offset", "end_offset", "speaker_start", "speaker_end", "cue_start", "cue_end",
        "content_start", "content_end", "place_index", "geonames_id", "date_index", "quad_class"}
_FLOAT = {"score", "location_lat", "location_lon", "confidence", "lat", "lon"}
_BOOL = {"in_title", "negated", "hypothetical", "direct"}
_DATE = {"pub_date", "event_date"}
_LIST = {"context", "source_codes", "target_codes", "source_sectors", "target_sectors"}


def event_eid(doc_id: str, event_id: str) -> int:
    """A stable 63-bit event key from the document and event ids."""
    digest = hashlib.blake2b(f"{doc_id}\x00{event_id}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def pub_month(pub_date: str | None) -> str:
    return pub_date[:7] if pub_date else UNKNOWN_MONTH


def _arrow_type(pa: Any, name: str) -> Any:
    if name in _INT:
        return pa.int64()
    if name in _FLOAT:
        return pa.float64()
    if name in _BOOL:
        return pa.bool_()
    if name in _DATE:
        return pa.date32()
    if name == "stored_at":
        return pa.timestamp("us", tz="UTC")
    if name in _LIST:
        return pa.list_(pa.string())
    return pa.string()


def table_rows(records: Sequence[CodedDocument], *, run_id: str,
               stored_at: datetime) -> dict[str, dict[str, list[Any]]]:
    """The store's rows of ``records`` (table → column → values), with stable event keys."""
    from ..store.rows import Batch

    batch = Batch()
    for record in records:
        batch.add(record, run_id=run_id, cluster_id=record.id, next_eid=0, stored_at=stored_at)
    tables = {name: cols.data for name, cols in batch.tables().items()}
    events, links = tables["events"], tables["event_actors"]
    # Batch numbers events per document from next_eid; replace with the stable key
    new: list[int] = [event_eid(d, e) for d, e in zip(events["doc_id"], events["event_id"], strict=True)]
    by_doc_old: dict[tuple[str, int], int] = {
        (d, old): key for d, old, key in zip(events["doc_id"], events["eid"], new, strict=True)}
    events["eid"] = new
    links["eid"] = [by_doc_old[(d, old)] for d, old in zip(links["doc_id"], links["eid"], strict=True)]
    return tables


class DatasetWriter:
    """Writes batches of records as Parquet files under ``root`` (see module docs)."""

    def __init__(self, root: str | Path, *, run_id: str = "", stored_at: datetime | None = None) -> None:
        try:
            import pyarrow
            import pyarrow.parquet  # noqa: F401
        except ImportError as exc:
            raise missing_dependency("pyarrow", "parquet") from exc
        self.root = Path(root)
        self.run_id = run_id
        self.stored_at = stored_at or datetime.now(UTC)

    def write(self, records: Sequence[CodedDocument], tag: str) -> list[Path]:
        """Write ``records`` as files named ``part-{tag}.parquet``; return their paths."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not records:
            return []
        month_of = {r.id: pub_month(r.pub_date) for r in records}
        tables = table_rows(records, run_id=self.run_id, stored_at=self.stored_at)
        written: list[Path] = []
        for name in TABLES:
            data = tables[name]
            months = [month_of[d] for d in data["doc_id"]]
            schema = pa.schema([(col, _arrow_type(pa, col)) for col in data])
            for month in sorted(set(months)):
                keep = [i for i, m in enumerate(months) if m == month]
                columns = {col: [values[i] for i in keep] for col, values in data.items()}
                table = pa.table(columns, schema=schema)
                path = self.root / name / f"pub_month={month}" / f"part-{tag}.parquet"
                path.parent.mkdir(parents=True, exist_ok=True)
                temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
                pq.write_table(table, temp)
                os.replace(temp, path)
                written.append(path)
        return written
