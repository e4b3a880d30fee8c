"""Exports of stored events in the formats event-data users load: PLOVER, POLECAT, GDELT, CSV, Parquet.

Every column of every format is documented in ``docs/store.md``. The plover,
polecat and gdelt writers read the store in pages and write rows as they come
(memory stays flat); csv and parquet go through one pandas DataFrame / Arrow
table, so they hold the whole selection in memory.

- ``plover``: JSON Lines, one event per line, with PLOVER manual 2.0 field names
  (``plover.md`` §6: ``id``, ``date``, ``actor``, ``recipient``, ``event``, ...).
- ``polecat``: tab-separated with a header of POLECAT's column names; multiple
  values joined by ``"; "``, missing values written ``None``.
- ``gdelt``: GDELT 2.0 Events, 61 tab-separated columns, no header (as GDELT
  ships it): CAMEO codes, QuadClass, Goldstein scale from the vendored
  ``data/export/cameo_goldstein.tsv``, FIPS country codes for places.
- ``csv`` / ``parquet``: the columns of :meth:`dotterel.store.Store.events`.
"""

from __future__ import annotations

import calendar
import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import IO, Any

from .datafiles import read_tsv
from .errors import UsageError, missing_dependency
from .ontology import QUAD_NAMES
from .ontology import cameo_code as cameo_code  # re-exported: older imports
from .ontology import cameo_quad as cameo_quad
from .ontology import plover_cameo_table as plover_cameo_table
from .outfile import atomic_path, atomic_text
from .store import Store
from .store.queries import EVENT_SELECT, EventFilter
from .writers import formats, get, writer

#: Country-slot codes that are not countries (plover.md §4).
NON_STATE = {"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"}
#: PLOVER sector → CAMEO actor type code where the two differ (plover.md §4).
CAMEO_TYPE = {"JRN": "MED", "MED": "HLH"}
QUAD_WORDS = {number: name.upper() for number, name in QUAD_NAMES.items()}
PAGE = 5000

#: Per event: the base columns plus its actors as lists of structs (for plover/polecat/gdelt).
_EXPORT_SQL = f"""
SELECT {EVENT_SELECT}, e.eid, e.context, e.in_title, e.sentence_index, e.trigger_start, e.trigger_end,
    e.sentence_start, e.sentence_end, e.location_geonames_id, e.location_start, e.location_end,
    d.language, d.coder_version, d.stored_at,
    (SELECT list(struct_pack(code := ea.code, sector := ea.sector, text := ea.text,
                 name := a.name, role := a.role) ORDER BY ea.position)
       FROM event_actors ea LEFT JOIN actors a ON a.doc_id = ea.doc_id AND a.actor_id = ea.actor_id
      WHERE ea.eid = e.eid AND ea.role = 'source') AS source_actors,
    (SELECT list(struct_pack(code := ea.code, sector := ea.sector, text := ea.text,
                 name := a.name, role := a.role) ORDER BY ea.position)
       FROM event_actors ea LEFT JOIN actors a ON a.doc_id = ea.doc_id AND a.actor_id = ea.actor_id
      WHERE ea.eid = e.eid AND ea.role = 'target') AS target_actors,
    (SELECT first(struct_pack(feature := p.feature, admin1 := p.admin1))
       FROM places p WHERE p.doc_id = e.doc_id AND p.geonames_id = e.location_geonames_id) AS place
FROM events e JOIN documents d USING (doc_id)
"""


def export(store: Store | str | Path | None, fmt: str, output: str | Path | IO[str] | None = None,
           **filters: Any) -> int:
    """Write the events matching ``filters`` in format ``fmt``; return the number of events.

    ``output`` is a path or a text stream (standard output when ``None``;
    ``parquet`` needs a path). A path is written to a temporary file renamed
    when complete. The formats are the ``events`` writers of :mod:`dotterel.writers`.
    """
    found = get("events", fmt)
    st = store if isinstance(store, Store) else Store(store)
    flt = EventFilter.of(**filters)
    if found.path_only:
        if output is None or not isinstance(output, str | Path):
            raise UsageError(f"{fmt} export needs --output FILE")
        with atomic_path(output) as temp:
            return int(found.write(st, flt, temp))
    if isinstance(output, str | Path):
        with atomic_text(output, newline="") as stream:
            return int(found.write(st, flt, stream))
    import sys

    return int(found.write(st, flt, output or sys.stdout))


