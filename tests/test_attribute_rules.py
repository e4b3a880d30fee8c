"""The array matcher finds exactly the attribute ruler's own matches, or steps aside."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.pipeline import AttributeRuler

from dotterel import Coder, attribute_rules
from dotterel.attribute_rules import ArrayMatcher

# Written for these tests: contractions the ruler splits ("gonna", "let's"), expletive "there",
# "but" as an adverb, subordinators, determiners, doubled spaces, a one-word text.
TEXTS = [
    "We're gonna sign the deal, but the talks have gotta go on, the minister said.",
    "Let's be clear: there's no plan and there are no talks while the siege lasts.",
    "The  rebels  said   that  they  would  not  leave  unless  the  army  withdrew.\n\nNothing else.",
    "Because of that, anyone who wants anything must ask; all but two agreed.",
    "Kazakhstan's president, whose term ends in 2029, met Putin and Xi in Astana on Tuesday.",
    "Whatever.",
    "",
]


@pytest.fixture(scope="module")
def nlp(coder: Coder) -> Language:
    return coder.nlp


def _docs(nlp: Language) -> list:
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        return list(nlp.pipe(TEXTS))


def test_the_pipeline_uses_the_array_matcher(nlp: Language) -> None:
    assert isinstance(nlp.get_pipe("attribute_ruler").match, ArrayMatcher)


def test_same_matches_as_spacys_matcher(nlp: Language) -> None:
    ruler = nlp.get_pipe("attribute_ruler")
    fast = ArrayMatcher.for_ruler(ruler)
    assert fast is not None
    for doc in _docs(nlp):
        expected = AttributeRuler.match(ruler, doc)
        assert fast(doc) == expected, doc.text
    # the texts reach the two-token patterns and a pattern that sets the second token
    keys = {key for doc in _docs(nlp) for key, *_ in fast(doc)}
    two_token = {i for i, p in enumerate(ruler.patterns) if any(len(alt) == 2 for alt in p["patterns"])}
    assert keys & two_token


def test_same_annotations_as_spacys_matcher(nlp: Language) -> None:
    ruler = nlp.get_pipe("attribute_ruler")
    fast_docs = list(nlp.pipe(TEXTS))
    ruler.match = lambda doc: AttributeRuler.match(ruler, doc)  # type: ignore[method-assign]
    try:
        slow_docs = list(nlp.pipe(TEXTS))
    finally:
        assert attribute_rules.install(ruler)
    for fast, slow in zip(fast_docs, slow_docs, strict=True):
        assert [(t.pos_, str(t.morph), t.tag_, t.lemma_) for t in fast] == \
               [(t.pos_, str(t.morph), t.tag_, t.lemma_) for t in slow]


def test_regex_answers_stay_right_when_their_cache_is_emptied(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    ruler = nlp.get_pipe("attribute_ruler")
    fast = ArrayMatcher.for_ruler(ruler)
    assert fast is not None and fast._regexes
    monkeypatch.setattr(attribute_rules, "SEARCH_CACHE", 3)
    for doc in _docs(nlp) * 2:
        assert fast(doc) == AttributeRuler.match(ruler, doc)
    assert all(len(answers) <= 3 for answers in fast._searched.values())


def _ruler(nlp: Language, patterns: list) -> AttributeRuler:
    ruler = AttributeRuler(nlp.vocab)
    ruler.add_patterns(patterns)
    return ruler


def test_a_pattern_with_an_operator_keeps_spacys_matcher(nlp: Language) -> None:
    ruler = _ruler(nlp, [{"patterns": [[{"LOWER": "very", "OP": "+"}]], "attrs": {"POS": "ADV"}}])
    assert ArrayMatcher.for_ruler(ruler) is None
    assert not attribute_rules.install(ruler)
    assert "match" not in vars(ruler)


def test_a_ruler_without_patterns_keeps_spacys_matcher(nlp: Language) -> None:
    ruler = _ruler(nlp, [])
    assert not attribute_rules.install(ruler)
    assert ruler.match(_docs(nlp)[0]) == []


def test_patterns_added_after_install_are_still_matched(nlp: Language) -> None:
    ruler = _ruler(nlp, [{"patterns": [[{"TAG": "NNP"}]], "attrs": {"POS": "PROPN"}}])
    assert attribute_rules.install(ruler)
    ruler.add([[{"LOWER": "talks"}]], {"POS": "NOUN"})
    doc = _docs(nlp)[1]
    matched = ruler.match(doc)
    assert matched == AttributeRuler.match(ruler, doc)
    assert any(key == 1 for key, *_ in matched)


def test_set_and_negated_set_tests(nlp: Language) -> None:
    ruler = _ruler(nlp, [
        {"patterns": [[{"TAG": {"IN": ["NN", "NNS"]}, "DEP": {"NOT_IN": ["nsubj"]}}]], "attrs": {"POS": "NOUN"}},
        {"patterns": [[{"IS_SPACE": True}], [{"LOWER": {"REGEX": "^[a-z]+s$"}}, {"TAG": "IN"}]],
         "attrs": {"POS": "X"}, "index": 0},
    ])
    fast = ArrayMatcher.for_ruler(ruler)
    assert fast is not None
    found = 0
    for doc in _docs(nlp):
        expected = AttributeRuler.match(ruler, doc)
        assert fast(doc) == expected
        found += len(expected)
    assert found > 10
