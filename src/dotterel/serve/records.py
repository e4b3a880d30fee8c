"""A stored story as the contract's output record, and its spans for highlighting.

:func:`stored_record` rebuilds the ``dotterel code`` output record of one
stored document from the store's tables (the same field names as
``spec/interface.md``, plus ``eid`` and ``score`` on events). :func:`spans`
turns any such record, stored or freshly coded, into the highlight segments
of the story view, so both views explain their records the same way.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

#: The kinds of highlighted span, in the order they are drawn (later ones nest inside earlier).
SPAN_KINDS = ("quote", "actor", "place", "date", "trigger")


def _rows(con: Any, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def stored_record(con: Any, doc_id: str) -> dict[str, Any] | None:
    """The output record of stored document ``doc_id`` (None when it is not stored)."""
    docs = _rows(con, "SELECT * FROM documents WHERE doc_id = ?", [doc_id])
    if not docs:
        return None
    d = docs[0]
    actors = [
        {"id": a["actor_id"], "name": a["name"], "kind": a["kind"], "code": a["code"],
         "country": a["country"], "sector": a["sector"], "role": a["role"],
         "mentions": json.loads(a["mentions"] or "[]")}
        for a in _rows(con, "SELECT * FROM actors WHERE doc_id = ? ORDER BY actor_id", [doc_id])
    ]
    refs: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for r in _rows(con, "SELECT * FROM event_actors WHERE doc_id = ? ORDER BY eid, role, position",
                   [doc_id]):
        refs.setdefault((r["eid"], r["role"]), []).append(
            {"actor": r["actor_id"], "text": r["text"], "code": r["code"], "sector": r["sector"],
             "start": r["start_offset"], "end": r["end_offset"]})
    events = []
    for e in _rows(con, "SELECT * FROM events WHERE doc_id = ? ORDER BY eid", [doc_id]):
        location = None
        if e["location_name"] is not None:
            location = {"name": e["location_name"], "country": e["location_country"],
                        "geonames_id": e["location_geonames_id"], "lat": e["location_lat"],
                        "lon": e["location_lon"], "start": e["location_start"],
                        "end": e["location_end"]}
        events.append({
            "id": e["event_id"], "eid": e["eid"], "event_type": e["event_type"], "mode": e["mode"],
            "context": list(e["context"] or []), "cameo": e["cameo"], "quad": e["quad"],
            "score": e["score"],
            "source": refs.get((e["eid"], "source"), []), "target": refs.get((e["eid"], "target"), []),
            "trigger": {"text": e["trigger_text"], "start": e["trigger_start"], "end": e["trigger_end"]},
            "sentence": {"index": e["sentence_index"], "start": e["sentence_start"],
                         "end": e["sentence_end"]},
            "in_title": bool(e["in_title"]), "date": e["date"], "date_precision": e["date_precision"],
            "date_text": e["date_text"], "location": location, "negated": bool(e["negated"]),
            "hypothetical": bool(e["hypothetical"]), "reported_by": e["reported_by"],
            "confidence": e["confidence"],
        })
    quotes = []
    for q in _rows(con, "SELECT * FROM quotes WHERE doc_id = ? ORDER BY quote_id", [doc_id]):
        speaker = None if q["speaker_text"] is None else {
            "actor": q["speaker_actor"], "text": q["speaker_text"], "start": q["speaker_start"],
            "end": q["speaker_end"]}
        cue = None if q["cue_text"] is None else {
            "text": q["cue_text"], "start": q["cue_start"], "end": q["cue_end"]}
        quotes.append({"id": q["quote_id"], "direct": bool(q["direct"]), "in_title": bool(q["in_title"]),
                       "speaker": speaker, "cue": cue,
                       "content": {"text": q["content_text"], "start": q["content_start"],
                                   "end": q["content_end"]}})
    places = [
        {"name": p["name"], "country": p["country"], "admin1": p["admin1"], "lat": p["lat"],
         "lon": p["lon"], "geonames_id": p["geonames_id"], "feature": p["feature"],
         "mentions": json.loads(p["mentions"] or "[]")}
        for p in _rows(con, "SELECT * FROM places WHERE doc_id = ? ORDER BY place_index", [doc_id])
    ]
    dates = [
        {"text": t["text"], "start": t["start_offset"], "end": t["end_offset"],
         "in_title": bool(t["in_title"]), "date": t["date"], "precision": t["precision"]}
        for t in _rows(con, "SELECT * FROM dates WHERE doc_id = ? ORDER BY date_index", [doc_id])
    ]
    return {
        "id": d["doc_id"], "text": d["text"], "title": d["title"], "pub_date": _iso(d["pub_date"]),
        "url": d["url"], "source": d["source"], "language": d["language"],
        "coder": {"name": d["coder_name"], "version": d["coder_version"], "model": d["coder_model"],
                  **({"knowledge": d["coder_knowledge"]} if d.get("coder_knowledge") else {})},
        "actors": actors, "events": events, "quotes": quotes, "places": places, "dates": dates,
        "errors": json.loads(d["errors"] or "[]"),
        "stored_at": _iso(d["stored_at"]), "cluster_id": d.get("cluster_id"),
    }


@dataclass(frozen=True)
class Span:
    """One highlighted span: its kind, offsets, and the codes shown on hover."""

    kind: str
    start: int
    end: int
    in_title: bool
    label: str
    refs: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "in_title": self.in_title,
                "label": self.label, "refs": list(self.refs)}


def spans(record: dict[str, Any]) -> list[Span]:
    """Every span of the record: actor mentions, event triggers, quotes, places and dates.

    ``label`` is the hover text (the codes); ``refs`` names the events and
    quotes a span belongs to (``E1``, ``Q1``), for linking text and lists.
    """
    out: list[Span] = []
    for a in record.get("actors", []):
        label = " · ".join(str(v) for v in (a.get("code"), a.get("sector"), a.get("kind"), a.get("name"),
                                           a.get("role")) if v)
        out += [Span("actor", m["start"], m["end"], bool(m.get("in_title")), label, (a["id"],))
                for m in a.get("mentions", [])]
    for e in record.get("events", []):
        t = e["trigger"]
        sides = [f"{';'.join(str(r.get('code') or '?') for r in e.get(side, [])) or '—'}"
                 for side in ("source", "target")]
        label = " · ".join(str(v) for v in (e["event_type"], e.get("mode"), e.get("quad"),
                                           f"{sides[0]} → {sides[1]}", e.get("date")) if v)
        flags = [f for f in ("negated", "hypothetical") if e.get(f)]
        if flags:
            label += " (" + ", ".join(flags) + ")"
        out.append(Span("trigger", t["start"], t["end"], bool(e.get("in_title")), label, (e["id"],)))
        loc = e.get("location")
        if loc and loc.get("start") is not None and loc.get("end") is not None and loc["end"] > loc["start"]:
            out.append(Span("place", loc["start"], loc["end"], bool(e.get("in_title")),
                            f"{loc['name']} · {loc.get('country') or '?'}", (e["id"],)))
    for q in record.get("quotes", []):
        c = q["content"]
        speaker = (q.get("speaker") or {}).get("text") or "?"
        out.append(Span("quote", c["start"], c["end"], bool(q.get("in_title")),
                        f"{'direct' if q.get('direct') else 'indirect'} quote by {speaker}", (q["id"],)))
    for p in record.get("places", []):
        label = " · ".join(str(v) for v in (p["name"], p.get("feature"), p.get("country"), p.get("admin1"))
                           if v)
        out += [Span("place", m["start"], m["end"], bool(m.get("in_title")), label)
                for m in p.get("mentions", [])]
    for t in record.get("dates", []):
        if t["end"] > t["start"]:
            out.append(Span("date", t["start"], t["end"], bool(t.get("in_title")),
                            f"{t.get('date') or 'unresolved'} ({t.get('precision') or '?'})"))
    return sorted(set(out), key=lambda s: (s.in_title, s.start, -s.end, SPAN_KINDS.index(s.kind)))


@dataclass
class Segment:
    """A run of story text with the spans covering it (the innermost span decides its colour)."""

    text: str
    spans: list[Span] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return sorted({s.kind for s in self.spans}, key=SPAN_KINDS.index)

    @property
    def title(self) -> str:
        return "\n".join(f"{s.kind}: {s.label}" for s in self.spans)

    @property
    def refs(self) -> list[str]:
        return sorted({r for s in self.spans for r in s.refs})


def segments(text: str, all_spans: list[Span], *, in_title: bool = False) -> list[Segment]:
    """Cut ``text`` at every span boundary; each piece lists the spans covering it.

    Spans outside the text (bad offsets) are ignored rather than trusted.
    """
    mine = [s for s in all_spans if s.in_title == in_title and 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in mine), *(s.end for s in mine)})
    out = []
    for a, b in itertools.pairwise(cuts):
        covering = [s for s in mine if s.start <= a and b <= s.end]
        out.append(Segment(text[a:b], covering))
    return out
