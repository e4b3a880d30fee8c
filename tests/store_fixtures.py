"""Records built by hand for store tests, and a coder that produces them without spaCy.

:class:`ScriptedCoder` is a real :class:`dotterel.Coder` whose extractors are
replaced by a rule over the text: every sentence "<A> <verb>s <B>." where A and B
are country names yields one event. It keeps store tests fast and independent of
the extractors' current quality; tests that need real coding use the real Coder.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator

from dotterel import (
    Actor,
    ActorRef,
    CodedDocument,
    Coder,
    Event,
    Mention,
    Quote,
    SentenceRef,
    Speaker,
    TextSpan,
    TimeExpr,
)
from dotterel.coder import DocumentLike, _as_read_document

COUNTRIES = {"Russia": "RUS", "Ukraine": "UKR", "China": "CHN", "Kenya": "KEN", "Somalia": "SOM",
             "France": "FRA", "Mali": "MLI", "Britain": "GBR"}
VERBS = {"attacked": ("ASSAULT", None, "material conflict", "190"),
         "visited": ("CONSULT", "visit", "verbal cooperation", "042"),
         "accused": ("ACCUSE", "allege", "verbal conflict", "112"),
         "aided": ("AID", None, "material cooperation", "070"),
         "threatened": ("THREATEN", None, "verbal conflict", "130")}
VERBS.update({"attack": VERBS["attacked"], "visit": VERBS["visited"], "accuse": VERBS["accused"],
              "aid": VERBS["aided"], "threaten": VERBS["threatened"]})
SENTENCE = re.compile(r"(\b[A-Z][a-z]+) (might have |did not )?(attacked|visited|accused|aided|threatened|attack|visit|accuse|aid|threaten) ([A-Z][a-z]+)\b[^.]*\.")


def scripted_record(doc_id: str, text: str, *, title: str | None = None, pub_date: str | None = None,
                    url: str | None = None, source: str | None = None, version: str = "0.1.0") -> CodedDocument:
    """Code ``text`` with the sentence rule above (offsets exact, as the contract demands)."""
    record = CodedDocument(id=doc_id, text=text, title=title, pub_date=pub_date, url=url, source=source,
                           language="en", coder={"name": "dotterel", "version": version, "model": "scripted"})
    actors: dict[str, Actor] = {}

    def actor(name: str, start: int) -> Actor:
        if name not in actors:
            code = COUNTRIES[name]
            actors[name] = Actor(id=f"A{len(actors) + 1}", name=name, kind="state", code=code,
                                 country=code, sector="GOV", role=None)
        actors[name].mentions.append(Mention(start, start + len(name), name))
        return actors[name]

    for n, m in enumerate(SENTENCE.finditer(text)):
        a, flag, verb, b = m.group(1), m.group(2), m.group(3), m.group(4)
        if a not in COUNTRIES or b not in COUNTRIES:
            continue
        src, tgt = actor(a, m.start(1)), actor(b, m.start(4))
        etype, mode, quad, cameo = VERBS[verb]
        record.events.append(Event(
            id=f"{doc_id}-E{n + 1}", event_type=etype, mode=mode, context=["military"] if etype == "ASSAULT" else [],
            cameo=cameo, quad=quad,
            source=[ActorRef(src.id, a, src.code, "GOV", m.start(1), m.end(1))],
            target=[ActorRef(tgt.id, b, tgt.code, "GOV", m.start(4), m.end(4))],
            trigger=TextSpan(verb, m.start(3), m.end(3)), sentence=SentenceRef(n, m.start(), m.end()),
            in_title=False, date=pub_date, date_precision="day" if pub_date else None, date_text=None,
            location=None, negated=flag == "did not ", hypothetical=flag == "might have ",
            reported_by=None, confidence=0.5))
    record.actors = list(actors.values())
    q = text.find('"')
    if q >= 0 and text.find('"', q + 1) > q:
        end = text.find('"', q + 1)
        record.quotes.append(Quote(id="Q1", direct=True, in_title=False, speaker=Speaker(None, "someone", 0, 0),
                                   cue=None, content=TextSpan(text[q + 1:end], q + 1, end)))
    if pub_date:
        record.dates.append(TimeExpr(text[:0], 0, 0, False, pub_date, "day"))
    return record


class ScriptedCoder(Coder):
    """A Coder whose output comes from :func:`scripted_record` (no spaCy model is loaded)."""

    version: str = "0.1.0"
    #: seconds spent per document, to make runs slow enough to interrupt
    delay: float = 0.0

    def code_many(self, documents: Iterable[DocumentLike], *, batch_size: int | None = None
                  ) -> Iterator[CodedDocument]:
        for item in documents:
            read = _as_read_document(item)
            d = read.document
            if self.delay:
                time.sleep(self.delay)
            if read.read_error or not d.text.strip():
                rec = self._empty_record(d, [])
                from dotterel.model import DocumentError
                rec.errors.append(DocumentError("empty_text", "the story has no text"))
                yield rec
                continue
            yield scripted_record(d.doc_id, d.text, title=d.title, pub_date=d.pub_date, url=d.url,
                                  source=d.source, version=self.version)

    @property
    def info(self) -> dict[str, str]:
        return {"name": "dotterel", "version": self.version, "model": "scripted"}
