"""The public surface: what `import dotterel` offers and what it costs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import dotterel
from dotterel import CodedDocument, Coder, Document, InputError
from dotterel.datafiles import knowledge_version

PINNED_ALL = {
    "Actor", "ActorRef", "CodedDocument", "Coder", "DependencyError", "Document", "DocumentError",
    "DotterelError", "Event", "EventLocation", "InputError", "Mention", "Place", "Quote",
    "RunSummary", "SentenceRef", "Speaker", "TextSpan", "TimeExpr", "UsageError", "__version__",
    "code", "code_inputs", "open",
}


def test_all_is_pinned() -> None:
    assert set(dotterel.__all__) == PINNED_ALL


def test_import_does_not_load_spacy() -> None:
    code = "import sys, dotterel; dotterel.Coder(); print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


CONTRACT_KEYS = ["id", "text", "title", "pub_date", "url", "source", "language", "coder",
                 "actors", "events", "quotes", "places", "dates", "errors"]


def test_code_returns_contract_record(coder: Coder) -> None:
    record = coder.code("The minister met the ambassador in Paris on Monday.", pub_date="2025-01-03")
    assert isinstance(record, CodedDocument)
    data = record.to_dict()
    assert list(data) == CONTRACT_KEYS
    assert data["coder"] == {"name": "dotterel", "version": dotterel.__version__, "model": "en_core_web_sm 3.8.0",
                             "knowledge": knowledge_version()}
    assert data["pub_date"] == "2025-01-03"
    assert "text" not in record.to_dict(include_text=False)
    json.dumps(data)


def test_code_many_keeps_order_and_mixes_inputs(coder: Coder) -> None:
    docs = [
        {"id": "a", "text": "Russia and China held talks in Beijing.", "published": "2025-03-14 20:30:26Z", "x": 1},
        Document(id="b", text=""),
        {"id": "c", "text": "The president visited Kenya last week."},
    ] * 5
    out = list(coder.code_many(docs, batch_size=2))
    assert [r.id for r in out] == ["a", "b", "c"] * 5
    assert [bool(r.errors) for r in out] == [False, True, False] * 5
    assert out[0].pub_date == "2025-03-14"
    assert out[1].errors[0].code == "empty_text"


def test_code_many_is_lazy(coder: Coder) -> None:
    def endless():  # type: ignore[no-untyped-def]
        i = 0
        while True:
            i += 1
            yield {"id": str(i), "text": "Kenya sent troops to Somalia."}

    stream = coder.code_many(endless(), batch_size=2)
    first = next(stream)
    assert first.id == "1"


def test_not_a_document_raises_input_error(coder: Coder) -> None:
    with pytest.raises(InputError, match="text"):
        list(coder.code_many([{"title": "no text"}]))


def test_output_is_deterministic(coder: Coder) -> None:
    text = "Kenya's president Ruto met Ethiopian Prime Minister Abiy in Nairobi on Friday, officials said."
    a = coder.code(text, pub_date="2025-01-03").to_dict()
    b = coder.code(text, pub_date="2025-01-03").to_dict()
    assert json.dumps(a) == json.dumps(b)
