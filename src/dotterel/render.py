"""Output formats of coded documents: JSONL, JSON and a readable table view."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import IO

from .model import CodedDocument
from .writers import formats, get, writer

#: Characters that must not reach a terminal as they are: C0/C1 controls (ANSI escape
#: sequences start with ESC) and the bidirectional overrides that reorder what is shown.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """``text`` safe for a terminal: control and bidi-override characters shown as escapes."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                       else f"\\u{ord(m.group()):04x}", str(text))


def to_json_line(record: CodedDocument, *, include_text: bool = True) -> str:
    """One record as a line of JSONL (deterministic: fixed key order, no ASCII escaping)."""
    return json.dumps(record.to_dict(include_text=include_text), ensure_ascii=False, separators=(",", ":"))


def write_records(
    records: Iterable[CodedDocument], out: IO[str], *, fmt: str = "jsonl", include_text: bool = True
) -> None:
    """Write records to ``out`` in ``fmt`` (a ``records`` format of :mod:`dotterel.writers`)."""
    get("records", fmt).write(records, out, include_text=include_text)


@writer("records", "jsonl", help="one JSON record per line, streaming")
def write_jsonl(records: Iterable[CodedDocument], out: IO[str], *, include_text: bool = True) -> None:
    for record in records:
        out.write(to_json_line(record, include_text=include_text) + "\n")
        out.flush()


@writer("records", "json", help="one JSON array, indented")
def write_json(records: Iterable[CodedDocument], out: IO[str], *, include_text: bool = True) -> None:
    out.write("[")
    for i, record in enumerate(records):
        out.write(",\n" if i else "\n")
        out.write(json.dumps(record.to_dict(include_text=include_text), ensure_ascii=False, indent=2))
    out.write("\n]\n")


@writer("records", "table", help="a readable view of each record")
def write_table(records: Iterable[CodedDocument], out: IO[str], *, include_text: bool = True) -> None:
    for record in records:
        out.write(render_table(record) + "\n")
        out.flush()


#: The formats of ``dotterel code --format`` (registered above).
OUTPUT_FORMATS = formats("records")


def _row(cells: Iterable[object], widths: list[int]) -> str:
    parts = [printable("" if c is None else c) for c in cells]
    return "  ".join(p.ljust(w)[: max(w, 1)] if i < len(widths) - 1 else p for i, (p, w) in enumerate(zip(parts, widths, strict=False)))


def _table(header: list[str], rows: list[list[object]], max_width: int = 40) -> list[str]:
    if not rows:
        return ["  (none)"]
    table: list[list[object]] = [list(header), *rows]
    widths = [min(max_width, max(len(printable("" if r[i] is None else r[i])) for r in table)) for i in range(len(header))]
    lines = ["  " + _row(header, widths), "  " + _row(["-" * w for w in widths], widths)]
    lines += ["  " + _row(r, widths) for r in rows]
    return lines


def render_table(record: CodedDocument) -> str:
    """A human-readable view of one coded document."""
    lines = [f"== {printable(record.id)}" + (f"  {printable(record.title)}" if record.title else "")]
    lines.append(f"   pub_date {record.pub_date or '-'}   coder {record.coder.get('name')} {record.coder.get('version')}")
    if record.errors:
        lines.append("errors:")
        lines += [f"  {e.code}: {printable(e.message)}" for e in record.errors]
    lines.append(f"actors ({len(record.actors)}):")
    lines += _table(
        ["id", "name", "kind", "code", "sector", "role", "mentions"],
        [[a.id, a.name, a.kind, a.code, a.sector, a.role, len(a.mentions)] for a in record.actors],
    )
    lines.append(f"places ({len(record.places)}):")
    lines += _table(
        ["name", "feature", "country", "admin1", "lat", "lon", "geonames"],
        [[p.name, p.feature, p.country, p.admin1, p.lat, p.lon, p.geonames_id] for p in record.places],
    )
    lines.append(f"dates ({len(record.dates)}):")
    lines += _table(
        ["text", "date", "precision"], [[d.text, d.date, d.precision] for d in record.dates]
    )
    lines.append(f"events ({len(record.events)}):")
    lines += _table(
        ["type", "mode", "source", "target", "trigger", "date", "flags", "conf"],
        [
            [
                e.event_type,
                e.mode,
                "+".join(f"{a.code or '?'}{' ' + a.sector if a.sector else ''}" for a in e.source),
                "+".join(f"{a.code or '?'}{' ' + a.sector if a.sector else ''}" for a in e.target),
                e.trigger.text,
                e.date,
                ",".join(f for f, on in (("neg", e.negated), ("hyp", e.hypothetical), ("quoted", e.reported_by)) if on),
                f"{e.confidence:.2f}",
            ]
            for e in record.events
        ],
    )
    lines.append(f"quotes ({len(record.quotes)}):")
    lines += _table(
        ["id", "speaker", "cue", "direct", "content"],
        [
            [
                q.id,
                q.speaker.text if q.speaker else None,
                q.cue.text if q.cue else None,
                "yes" if q.direct else "no",
                (q.content.text[:70] + "…") if len(q.content.text) > 70 else q.content.text,
            ]
            for q in record.quotes
        ],
        max_width=72,
    )
    return "\n".join(lines)