@writer("events", "plover", help="PLOVER JSON Lines")
def write_plover(st: Store, flt: EventFilter, stream: IO[str]) -> int:
    n = 0
    for row in _rows(st, flt):
        n += 1
        stream.write(json.dumps(plover_record(row), ensure_ascii=False) + "\n")
    return n


@writer("events", "polecat", help="POLECAT TSV, with a header")
def write_polecat(st: Store, flt: EventFilter, stream: IO[str]) -> int:
    # POLECAT's TSV is read with standard CSV readers (pandas, R, Python's csv with a tab
    # delimiter): a value holding a double quote is quoted, its quotes doubled
    out = csv.writer(stream, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    out.writerow(POLECAT_COLUMNS)
    n = 0
    for row in _rows(st, flt):
        n += 1
        out.writerow([_tsv(v) for v in polecat_row(row)])
    return n


@writer("events", "gdelt", help="GDELT 2.0 Events, 61 columns, no header")
def write_gdelt(st: Store, flt: EventFilter, stream: IO[str]) -> int:
    n = 0
    for row in _rows(st, flt):
        n += 1
        stream.write(gdelt_line(row))
    return n


def gdelt_line(row: dict[str, Any]) -> str:
    """One event as a line of GDELT 2.0 Events TSV.

    GDELT's files are not quoted: readers split on tabs (pandas with
    ``quoting=csv.QUOTE_NONE``, DuckDB with ``quote=''``), so values are
    written as they are, tabs and line breaks replaced by spaces.
    """
    return "\t".join(_tsv(v, none="") for v in gdelt_row(row)) + "\n"


def _rows(st: Store, flt: EventFilter) -> Iterator[dict[str, Any]]:
    where, params = flt.where("e")
    sql = f"{_EXPORT_SQL} WHERE {where} ORDER BY e.eid"
    with st.reader.session() as con:
        cursor = con.execute(sql, params)
        names = [c[0] for c in cursor.description]
        while True:
            page = cursor.fetchmany(PAGE)
            if not page:
                break
            for values in page:
                yield dict(zip(names, values, strict=True))


def _tsv(value: Any, none: str = "None") -> str:
    if value is None or value == "":
        return none
    text = str(value)
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


@writer("events", "csv", help="the columns of query, comma-separated")
def write_csv(st: Store, flt: EventFilter, stream: IO[str]) -> int:
    frame = st.events(**_filter_kwargs(flt))
    frame.to_csv(stream, index=False, date_format="%Y-%m-%d", lineterminator="\n")
    return len(frame)


@writer("events", "parquet", path_only=True, help="the columns of query, Apache Parquet")
def write_parquet(st: Store, flt: EventFilter, path: Path) -> int:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise missing_dependency("pyarrow", "store") from exc
    from .store.queries import events_sql

    sql, params = events_sql(flt)
    table = st.arrow(sql, params)
    pq.write_table(table, path)
    return int(table.num_rows)


def _filter_kwargs(flt: EventFilter) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(flt)


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return None


def _end_date(start: date | None, precision: str | None) -> str | None:
    if start is None or precision not in ("month", "year"):
        return None
    if precision == "year":
        return date(start.year, 12, 31).isoformat()
    return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1]).isoformat()


def _entity(actor: dict[str, Any]) -> dict[str, Any]:
    return {"code": actor.get("code"), "sector": actor.get("sector"),
            "entity_text": actor.get("text"), "name": actor.get("name"), "office": actor.get("role")}


