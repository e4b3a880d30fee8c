"""Every span of every output record points at exactly its text, and output is deterministic."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dotterel import CodedDocument, Coder


def iter_spans(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(where, span, in_title) for every offset-bearing object of an output record."""
    for actor in data["actors"]:
        for m in actor["mentions"]:
            yield f"actor {actor['id']}", m, m["in_title"]
    for place in data["places"]:
        for m in place["mentions"]:
            yield f"place {place['name']}", m, m["in_title"]
    for d in data["dates"]:
        yield "date", d, d["in_title"]
    for q in data["quotes"]:
        for role in ("speaker", "cue", "content"):
            if q[role] is not None:
                yield f"quote {q['id']} {role}", q[role], q["in_title"]
    for e in data["events"]:
        for role in ("source", "target"):
            for ref in e[role]:
                yield f"event {e['id']} {role}", ref, e["in_title"]
        yield f"event {e['id']} trigger", e["trigger"], e["in_title"]
        if e["location"] is not None:
            yield f"event {e['id']} location", e["location"], e["in_title"]


def assert_spans_exact(record: CodedDocument) -> int:
    data = record.to_dict()
    n = 0
    for where, span, in_title in iter_spans(data):
        source = (data["title"] or "") if in_title else data["text"]
        start, end = span["start"], span["end"]
        assert 0 <= start <= end <= len(source), (where, span)
        if "text" in span:
            assert source[start:end] == span["text"], (where, span, source[start:end])
        n += 1
    for e in data["events"]:
        source = (data["title"] or "") if e["in_title"] else data["text"]
        s = e["sentence"]
        assert 0 <= s["start"] <= e["trigger"]["start"] < e["trigger"]["end"] <= s["end"] <= len(source)
    return n


SENTENCES = [
    "Kazakh President Kassym-Jomart Tokayev said on Friday that Astana is ready to help.",
    "“We are always ready,” Tokayev said in an interview with local newspaper Ana Tili.",
    "Russian President Vladimir Putin held talks with Chinese leader Xi Jinping in Beijing last week.",
    "Iraqi police arrested 12 protesters in Baghdad on Monday, officials said.",
    "The United Nations urged both sides to agree to a ceasefire in Sudan.",
    "Kenya's foreign ministry condemned the attack, according to a statement.",
    "He recalled that the commission decided to send the black boxes to Brazil.",
    "Israeli troops shelled the village near Gaza, killing three people, the army said.",
    "NATO warned Moscow it would respond to any attack on its members.",
    "In November 2024, Ukraine and Poland signed an agreement on grain exports.",
    "‘We will not give up,' says the opposition leader.",
    "The court sentenced the journalist to five years in prison two weeks ago.",
]
FILLERS = ["", " ", "\n", "\n\n", "  ", "\t", " é ", " “", "” ", "'", "\u00a0"]


@st.composite
def stories(draw: st.DrawFn) -> tuple[str | None, str]:
    parts = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6))
    glue = draw(st.lists(st.sampled_from(FILLERS), min_size=len(parts), max_size=len(parts)))
    body = "".join(g + p for g, p in zip(glue, parts, strict=True)) + draw(st.sampled_from(FILLERS))
    title = draw(st.one_of(st.none(), st.sampled_from(SENTENCES)))
    return title, body


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(story=stories(), pub=st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
def test_spans_exact_on_generated_stories(coder: Coder, story: tuple[str | None, str], pub: str | None) -> None:
    title, body = story
    if not body.strip():
        return
    record = coder.code(body, title=title, pub_date=pub)
    assert not record.errors
    assert_spans_exact(record)


def test_spans_exact_on_example(example_record: CodedDocument) -> None:
    assert_spans_exact(example_record)


def test_spans_exact_and_deterministic_on_voa(coder: Coder, voa_path: Path) -> None:
    with voa_path.open(encoding="utf-8") as f:
        docs = [json.loads(line) for line in islice(f, 12)]
    first = list(coder.code_many(docs))
    total = sum(assert_spans_exact(r) for r in first)
    assert total > 0 or all(not r.actors for r in first)
    again = list(coder.code_many(docs))
    assert [json.dumps(r.to_dict()) for r in first] == [json.dumps(r.to_dict()) for r in again]
