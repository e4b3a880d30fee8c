"""Web pages, feeds and polite fetching, against a local HTTP server the tests start (never the internet)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import dotterel
from dotterel.feeds import (
    Fetcher,
    FetchError,
    looks_like_feed,
    parse_feed,
    parse_interval,
    read_sources,
)
from dotterel.read import ReadDocument, Skipped
from dotterel.store.watch import Cycle, watch

from .store_fixtures import ScriptedCoder

pytest.importorskip("httpx", reason="fetching needs the 'web' extra")
pytest.importorskip("feedparser", reason="feeds need the 'web' extra")


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Site:
    """What the local server serves: path → routes served in turn (the last one repeats)."""

    routes: dict[str, list[Route]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    base: str = ""

    def set(self, path: str, *routes: Route) -> str:
        self.routes[path] = list(routes)
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, self.headers.get("User-Agent", "")))
            queue = state.routes.get(self.path)
            route = Route(404, b"not found") if not queue else (queue.pop(0) if len(queue) > 1 else queue[0])
            if route.delay:
                time.sleep(route.delay)
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            for k, v in route.headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def article(title: str, sentences: str, date: str = "2025-03-01") -> bytes:
    filler = " ".join(f"Officials gave further details about the situation in paragraph {i}." for i in range(6))
    return f"""<!DOCTYPE html><html><head><title>{title} | Example News</title>