def plover_record(row: dict[str, Any]) -> dict[str, Any]:
    """One event as a PLOVER manual 2.0 JSON record (plover.md §6)."""
    record: dict[str, Any] = {
        "id": f"{row['doc_id']}:{row['event_id']}",
        "date": _iso(row["event_date"]),
        "actor": [_entity(a) for a in row["source_actors"] or []],
        "recipient": [_entity(a) for a in row["target_actors"] or []],
        "event": [row["event_type"]],
        "mode": [row["mode"]] if row["mode"] else [],
        "context": list(row["context"] or []),
        "quad_code": row["quad_class"],
        "event_scale": row["score"],
        "event_text": [row["sentence"]] if row["sentence"] else [],
    }
    end = _end_date(row["event_date"], row["date_precision"])
    if end:
        record["enddate"] = end
    if row["location"]:
        record["event_loc"] = {
            "extracted_place": row["location"], "geonameid": row["location_geonames_id"],
            "lat": row["location_lat"], "lon": row["location_lon"],
            "country_code": row["location_country"],
        }
    record["text_info"] = {
        "doc_id": row["doc_id"], "in_title": bool(row["in_title"]),
        "sentence": [row["sentence_start"], row["sentence_end"]],
        "trigger": [row["trigger_start"], row["trigger_end"]], "trigger_text": row["trigger"],
    }
    record["cite_info"] = {
        "url": row["url"], "title": row["title"], "publication": row["outlet"],
        "pub_date": _iso(row["pub_date"]), "language": row["language"], "codebook": "PLOVER 2.0",
        "version": row["coder_version"],
    }
    record["coder"] = f"dotterel {row['coder_version']}"
    record["coded_date"] = _iso(row["stored_at"])
    record["negated"] = bool(row["negated"])
    record["hypothetical"] = bool(row["hypothetical"])
    record["confidence"] = row["confidence"]
    record["num_articles"] = row["num_articles"]
    record["num_sources"] = row["num_sources"]
    return record


POLECAT_ACTOR = ("Name", "Country", "COW", "Primary {} Sector", "Sectors", "Title", "Name Raw",
                 "Wikipedia {} ID")


def _side(word: str) -> list[str]:
    return [f"{word} {c}" if "{}" not in c else c.format(word) for c in POLECAT_ACTOR]


POLECAT_COLUMNS = [
    "Event ID", "Event Date", "Event Type", "Event Mode", "Contexts", "Quad Code",
    "Event Intensity", *_side("Actor"), *_side("Recipient"), "Placename", "City", "District",
    "Province", "Country", "Latitude", "Longitude", "GeoNames ID", "Raw Placename", "Feature Type",
    "Source", "Publication Date", "Language", "Version", "Story ID", "Headline", "Event Text",
    "Num Articles", "Num Sources",
]


def _join(values: list[Any]) -> str | None:
    kept = [str(v) for v in values if v not in (None, "")]
    return "; ".join(kept) if kept else None


def polecat_row(row: dict[str, Any]) -> list[Any]:
    """One event as a POLECAT-style row (columns :data:`POLECAT_COLUMNS`)."""
    out: list[Any] = [
        f"{row['doc_id']}:{row['event_id']}", _iso(row["event_date"]), row["event_type"].lower(),
        row["mode"], _join(list(row["context"] or [])), QUAD_WORDS.get(row["quad_class"] or 0),
        row["score"],
    ]
    for actors in (row["source_actors"] or [], row["target_actors"] or []):
        out += [
            _join([a.get("name") for a in actors]), _join([a.get("code") for a in actors]), None,
            actors[0].get("sector") if actors else None, _join([a.get("sector") for a in actors]),
            _join([a.get("role") for a in actors]), _join([a.get("text") for a in actors]), None,
        ]
    place = row.get("place") or {}
    feature = place.get("feature") if place else None
    out += [
        row["location"], row["location"] if feature == "city" else None, None,
        place.get("admin1") if place else None, row["location_country"], row["location_lat"],
        row["location_lon"], row["location_geonames_id"], row["location"], feature,
        row["outlet"], _iso(row["pub_date"]), row["language"], row["coder_version"], row["doc_id"],
        row["title"], row["sentence"], row["num_articles"], row["num_sources"],
    ]
    return out


