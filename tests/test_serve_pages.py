"""The dashboard pages and their JSON twins, in process (the browser tests drive them for real)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from .serve_fixtures import HOSTILE_ID, Client, make_app, store_path

__all__ = ["store_path"]

pytest.importorskip("fastapi", reason="dotterel serve needs the 'serve' extra")
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client(store_path: Path) -> Client:
    return Client(make_app(store_path), HTML)


@pytest.mark.parametrize("path", ["/", "/events", "/map", "/network", "/code", "/stories/s002"])
def test_every_page_renders_and_has_a_json_twin(client: Client, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<nav>" in page.text and 'href="/static/app.css"' in page.text
    assert "http://" not in re.sub(r'href="http://[^"]*"', "", page.text).replace("http://www.w3.org", "")
    twin = client.get(path, params={"format": "json"})
    assert twin.headers["content-type"] == "application/json" and twin.json()["ok"] is True


def test_overview_counts_and_filters(client: Client) -> None:
    all_events = client.get("/", params={"format": "json"}).json()
    kenya = client.get("/", params={"format": "json", "actor": "KEN"}).json()
    assert 0 < kenya["events"] < all_events["events"]
    assert {q["quad"] for q in all_events["timeline"]} == {"material conflict", "verbal cooperation",
                                                           "verbal conflict"}
    assert all("KEN" in (d["source"], d["target"]) for d in kenya["top_dyads"])
    page = client.get("/", params={"actor": "KEN", "per": "week"})
    assert f'id="n-events">{kenya["events"]}<' in page.text and "<polyline" in page.text
    assert 'value="KEN"' in page.text  # the filter form keeps what was asked


def test_events_table_rows_open_their_story(client: Client) -> None:
    page = client.get("/events", params={"type": "ACCUSE", "limit": 5})
    rows = re.findall(r'<tr class="row-link" data-href="([^"]+)"', page.text)
    assert len(rows) == 5 and all(r.startswith("/stories/s") and "?event=" in r for r in rows)
    assert "next-page" in page.text
    story = client.get(rows[0].replace("&amp;", "&"))
    assert story.status_code == 200 and 'class="k-trigger focus"' in story.text


def test_story_text_is_always_escaped(client: Client) -> None:
    page = client.get(f"/stories/{quote(HOSTILE_ID, safe='')}")
    assert page.status_code == 200
    assert "<script>window.pwned" not in page.text and "<script>alert" not in page.text
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page.text
    assert "&lt;b&gt;bold&lt;/b&gt;" in page.text and "<b>bold</b>" not in page.text


def test_story_marks_every_kind_with_its_codes(client: Client) -> None:
    page = client.get("/stories/s000")
    for kind in ("actor", "trigger", "place", "date"):
        assert f"k-{kind}" in page.text, kind
    assert re.search(r'<mark class="k-trigger[^"]*" title="trigger: ASSAULT · material conflict · RUS → UKR', page.text)
    assert 'id="s000-E1"' in page.text  # the events listed beside the text


def test_map_draws_countries_and_located_events(client: Client) -> None:
    page = client.get("/map")
    assert page.text.count("<path d=") > 150  # the vendored country shapes
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="[\d.]+" fill="(#\w+)"', page.text)
    assert circles and {c[2] for c in circles} >= {"#de2d26", "#2b8cbe"}
    twin = client.get("/map", params={"format": "json", "quad": "MX"}).json()
    assert {p["quad_class"] for p in twin["points"]} == {4} and twin["located_events"] > 0


def test_network_nodes_and_weighted_edges(client: Client) -> None:
    twin = client.get("/network", params={"format": "json"}).json()
    codes = {n["id"] for n in twin["nodes"]}
    assert {"RUS", "UKR", "CHN", "KEN"} <= codes
    heaviest = twin["layout"]["edges"][0]
    assert heaviest["width"] >= max(e["width"] for e in twin["layout"]["edges"])
    page = client.get("/network", params={"actor": "CHN"})
    assert len(re.findall(r'<path d="M[^"]* Q', page.text)) == 1 and ">CHN</text>" in page.text


def test_code_a_story_form(client: Client, tmp_path: Path) -> None:
    page = client.post("/code", data={"text": "Ukraine threatened Russia. <img src=x onerror=alert(1)>",
                                      "pub_date": "2025-03-01", "title": "Threats"})
    assert page.status_code == 200 and 'class="k-trigger' in page.text and "Not stored." in page.text
    assert "<img src=x" not in page.text and "&lt;img src=x" in page.text
    from .serve_fixtures import build_store
    db = build_store(tmp_path / "c.duckdb", n=2)
    writable = Client(make_app(db), HTML)
    stored = writable.post("/code", data={"text": "Mali visited France.", "id": "pasted-1", "store": "on"})
    assert 'Stored as <a href="/stories/pasted-1">' in stored.text
    assert writable.get("/stories/pasted-1").status_code == 200
    empty = writable.post("/code", data={"text": "  "})
    assert empty.status_code == 400 and "paste the story" in empty.text


def test_page_errors_are_pages_for_browsers_and_json_otherwise(client: Client) -> None:
    page = client.get("/stories/nope")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "no stored document" in page.text
    twin = Client(client.app).get("/stories/nope")
    assert twin.status_code == 404 and twin.json() == {"ok": False, "status": 404,
                                                       "error": "no stored document with id 'nope'"}
    assert client.get("/events", params={"since": "never"}).status_code == 400


def test_only_web_urls_become_links(tmp_path: Path) -> None:
    from dotterel import Document
    from dotterel.read import ReadDocument
    from dotterel.store import StoreRunSummary, code_into_store

    from .serve_fixtures import LocatedCoder

    db = tmp_path / "u.duckdb"
    docs = [ReadDocument(Document(id="js", text="Mali visited France.", url="javascript:alert(1)")),
            ReadDocument(Document(id="web", text="Mali visited France.", url="https://example.org/a"))]
    list(code_into_store(docs, db=db, coder=LocatedCoder(), summary=StoreRunSummary()))
    client = Client(make_app(db), HTML)
    assert 'href="javascript' not in client.get("/stories/js").text
    assert "javascript:alert(1)" in client.get("/stories/js").text
    assert '<a href="https://example.org/a"' in client.get("/stories/web").text