<meta property="og:title" content="{title}"><meta property="article:published_time" content="{date}T09:00:00Z">
<meta property="og:site_name" content="Example News"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1><p>{sentences} {filler}</p><p>{filler}</p></article>
<footer>Copyright Example News</footer></body></html>""".encode()


def rss(base: str, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
        f"<pubDate>Sat, 01 Mar 2025 09:00:00 GMT</pubDate></item>" for p, t in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title>'
            f"<link>{base}/</link><description>news</description>{entries}</channel></rss>").encode()


def quick(**kw: object) -> Fetcher:
    slept: list[float] = []
    fetcher = Fetcher(sleep=slept.append, per_host_interval=0.0, backoff=0.5, timeout=5.0,
                      allow_private=True, **kw)  # type: ignore[arg-type]
    fetcher.slept = slept  # type: ignore[attr-defined]
    return fetcher


def test_fetcher_sends_user_agent_and_retries_with_backoff(site: Site) -> None:
    url = site.set("/flaky", Route(503), Route(500), Route(200, b"ok"))
    fetcher = quick()
    assert fetcher.get(url).body == b"ok"
    assert site.hits("/flaky") == 3
    assert all(ua.startswith("dotterel/") for _, ua in site.requests)
    assert fetcher.slept == [0.5, 1.0]  # type: ignore[attr-defined]


def test_fetcher_honours_retry_after_and_gives_up(site: Site) -> None:
    url = site.set("/busy", Route(429, headers={"Retry-After": "7"}))
    fetcher = quick(retries=2)
    with pytest.raises(FetchError, match="gave up after 3 attempts"):
        fetcher.get(url)
    assert site.hits("/busy") == 3
    assert fetcher.slept[0] == 7  # type: ignore[attr-defined]


def test_client_errors_are_not_retried(site: Site) -> None:
    fetcher = quick()
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher.get(site.base + "/missing")
    assert site.hits("/missing") == 1


def test_timeouts_are_retried_then_reported(site: Site) -> None:
    url = site.set("/slow", Route(200, b"late", delay=1.0))
    fetcher = Fetcher(timeout=0.2, retries=1, backoff=0.0, per_host_interval=0.0, allow_private=True)
    with pytest.raises(FetchError, match="Timeout"):
        fetcher.get(url)
    fetcher.close()


def test_per_host_rate_limit(site: Site) -> None:
    site.set("/a", Route(200, b"a"))
    slept: list[float] = []
    fetcher = Fetcher(sleep=slept.append, per_host_interval=5.0, allow_private=True)
    fetcher.get(site.base + "/a")
    fetcher.get(site.base + "/a")
    assert len(slept) == 1 and 4.0 < slept[0] <= 5.0
    fetcher.close()


def test_html_url_gives_text_title_and_date(site: Site) -> None:
    url = site.set("/story", Route(200, article("Russia attacks Ukraine", "Russia attacked Ukraine on Friday.")))
    (item,) = list(read_sources([url], fetcher=quick()))
    assert isinstance(item, ReadDocument)
    doc = item.document
    assert "Russia attacked Ukraine on Friday." in doc.text and "Copyright" not in doc.text
    assert doc.title == "Russia attacks Ukraine" and doc.pub_date == "2025-03-01" and doc.url == url


def test_feed_url_and_feed_file(site: Site, tmp_path: Path) -> None:
    site.set("/a1", Route(200, article("One", "Russia attacked Ukraine.")))
    site.set("/a2", Route(200, article("Two", "China visited Kenya.")))
    feed = rss(site.base, [("/a1", "One"), ("/a2", "Two"), ("/gone", "Gone")])
    url = site.set("/feed.xml", Route(200, feed, "application/rss+xml"))
    assert looks_like_feed(feed) and len(parse_feed(feed)) == 3
    items = list(read_sources([url], fetcher=quick(retries=0)))
    docs = [i for i in items if isinstance(i, ReadDocument)]
    assert [d.document.id for d in docs] == [site.base + "/a1", site.base + "/a2"]
    assert isinstance(items[2], Skipped) and "404" in items[2].message
    path = tmp_path / "local.rss"
    path.write_bytes(feed)
    again = [i for i in read_sources([str(path)], fetcher=quick(retries=0)) if isinstance(i, ReadDocument)]
    assert len(again) == 2


def test_watch_codes_only_new_items(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    site.set("/a1", Route(200, article("One", "Russia attacked Ukraine.")))
    site.set("/a2", Route(200, article("Two", "China visited Kenya.")))
    site.set("/a3", Route(200, article("Three", "France accused Mali.")))
    url = site.set("/feed.xml", Route(200, rss(site.base, [("/a1", "One"), ("/a2", "Two")]), "application/rss+xml"))
    cycles: list[Cycle] = []
    list(watch([url], db=db, coder=ScriptedCoder(), iterations=1, fetcher=quick(), on_cycle=cycles.append))
    assert (cycles[0].new_items, cycles[0].stored) == (2, 2)
    # the feed changes: a new item on top, the old ones still listed
    site.set("/feed.xml", Route(200, rss(site.base, [("/a3", "Three"), ("/a1", "One"), ("/a2", "Two")]), "application/rss+xml"))
    naps: list[float] = []
    list(watch([url], db=db, coder=ScriptedCoder(), every=60, iterations=2, fetcher=quick(),
               on_cycle=cycles.append, sleep=naps.append))
    assert [(c.new_items, c.stored) for c in cycles[1:]] == [(1, 1), (0, 0)]
    assert len(naps) == 1 and 0 < naps[0] <= 60
    assert (site.hits("/a1"), site.hits("/a2"), site.hits("/a3")) == (1, 1, 1)
    store = dotterel.open(db)
    assert store.counts()["documents"] == 3
    assert sorted(store.events().event_type) == ["ACCUSE", "ASSAULT", "CONSULT"]


def test_parse_interval() -> None:
    assert parse_interval("15m") == 900 and parse_interval("30s") == 30 and parse_interval("2h") == 7200
    assert parse_interval("45") == 45
    with pytest.raises(ValueError, match="interval"):
        parse_interval("soon")


@pytest.mark.slow
def test_cli_code_url_into_store_with_the_real_coder(site: Site, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dotterel.cli import app

    url = site.set("/story", Route(200, article("Talks", "Kenya's president Ruto met Ethiopian Prime Minister Abiy in Nairobi on Friday.")))
    db = tmp_path / "c.duckdb"
    runner = CliRunner()
    result = runner.invoke(app, ["code", url, "--db", str(db), "--allow-private"])
    assert result.exit_code == 0, result.output
    assert "1 documents" in result.stderr
    result = runner.invoke(app, ["code", url, "--db", str(db), "--allow-private"])
    assert "1 unchanged documents skipped" in result.stderr
    docs = dotterel.open(db).documents()
    assert list(docs.url) == [url] and list(docs.title) == ["Talks"]