@cache
def goldstein_table() -> dict[str, float]:
    """CAMEO code → Goldstein score (GDELT's CAMEO.goldsteinscale.txt, vendored)."""
    table = read_tsv("export/cameo_goldstein.tsv", header=True, strip=False, min_cols=2)
    return {r.cells[0]: float(r.cells[1]) for r in table}


@cache
def fips_table() -> dict[str, str]:
    """ISO3 → FIPS 10-4 country code (GDELT's geography convention)."""
    table = read_tsv("export/iso3_fips.tsv", header=True, strip=False, min_cols=2)
    return {r.cells[0]: r.cells[1] for r in table}


def goldstein(code: str | None) -> float | None:
    """Goldstein score of a CAMEO code (falling back to its base and root codes)."""
    if not code:
        return None
    table = goldstein_table()
    for candidate in (code, code[:3], code[:2]):
        if candidate in table:
            return table[candidate]
    return None


def _gdelt_actor(actors: list[dict[str, Any]]) -> list[Any]:
    if not actors:
        return [None] * 10
    a = actors[0]
    code = a.get("code")
    country = code if code and code not in NON_STATE else None
    sector = a.get("sector")
    cameo_type = CAMEO_TYPE.get(sector, sector) if sector else None
    type1 = cameo_type if country or not code else code
    full = (country or code or "") + (cameo_type or "") if (country or code) else cameo_type
    known = code if code == "UNO" else None
    name = (a.get("name") or a.get("text") or "").upper() or None
    return [full, name, country, known, None, None, None, type1,
            cameo_type if type1 != cameo_type else None, None]


def gdelt_row(row: dict[str, Any]) -> list[Any]:
    """One event as the 61 columns of a GDELT 2.0 Events record."""
    day: date | None = row["event_date"]
    code = cameo_code(row["event_type"], row["mode"], row["cameo"])
    geo: list[Any] = [0, None, None, None, None, None, None, None]
    if row["location"]:
        place = row.get("place") or {}
        feature = place.get("feature") if place else None
        country = row["location_country"]
        us = country == "USA"
        kind = {"country": 1, "admin": 2 if us else 5, "city": 3 if us else 4}.get(feature or "", 4)
        fips = fips_table().get(country or "")
        geo = [kind, row["location"], fips, fips, None, row["location_lat"], row["location_lon"],
               row["location_geonames_id"]]
    stored = row["stored_at"]
    return [
        row["eid"],
        day.strftime("%Y%m%d") if day else None,
        day.strftime("%Y%m") if day else None,
        day.year if day else None,
        round(day.year + (day.month * 30 + day.day) / 365, 4) if day else None,
        *_gdelt_actor(row["source_actors"] or []),
        *_gdelt_actor(row["target_actors"] or []),
        1 if row["in_title"] or row["sentence_index"] == 0 else 0,
        code, code[:3] if code else None, code[:2] if code else None,
        cameo_quad(code), goldstein(code),
        row["num_articles"], row["num_sources"], row["num_articles"], None,
        0, None, None, None, None, None, None, None,
        0, None, None, None, None, None, None, None,
        *geo,
        stored.strftime("%Y%m%d%H%M%S") if stored else None,
        row["url"] or row["doc_id"],
    ]


GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *[f"Actor1{c}" for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                             "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code")],
    *[f"Actor2{c}" for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                             "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code")],
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *[f"{g}_{c}" for g in ("Actor1Geo", "Actor2Geo", "ActionGeo")
      for c in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")],
    "DATEADDED", "SOURCEURL",
]


#: The formats of ``dotterel export --format`` (registered above).
EXPORT_FORMATS = formats("events")
