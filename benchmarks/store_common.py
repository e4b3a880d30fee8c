"""Shared by the benchmarks: writing their results into docs/benchmarks.md, coding a base store."""

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


def replace_section(start: str, end: str, block: str, heading: str = "") -> None:
    """Replace the text from ``start`` to ``end`` in docs/benchmarks.md with ``block`` (which
    holds both markers); append ``block`` (under ``heading``, if given) at the end when the
    markers are not there yet."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + (f"{heading}\n\n" if heading else "") + block + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")


def code_stories_into(stories: Path, db: Path) -> None:
    """Code a JSONL file of stories into a new store ``db`` (the base that big stores replicate)."""
    import json

    from dotterel import Coder
    from dotterel.model import Document
    from dotterel.sources.items import ReadDocument
    from dotterel.store import StoreRunSummary, code_into_store

    with stories.open(encoding="utf-8") as f:
        documents = [Document.from_dict(json.loads(line)) for line in f if line.strip()]
    list(code_into_store((ReadDocument(d) for d in documents), db=db, coder=Coder(),
                         summary=StoreRunSummary()))
