"""The /api/v1 endpoints, in process (httpx.ASGITransport): answers, filters, pages, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

import dotterel

from .serve_fixtures import HOSTILE_ID, HOSTILE_TEXT, Client, make_app, store_path

__all__ = ["store_path"]

pytest.importorskip("fastapi", reason="dotterel serve needs the 'serve' extra")


@pytest.fixture(scope="module")
def client(store_path: Path) -> Client:
    return Client(make_app(store_path))


def is_error(response: Any, status: int) -> dict[str, Any]:
    """The response is the one error shape with this status; its body."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    return dict(body)


def test_health(client: Client) -> None:
    body = client.get("/api/v1/health").json()
    assert body["ok"] is True and body["schema_version"] >= 4
    assert body["documents"] == 61 and body["events"] > 100


FILTERS = [
    {}, {"source": "RUS"}, {"target": "kenya".upper()[:3]}, {"actor": "MLI"}, {"actor": "rus,som"},
    {"sector": "GOV"}, {"type": "CONSULT"}, {"type": "ASSAULT,ACCUSE"}, {"quad": "4"}, {"quad": "VC"},
    {"quad": "verbal conflict"}, {"mode": "visit"}, {"since": "2024-06-01"},
    {"since": "2024-03-01", "until": "2024-04-30"}, {"text": "ceasefire"}, {"text": "talks on a"},
    {"include_negated": True}, {"include_hypothetical": True, "source": "SOM"},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_events_take_the_cli_filters_and_agree_with_the_store(client: Client, store_path: Path,
                                                             filters: dict[str, Any]) -> None:
    expected = dotterel.open(store_path).events(**filters)
    params = {k: str(v).lower() if isinstance(v, bool) else v for k, v in filters.items()}
    body = client.get("/api/v1/events", params={**params, "limit": 1000}).json()
    got = [(e["doc_id"], e["event_id"]) for e in body["events"]]
    assert got == list(zip(expected["doc_id"], expected["event_id"], strict=True))
    assert body["count"] == len(expected) and body["next_cursor"] is None
    if filters:
        assert len(expected) < len(dotterel.open(store_path).events(include_negated=True,
                                                                    include_hypothetical=True))


def test_event_rows_carry_their_keys_and_story(client: Client) -> None:
    e = client.get("/api/v1/events", params={"limit": 1, "source": "RUS", "type": "ASSAULT"}).json()["events"][0]
    assert e["source"] == "RUS" and e["event_type"] == "ASSAULT" and e["quad_class"] == 4
    assert e["id"] == f"{e['doc_id']}:{e['event_id']}" and isinstance(e["eid"], int)
    one = client.get(f"/api/v1/events/{e['eid']}").json()["event"]
    assert one["doc_id"] == e["doc_id"] and one["trigger"] == "attacked"
    assert {(a["role"], a["code"]) for a in one["actors"]} == {("source", "RUS"), ("target", "UKR")}


@pytest.mark.parametrize("filters", [{}, {"actor": "KEN"}, {"text": "ceasefire"}])
def test_cursor_pages_cover_every_event_once_in_order(client: Client, store_path: Path,
                                                      filters: dict[str, str]) -> None:
    expected = dotterel.open(store_path).events(**filters)
    seen: list[tuple[str, str]] = []
    cursor = None
    pages = 0
    while True:
        params = {**filters, "limit": 7, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/events", params=params).json()
        seen += [(e["doc_id"], e["event_id"]) for e in body["events"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert body["count"] == 7
    assert seen == list(zip(expected["doc_id"], expected["event_id"], strict=True))
    assert pages == -(-len(expected) // 7) or (len(expected) % 7 == 0 and pages == len(expected) // 7 + 1)


def test_document_has_its_text_and_every_span(client: Client) -> None:
    body = client.get("/api/v1/documents/s001").json()
    doc, found = body["document"], body["spans"]
    assert doc["id"] == "s001" and doc["title"] == "Story 1" and doc["pub_date"]
    text = doc["text"]
    kinds = {s["kind"] for s in found}
    assert {"actor", "trigger"} <= kinds
    for s in found:
        assert 0 <= s["start"] < s["end"] <= len(text)
    triggers = {text[s["start"]:s["end"]] for s in found if s["kind"] == "trigger"}
    assert triggers == {e["trigger"]["text"] for e in doc["events"]}
    for e in doc["events"]:
        for ref in e["source"] + e["target"]:
            assert text[ref["start"]:ref["end"]] == ref["text"]


def test_document_ids_with_slashes_and_queries(client: Client) -> None:
    for url in (f"/api/v1/documents/{quote(HOSTILE_ID, safe='')}",):
        body = client.get(url).json()
        assert body["document"]["id"] == HOSTILE_ID and body["document"]["text"] == HOSTILE_TEXT
        quotes = [s for s in body["spans"] if s["kind"] == "quote"]
        assert quotes and HOSTILE_TEXT[quotes[0]["start"]:quotes[0]["end"]] == "It was <b>bold</b>,"


def test_actors_count_events_on_each_side(client: Client, store_path: Path) -> None:
    body = client.get("/api/v1/actors", params={"limit": 3}).json()
    assert body["count"] == 3 and body["total"] >= 6
    events = dotterel.open(store_path).events()
    for a in body["actors"]:
        assert a["source"] == int((events["source"] == a["code"]).sum())
        assert a["target"] == int((events["target"] == a["code"]).sum())
        assert a["name"] and a["events"] == a["source"] + a["target"]
    totals = [a["events"] for a in body["actors"]]
    assert totals == sorted(totals, reverse=True)
    only = client.get("/api/v1/actors", params={"type": "CONSULT"}).json()["actors"]
    assert {a["code"] for a in only} == {"CHN", "KEN", "MLI", "FRA"}


@pytest.mark.parametrize("params", [
    {"by": "dyad"}, {"by": ["quad"], "per": "week"}, {"by": ["source", "type"], "per": "none"},
    {"by": "target", "per": "year", "actor": "KEN", "distinct": "true"},
])
def test_aggregates_are_the_stores(client: Client, store_path: Path, params: dict[str, Any]) -> None:
    by = params["by"] if isinstance(params["by"], list) else [params["by"]]
    per = params.get("per", "month")
    flt = {k: v for k, v in params.items() if k == "actor"}
    expected = dotterel.open(store_path).aggregate(by=by, per=None if per == "none" else per,
                                                   distinct="distinct" in params, **flt)
    body = client.get("/api/v1/aggregates", params=params).json()
    assert body["by"] == by and body["per"] == per and not body["truncated"]
    assert len(body["rows"]) == len(expected)
    assert [r["events"] for r in body["rows"]] == [int(n) for n in expected["events"]]


def test_code_returns_the_contract_record_and_stores_only_when_asked(tmp_path: Path) -> None:
    from .serve_fixtures import build_store

    db = build_store(tmp_path / "s.duckdb", n=3)
    client = Client(make_app(db))
    story = {"text": "Kenya aided Somalia. France visited Mali.", "pub_date": "2025-02-03", "id": "fresh-1",
             "title": "Aid"}
    r = client.post("/api/v1/code", json=story)
    assert r.status_code == 200 and r.headers["x-dotterel-stored"] == "no"
    record = r.json()
    assert record["id"] == "fresh-1" and record["text"] == story["text"] and record["pub_date"] == "2025-02-03"
    assert [e["event_type"] for e in record["events"]] == ["AID", "CONSULT"]
    assert set(record) >= {"actors", "events", "quotes", "places", "dates", "errors", "coder"}
    is_error(client.get("/api/v1/documents/fresh-1"), 404)
    before = client.get("/api/v1/events", params={"actor": "SOM"}).json()["count"]
    r = client.post("/api/v1/code", params={"store": "true"}, json=story)
    assert r.headers["x-dotterel-stored"] == "yes"
    assert client.get("/api/v1/documents/fresh-1").json()["document"]["title"] == "Aid"
    assert client.get("/api/v1/events", params={"actor": "SOM"}).json()["count"] == before + 1
    r = client.post("/api/v1/code", params={"store": "true"}, json={**story, "text": "Kenya aided Somalia."})
    assert r.headers["x-dotterel-stored"] == "replaced"
    assert client.get("/api/v1/documents/fresh-1").json()["document"]["text"] == "Kenya aided Somalia."
    # the store can still be written by a dotterel run after the server wrote to it
    assert dotterel.open(db).counts()["documents"] == 5


def test_code_rejects_bad_documents(client: Client) -> None:
    assert "text" in is_error(client.post("/api/v1/code", json={"title": "no text"}), 422)["error"]
    assert "date" in is_error(client.post("/api/v1/code", json={"text": "Mali visited France.",
                                                                "pub_date": "soon"}), 422)["error"]
    is_error(client.post("/api/v1/code", content=b"{not json", headers={"content-type": "application/json"}), 422)
    empty = client.post("/api/v1/code", json={"text": "   "}).json()
    assert empty["events"] == [] and empty["errors"][0]["code"] == "empty_text"


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/api/v1/nothing", 404, "no such page"),
    ("/api/v1/events/999999", 404, "999999"),
    ("/api/v1/documents/unknown-doc", 404, "unknown-doc"),
    ("/api/v1/events?limit=0", 422, "limit"),
    ("/api/v1/events?limit=5000", 422, "limit"),
    ("/api/v1/events?limit=x", 422, "limit"),
    ("/api/v1/events/abc", 422, "eid"),
    ("/api/v1/events?quad=purple", 400, "quad"),
    ("/api/v1/events?since=yesterday", 400, "since"),
    ("/api/v1/events?cursor=bogus", 400, "cursor"),
    ("/api/v1/aggregates?by=colour", 400, "colour"),
    ("/api/v1/aggregates?per=decade", 400, "decade"),
    ("/api/v1/actors?limit=-1", 422, "limit"),
])
def test_every_error_has_one_shape(client: Client, url: str, status: int, words: str) -> None:
    assert words in is_error(client.get(url), status)["error"]


def test_wrong_method_is_the_same_shape(client: Client) -> None:
    is_error(client.post("/api/v1/events"), 405)


def test_request_size_limit(store_path: Path) -> None:
    client = Client(make_app(store_path, max_body=200))
    small = client.post("/api/v1/code", json={"text": "Mali visited France."})
    assert small.status_code == 200
    big = {"text": "Mali visited France. " * 20}
    assert "larger than 200 bytes" in is_error(client.post("/api/v1/code", json=big), 413)["error"]

    async def chunks() -> Any:  # no Content-Length: the body is counted as it streams in
        for _ in range(10):
            yield b'{"text": "' + b"x" * 50

    streamed = client.post("/api/v1/code", content=chunks(), headers={"content-type": "application/json"})
    is_error(streamed, 413)


def test_token_is_required_and_checked(store_path: Path) -> None:
    app = make_app(store_path, token="s3cret-token")
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-token"}):
        r = Client(app, headers).get("/api/v1/health")
        assert "token" in is_error(r, 401)["error"] and r.headers["www-authenticate"] == "Bearer"
    assert Client(app, {"Authorization": "Bearer s3cret-token"}).get("/api/v1/health").status_code == 200
    assert Client(app, {"Authorization": "bearer s3cret-token"}).get("/api/v1/events").status_code == 200
    is_error(Client(app).post("/api/v1/code", json={"text": "Mali visited France."}), 401)
    # a browser logs in once with ?token=, then carries an HttpOnly cookie
    login = Client(app).get("/events?actor=RUS&token=s3cret-token")
    assert login.status_code == 303 and login.headers["location"] == "/events?actor=RUS"
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = Client(app, {"Cookie": cookie.split(";")[0], "Accept": "text/html"}).get("/events")
    assert page.status_code == 200 and "<table" in page.text
    assert Client(app).get("/events?token=nope", headers={"Accept": "text/html"}).status_code == 401


def test_binding_beyond_localhost_needs_a_token(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dotterel.errors import UsageError
    from dotterel.serve import ServeSettings, is_loopback

    monkeypatch.delenv("DOTTEREL_TOKEN", raising=False)
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.7") and not is_loopback("example.org")
    with pytest.raises(UsageError, match="token"):
        ServeSettings.build(store_path, host="0.0.0.0")
    assert ServeSettings.build(store_path, host="0.0.0.0", token="t0k").token == "t0k"
    monkeypatch.setenv("DOTTEREL_TOKEN", "from-env")
    assert ServeSettings.build(store_path, host="0.0.0.0").token == "from-env"
    with pytest.raises(UsageError, match="no store"):
        ServeSettings.build(store_path.with_name("missing.duckdb"))
    with pytest.raises(UsageError, match="empty"):
        ServeSettings.build(store_path, token=" ")


def test_cors_is_off_unless_configured(store_path: Path) -> None:
    origin = {"Origin": "https://dash.example.org"}
    r = Client(make_app(store_path)).get("/api/v1/health", headers=origin)
    assert "access-control-allow-origin" not in r.headers
    r = Client(make_app(store_path, cors_origin=["https://dash.example.org"])).get("/api/v1/health",
                                                                                  headers=origin)
    assert r.headers["access-control-allow-origin"] == "https://dash.example.org"


def test_openapi_schema_lists_every_endpoint(client: Client) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == {"/api/v1/code", "/api/v1/events", "/api/v1/events/{eid}",
                                    "/api/v1/documents/{doc_id}", "/api/v1/actors",
                                    "/api/v1/aggregates", "/api/v1/health"}
    names = {p["name"] for p in schema["paths"]["/api/v1/events"]["get"]["parameters"]}
    assert names == {"source", "target", "actor", "sector", "type", "quad", "mode", "since", "until",
                     "text", "include_hypothetical", "include_negated", "limit", "cursor"}


def test_cli_serve_refuses_an_open_bind_without_token(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from dotterel.cli import app

    monkeypatch.delenv("DOTTEREL_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", str(store_path), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "token" in result.output


def test_public_surface() -> None:
    import dotterel.serve

    assert dotterel.serve.__all__ == ["SETTINGS", "ServeSettings", "create_app", "is_loopback", "serve"]
    names = [name for name, _, _ in dotterel.serve.SETTINGS]
    assert names == ["host", "port", "token", "max_body", "cors_origin", "cache_size"]


def test_cache_computes_a_missing_answer_once_for_concurrent_askers(store_path: Path) -> None:
    import threading
    import time

    from dotterel.serve.data import Catalog

    cat = Catalog(store_path, cache_size=4)
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.2)
        return 42

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(cat.cached("k", slow))) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 5 and len(calls) == 1
    assert Catalog(store_path, cache_size=0).cached("k", lambda: 7) == 7
    cat.close()


def test_event_rows_have_the_columns_and_values_of_dotterel_query(client: Client, store_path: Path) -> None:
    frame = dotterel.open(store_path).events(limit=5, actor="KEN")
    got = client.get("/api/v1/events", params={"limit": 5, "actor": "KEN"}).json()["events"]
    assert [k for k in got[0] if k not in ("eid", "id")] == list(frame.columns)
    for row, (_, expected) in zip(got, frame.iterrows(), strict=True):
        for column in ("doc_id", "event_id", "title", "outlet", "source", "target", "trigger", "sentence",
                       "location"):
            assert row[column] == (None if expected[column] is None else expected[column]), column
        assert row["pub_date"] == expected["pub_date"].date().isoformat()


def test_code_with_the_real_coder_is_the_contract_record(store_path: Path, coder: dotterel.Coder) -> None:
    from dotterel.serve import ServeSettings, create_app

    client = Client(create_app(ServeSettings.build(store_path), coder=coder))
    story = {"text": "The president of France met the prime minister of India in Paris on Monday.",
             "pub_date": "2025-05-07", "id": "real-1"}
    got = client.post("/api/v1/code", json=story).json()
    expected = coder.code(story["text"], pub_date=story["pub_date"], id="real-1").to_dict()
    assert got == expected
