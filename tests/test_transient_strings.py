"""Coding never grows spaCy's vocabulary: the words of a story are gone once it is coded.

spaCy keeps every new word form it parses for the life of the process; a worker coding a real
corpus (new names, numbers, typos in every story) would grow by every one of them. The coder
parses and reads each batch inside spaCy's memory zone (``nlp.transient_strings``) once its
first ``warm_up_stories`` are parsed. Stories here are written for these tests, with invented names.
"""

from __future__ import annotations

import itertools

import pytest

from dotterel import Coder
from dotterel.model import Document
from dotterel.nlp import transient_strings
from dotterel.parallel.worker import code_batch
from dotterel.sources.items import ReadDocument

_SYLLABLES = ["ka", "ro", "vel", "mun", "dri", "sa", "tor", "pel", "quo", "zin"]


def _names(n: int, salt: str) -> list[str]:
    """``n`` invented capitalised words no pipeline has seen."""
    return ["".join(p).capitalize() + salt for p in itertools.islice(itertools.product(_SYLLABLES, repeat=4), n)]


def _stories(salt: str) -> list[dict[str, str]]:
    names = _names(40, salt)
    return [
        {"id": f"{salt}-{i}",
         "text": f"President {a} of Velmaria met {b} in {c} on Monday and accused {d} of sheltering "
                 f"rebels near {e}, the ministry said. \"We will not accept this,\" {a} said."}
        for i, (a, b, c, d, e) in enumerate(zip(*[iter(names)] * 5, strict=True))
    ]


@pytest.fixture
def zoned(coder: Coder, monkeypatch: pytest.MonkeyPatch) -> Coder:
    """The session's coder with its warm-up over."""
    monkeypatch.setattr(coder, "warm_up_stories", 0)
    return coder


def test_coding_leaves_the_vocabulary_as_it_found_it(zoned: Coder) -> None:
    coder = zoned
    coder.code("The minister met the delegation on Monday.")  # lazy set-up first
    before = len(coder.nlp.vocab.strings)
    records = list(coder.code_many(_stories("qa")))
    assert len(records) == 8 and all(r.actors for r in records)
    assert len(coder.nlp.vocab.strings) == before


def test_a_worker_batch_leaves_the_vocabulary_as_it_found_it(zoned: Coder) -> None:
    coder = zoned
    coder.code("The minister met the delegation on Monday.")
    before = len(coder.nlp.vocab.strings)
    items = [ReadDocument(Document.from_dict(s)) for s in _stories("qb")]
    coded = code_batch(coder, items)
    assert [c.record.id for c in coded] == [s.document.doc_id for s in items]
    assert all(c.record.events for c in coded)
    assert len(coder.nlp.vocab.strings) == before


def test_outside_the_coder_spacy_keeps_new_words(coder: Coder) -> None:
    # what the zone undoes: parsing alone adds every new form (the tests above can fail)
    nlp = coder.nlp
    before = len(nlp.vocab.strings)
    with transient_strings(nlp):
        nlp.make_doc(" ".join(_names(20, "qc")))
    assert len(nlp.vocab.strings) == before
    nlp.make_doc(" ".join(_names(20, "qd")))
    assert len(nlp.vocab.strings) >= before + 20


def test_a_story_coded_again_after_its_words_were_freed_reads_the_same(zoned: Coder) -> None:
    coder = zoned
    story = _stories("qe")[0]
    first = coder.code(story["text"], id=story["id"]).to_dict()
    list(coder.code_many(_stories("qf")))  # other new words come and go in between
    again = coder.code(story["text"], id=story["id"]).to_dict()
    assert first == again and first["events"]


def test_the_warm_up_stories_keep_their_words_and_the_rest_do_not(coder: Coder, monkeypatch: pytest.MonkeyPatch) -> None:
    coder.code("The minister met the delegation on Monday.")
    monkeypatch.setattr(coder, "warm_up_stories", coder._parsed + 8)
    strings = coder.nlp.vocab.strings
    before = len(strings)
    warm = _stories("qg")
    list(coder.code_many(warm))  # the last 8 stories of the warm-up: their new words stay
    assert len(strings) >= before + 8
    assert warm[0]["text"].split()[1] in strings
    kept = len(strings)
    list(coder.code_many(_stories("qh")))  # after it, a memory zone: nothing is added
    code_batch(coder, [ReadDocument(Document.from_dict(s)) for s in _stories("qi")])
    assert len(strings) == kept


def test_workers_build_coders_with_the_same_warm_up() -> None:
    from dotterel.parallel.worker import CoderConfig

    assert CoderConfig.of(Coder(warm_up_stories=5)).build().warm_up_stories == 5
    assert CoderConfig.of(Coder()).warm_up_stories == Coder().warm_up_stories
