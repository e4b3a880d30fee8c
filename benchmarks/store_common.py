"""Shared by the store benchmarks: writing their results into docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- store:start -->", "<!-- store:end -->"
PART = "<!-- store-{name}:start -->", "<!-- store-{name}:end -->"


def write_section(name: str, body: str) -> None:
    """Replace this benchmark's part of the "Event store" section (re-reading the file first)."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if START not in text:
        text = text.rstrip("\n") + f"\n\n## Event store\n\n{START}\n{END}\n"
    start, end = (p.format(name=name) for p in PART)
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.replace(END, f"{block}\n{END}")
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
