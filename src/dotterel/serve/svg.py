"""Inline SVG for the dashboard: the offline world map, the timeline and the network layout.

Drawn on the server (no chart library in the browser): the map from the
vendored ``world-atlas`` TopoJSON (``static/world/``), projected
equirectangularly; the timeline as one polyline per quad class; the network
with a small deterministic force layout.
"""

from __future__ import annotations

import json
import math
import random
from functools import cache
from importlib import resources
from typing import Any

#: Map size in SVG units (2 units per degree), latitudes 84°N to 60°S (no Antarctica).
MAP_WIDTH, MAP_TOP, MAP_BOTTOM = 720, 84.0, -60.0
MAP_HEIGHT = int((MAP_TOP - MAP_BOTTOM) * 2)
#: Quad class → colour (the same in CSS: static/app.css).
QUAD_COLOURS = {1: "#2b8cbe", 2: "#31a354", 3: "#fd8d3c", 4: "#de2d26"}


def project(lon: float, lat: float) -> tuple[float, float]:
    """(x, y) on the map for a longitude and latitude in degrees."""
    return round((lon + 180.0) * 2, 1), round((MAP_TOP - lat) * 2, 1)


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points += arc if not points else arc[1:]
    return points


def _unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Longitudes made continuous (a step of more than 180° goes the other way round the globe)."""
    out: list[tuple[float, float]] = []
    for lon, lat in points:
        if out:
            while lon - out[-1][0] > 180:
                lon -= 360
            while lon - out[-1][0] < -180:
                lon += 360
        out.append((lon, lat))
    return out


@cache
def country_paths() -> tuple[tuple[str, str, str], ...]:
    """(ISO numeric id, name, SVG path data) of every country, decoded once."""
    text = resources.files("dotterel.serve").joinpath("static", "world", "countries-110m.json").read_text(
        encoding="utf-8")
    topology = json.loads(text)
    arcs = _arcs(topology)
    out = []
    for geom in topology["objects"]["countries"]["geometries"]:
        polygons = ([geom["arcs"]] if geom["type"] == "Polygon"
                    else geom["arcs"] if geom["type"] == "MultiPolygon" else [])
        parts = []
        for polygon in polygons:
            for ring in polygon:
                points = _unwrap(_ring(arcs, ring))
                if len(points) < 3:
                    continue
                # a ring across the antimeridian is drawn twice, once on each side of the map
                shifts = [0.0] + [-360.0] * any(lon > 180 for lon, _ in points) + [360.0] * any(
                    lon < -180 for lon, _ in points)
                for shift in shifts:
                    pts = [project(lon + shift, max(min(lat, MAP_TOP), MAP_BOTTOM)) for lon, lat in points]
                    parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in pts) + "Z")
        if parts:
            out.append((str(geom.get("id", "")), str(geom.get("properties", {}).get("name", "")),
                        "".join(parts)))
    return tuple(out)


def map_circles(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Circles for located event groups: position, radius by count (area ∝ events), colour by quad."""
    top = max((int(p["events"]) for p in points), default=1)
    out = []
    for p in points:
        x, y = project(float(p["lon"]), float(p["lat"]))
        out.append({**p, "x": x, "y": y, "r": round(2 + 10 * math.sqrt(int(p["events"]) / top), 1),
                    "colour": QUAD_COLOURS.get(int(p["quad_class"] or 0), "#888")})
    return out


def timeline(rows: list[dict[str, Any]], *, per: str = "month", width: int = 720, height: int = 200
             ) -> dict[str, Any]:
    """One polyline per quad class over the periods of ``rows`` (aggregate by quad per period)."""
    periods = sorted({str(r["period"]) for r in rows if r.get("period")})
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        if r.get("period") and r.get("quad"):
            counts.setdefault(str(r["quad"]), {})[str(r["period"])] = int(r["events"])
    top = max((n for by_period in counts.values() for n in by_period.values()), default=0)
    pad, bottom = 40, height - 24
    step = (width - pad - 10) / max(len(periods) - 1, 1)

    def xy(i: int, n: int) -> str:
        y = bottom - (n / top * (bottom - 10) if top else 0)
        return f"{pad + i * step:.1f},{y:.1f}"

    from .data import QUADS
    lines = []
    for cls, name in QUADS.items():
        series = counts.get(name, {})
        lines.append({"quad": name, "quad_class": cls, "colour": QUAD_COLOURS[cls],
                      "points": " ".join(xy(i, series.get(p, 0)) for i, p in enumerate(periods)),
                      "total": sum(series.values())})
    cut = {"year": 4, "month": 7}.get(per, 10)
    ticks = [{"x": round(pad + i * step, 1), "label": p[:cut]}
             for i, p in enumerate(periods) if len(periods) <= 12 or i % math.ceil(len(periods) / 12) == 0]
    return {"width": width, "height": height, "lines": lines, "ticks": ticks, "max": top,
            "periods": len(periods), "bottom": bottom, "left": pad}


