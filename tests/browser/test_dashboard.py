"""The dashboard in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

A live server (uvicorn, 127.0.0.1, a free port) serves a small store; each
test loads pages as a person would and checks what is on screen. Every
request the pages make is watched: any that leaves 127.0.0.1 fails the test
(the dashboard must work offline). Screenshots are saved under
``out/screenshots/`` (gitignored; ``DOTTEREL_SCREENSHOTS`` changes the folder).

Skipped, with the reason, when Chromium or Playwright is missing; CI installs
Chromium (``.ci/run``) so that it runs them.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..serve_fixtures import HOSTILE_ID, build_store, make_app

CHROMIUM = os.environ.get("DOTTEREL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's  apt-get install -y chromium  "
                "(or set DOTTEREL_CHROMIUM) to run the browser tests", allow_module_level=True)
pytest.importorskip("fastapi", reason="dotterel serve needs the 'serve' extra")
pytest.importorskip("uvicorn", reason="dotterel serve needs the 'serve' extra")
playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="the browser tests need Playwright's Python package (dev extra)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(os.environ.get("DOTTEREL_SCREENSHOTS") or Path(__file__).resolve().parents[2] / "out" / "screenshots")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    db = build_store(tmp_path_factory.mktemp("browser") / "events.duckdb", n=60)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(make_app(db), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    pg = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(server) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield pg
    context.close()
    assert outside == [], f"the page asked for resources beyond the server: {outside}"
    assert errors == [], f"errors in the page: {errors}"


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("path", "heading"), [("/", "Overview"), ("/events", "Events"), ("/map", "Map"),
                                                ("/network", "Network"), ("/code", "Code a story")])
def test_each_page_loads(page: Any, path: str, heading: str) -> None:
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("h1").inner_text() == heading
    assert page.locator("nav a.active").inner_text() == heading
    shot(page, "page-" + (path.strip("/") or "overview"))


def test_overview_filter_and_timeline(page: Any) -> None:
    page.goto("/")
    total = int(page.locator("#n-events").inner_text())
    page.fill("input[name=actor]", "KEN")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r"actor=KEN"))
    assert 0 < int(page.locator("#n-events").inner_text()) < total
    assert page.locator("#timeline polyline").count() >= 1
    for row in page.locator("#top-dyads tbody tr").all_inner_texts():
        assert "KEN" in row
    shot(page, "overview-filtered")


def test_events_filter_sort_and_open_a_story(page: Any) -> None:
    page.goto("/events")
    page.fill("input[name=type]", "ASSAULT")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r"type=ASSAULT"))
    rows = page.locator("#events tbody tr.row-link")
    assert rows.count() > 5
    assert set(page.locator("#events tbody tr.row-link td:nth-child(2)").all_inner_texts()) == {"ASSAULT"}
    # sort this page by date, ascending
    page.click("#events th:first-child")
    dates = page.locator("#events tbody tr.row-link td:first-child").all_inner_texts()
    assert dates == sorted(dates) and dates[0] < dates[-1]
    shot(page, "events-filtered-sorted")
    # a click on a row opens its story, with the row's event in focus
    first_source = rows.first.locator("td:nth-child(5)").inner_text()
    rows.first.locator("td:nth-child(3)").click()
    page.wait_for_url(re.compile(r"/stories/"))
    focus = page.locator("mark.k-trigger.focus")
    assert focus.count() == 1 and focus.inner_text() == "attacked"
    assert first_source in focus.get_attribute("title") and "ASSAULT" in focus.get_attribute("title")
    assert page.locator("#event-list li.focus").count() == 1
    actors = page.locator("#story-text mark.k-actor")
    assert actors.count() >= 2 and "GOV" in actors.first.get_attribute("title")
    # hovering an event in the list lights up its spans in the text
    page.locator("#event-list li.focus").hover()
    assert page.locator("mark.hot").count() >= 1
    shot(page, "story")


def test_story_with_markup_is_shown_as_text(page: Any) -> None:
    from urllib.parse import quote

    page.goto(f"/stories/{quote(HOSTILE_ID, safe='')}")
    assert page.evaluate("window.pwned") is None
    text = page.locator("#story-text").inner_text()
    assert "<script>window.pwned = 1</script>" in text and "<b>bold</b>" in text
    assert page.locator("#story-text script, #story-text b").count() == 0
    assert "<script>alert(1)</script>" in page.locator(".story-title").inner_text()
    assert page.locator("#story-text mark.k-quote").count() >= 1
    shot(page, "story-escaped")


def test_paste_and_code_a_story(page: Any) -> None:
    page.goto("/code")
    page.fill("input[name=title]", "A test of the form")
    page.fill("input[name=pub_date]", "2025-04-05")
    page.fill("textarea[name=text]", 'Ukraine accused Russia. Kenya aided Somalia. "We are ready," she said.')
    page.click("#code-form button[type=submit]")
    page.wait_for_selector("#story-text")
    assert page.locator("#stored-state").inner_text() == "Not stored."
    triggers = page.locator("#story-text mark.k-trigger").all_inner_texts()
    assert triggers == ["accused", "aided"]
    assert page.locator("#event-list li").count() == 2
    assert page.locator("#quote-list li").count() == 1
    assert "ACCUSE" in page.locator("#story-text mark.k-trigger").first.get_attribute("title")
    # the form keeps what was pasted
    assert "Kenya aided Somalia" in page.locator("textarea[name=text]").input_value()
    shot(page, "code-a-story")


def test_map_renders_offline(page: Any) -> None:
    page.goto("/map")
    assert page.locator("#world .countries path").count() > 150
    circles = page.locator("#world .points circle")
    assert circles.count() > 0
    box = page.locator("#world").bounding_box()
    assert box["width"] > 600 and box["height"] > 200
    fills = {circles.nth(i).get_attribute("fill") for i in range(circles.count())}
    assert len(fills) >= 2  # coloured by quad class
    page.select_option("select[name=quad]", "4")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r"quad=4"))
    assert {page.locator("#world .points circle").nth(i).get_attribute("fill")
            for i in range(page.locator("#world .points circle").count())} == {"#de2d26"}
    shot(page, "map-material-conflict")


def test_network_renders(page: Any) -> None:
    page.goto("/network")
    nodes = page.locator("#network .nodes circle")
    assert nodes.count() >= 6
    assert page.locator("#network .edges path").count() >= 5
    labels = page.locator("#network .nodes text").all_text_contents()
    assert {"RUS", "UKR", "KEN"} <= set(labels)
    shot(page, "network")
    page.locator("#network .nodes a").first.click()
    page.wait_for_url(re.compile(r"/events\?actor="))
