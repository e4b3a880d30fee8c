"""A small store and an in-process client for the tests of ``dotterel serve``.

Stories are written here (country sentences the scripted coder of
``store_fixtures`` understands); no spaCy model is loaded.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from dotterel import Document, EventLocation, Mention, Place
from dotterel.read import ReadDocument
from dotterel.store import StoreRunSummary, code_into_store

from .store_fixtures import ScriptedCoder

#: Where the scripted events happen: the target country (name, ISO3, lat, lon).
PLACES = {"UKR": ("Ukraine", 49.0, 32.0), "KEN": ("Kenya", 0.5, 37.9), "MLI": ("Mali", 17.6, -4.0),
          "RUS": ("Russia", 61.5, 105.3), "SOM": ("Somalia", 5.2, 46.2), "FRA": ("France", 46.2, 2.2)}


class LocatedCoder(ScriptedCoder):
    """The scripted coder, with each event located in its target country (a place of the story)."""

    def code_many(self, documents: Any, *, batch_size: int | None = None) -> Any:
        for record in super().code_many(documents, batch_size=batch_size):
            places: dict[str, Place] = {}
            for i, event in enumerate(record.events):
                ref = event.target[0]
                if ref.code not in PLACES:
                    continue
                name, lat, lon = PLACES[ref.code]
                event.location = EventLocation(name, ref.code, 1000 + i, lat, lon, ref.start, ref.end)
                place = places.setdefault(ref.code, Place(name, ref.code, None, lat, lon, 1000 + i, "country"))
                place.mentions.append(Mention(ref.start, ref.end, ref.text))
            record.places = list(places.values())
            yield record

SENTENCES = ["Russia attacked Ukraine.", "China visited Kenya.", "Britain did not aid Mali.",
             "France accused Russia.", "Kenya threatened Somalia.", "Mali visited France.",
             "Somalia might have attacked Kenya."]
#: The story whose text tries to inject a script into the story view.
HOSTILE_ID = "https://example.org/news/2024/hostile?x=1"
HOSTILE_TEXT = 'Russia attacked Ukraine. <script>window.pwned = 1</script> "It was <b>bold</b>," he said.'


def serve_docs(n: int = 60) -> list[ReadDocument]:
    """n stories over 2024, two or three events each, plus one with markup in its text."""
    out = []
    for i in range(n):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=(i * 11) % 360)
        text = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(2 + i % 2))
        if i % 6 == 0:
            text += " Talks on a ceasefire went on."
        out.append(ReadDocument(Document(id=f"s{i:03d}", title=f"Story {i}", text=text,
                                         pub_date=day.isoformat(), source=f"outlet{i % 3}")))
    out.append(ReadDocument(Document(id=HOSTILE_ID, title="A <script>alert(1)</script> headline",
                                     text=HOSTILE_TEXT, pub_date="2024-12-30")))
    return out


def build_store(path: Path, n: int = 60) -> Path:
    list(code_into_store(serve_docs(n), db=path, coder=LocatedCoder(), summary=StoreRunSummary()))
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("fastapi", reason="dotterel serve needs the 'serve' extra")
    return build_store(tmp_path_factory.mktemp("serve") / "events.duckdb")


class Client:
    """Synchronous calls into the ASGI app through httpx.ASGITransport (in process)."""

    def __init__(self, app: Any, headers: dict[str, str] | None = None) -> None:
        self.app = app
        self.headers = headers or {}

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        import httpx

        async def go() -> Any:
            transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1",
                                         headers=self.headers) as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(go())

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.request("POST", url, **kwargs)


def make_app(db: Path, **settings: Any) -> Any:
    from dotterel.serve import ServeSettings, create_app

    return create_app(ServeSettings.build(db, **settings), coder=LocatedCoder())