def network_layout(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], *, size: int = 600,
                   iterations: int = 200) -> dict[str, Any]:
    """Positions for the nodes (Fruchterman–Reingold, fixed seed: the same graph draws the same)."""
    rnd = random.Random(7)
    ids = [n["id"] for n in nodes]
    pos = {i: [rnd.uniform(-1, 1), rnd.uniform(-1, 1)] for i in ids}
    k = 1.6 / math.sqrt(max(len(ids), 1))
    heaviest = max((int(e["events"]) for e in edges), default=1)
    temp = 0.2
    for _ in range(iterations if len(ids) > 1 else 0):
        disp = {i: [0.0, 0.0] for i in ids}
        for a_index, a in enumerate(ids):
            for b in ids[a_index + 1:]:
                dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
                d = max(math.hypot(dx, dy), 1e-3)
                f = k * k / d
                disp[a][0] += dx / d * f
                disp[a][1] += dy / d * f
                disp[b][0] -= dx / d * f
                disp[b][1] -= dy / d * f
        for e in edges:
            a, b = e["source"], e["target"]
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            d = max(math.hypot(dx, dy), 1e-3)
            f = d * d / k * (0.5 + int(e["events"]) / heaviest)
            disp[a][0] -= dx / d * f
            disp[a][1] -= dy / d * f
            disp[b][0] += dx / d * f
            disp[b][1] += dy / d * f
        for i in ids:
            dx, dy = disp[i]
            d = max(math.hypot(dx, dy), 1e-9)
            pos[i][0] += dx / d * min(d, temp)
            pos[i][1] += dy / d * min(d, temp)
            # gravity keeps unconnected parts close together
            pos[i][0] *= 0.95
            pos[i][1] *= 0.95
        temp = max(temp * 0.98, 0.005)
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    margin = 40
    scale = (size - 2 * margin) / span
    top_node = max((int(n["events"]) for n in nodes), default=1)
    placed = {i: (round(margin + (pos[i][0] - min(xs)) * scale, 1),
                  round(margin + (pos[i][1] - min(ys)) * scale, 1)) for i in ids}
    radius = {n["id"]: round(5 + 15 * math.sqrt(int(n["events"]) / top_node), 1) for n in nodes}
    out_nodes = [{**n, "x": placed[n["id"]][0], "y": placed[n["id"]][1], "r": radius[n["id"]]}
                 for n in nodes]
    out_edges = []
    for e in edges:
        (x1, y1), (x2, y2) = placed[e["source"]], placed[e["target"]]
        # the arrow stops at the target's rim
        length = max(math.hypot(x2 - x1, y2 - y1), 1e-6)
        back = min(radius[e["target"]] + 2, length / 2)
        x2, y2 = round(x2 - (x2 - x1) / length * back, 1), round(y2 - (y2 - y1) / length * back, 1)
        score = e.get("score_mean")
        colour = "#888" if score is None else ("#de2d26" if score < -2 else "#fd8d3c" if score < 0
                                               else "#31a354" if score > 2 else "#2b8cbe")
        # bend each edge to its right, so that A→B and B→A are two arcs, not one line
        cx = round((x1 + x2) / 2 + (y2 - y1) * 0.12, 1)
        cy = round((y1 + y2) / 2 - (x2 - x1) * 0.12, 1)
        out_edges.append({**e, "x1": x1, "y1": y1, "x2": x2, "y2": y2, "cx": cx, "cy": cy, "colour": colour,
                          "width": round(1 + 7 * int(e["events"]) / heaviest, 1)})
    return {"size": size, "nodes": out_nodes, "edges": out_edges}
