"""The quote lexicon files and the quotation-mark finder (no spaCy needed)."""

from __future__ import annotations

import pytest

from dotterel.quotes.lexicon import KINDS, TAKES, load_lexicon, parse_nouns, parse_verbs
from dotterel.quotes.marks import find_quoted


@pytest.fixture(scope="module")
def lex():  # type: ignore[no-untyped-def]
    return load_lexicon()


def test_cue_verbs_parse_and_cover_the_issue_cues(lex) -> None:  # type: ignore[no-untyped-def]
    for lemma in ("say", "tell", "add", "note", "stress", "warn", "recall", "deny", "state", "believe", "want"):
        assert lemma in lex.verbs, lemma
        assert lex.verbs[lemma].kind in KINDS
    assert "clause" in lex.verbs["say"].takes
    assert "to" in lex.verbs["want"].takes
    assert "prep:for" in lex.verbs["call"].takes
    for verb in lex.verbs.values():
        assert verb.kind in KINDS
        assert all(t in TAKES or t.startswith("prep:") for t in verb.takes)
        assert verb.kind == "none" or verb.takes, verb.lemma


def test_blocked_verbs_are_not_cues(lex) -> None:  # type: ignore[no-untyped-def]
    assert lex.verbs["mean"].kind == "none"


def test_phrases_nouns_and_marks(lex) -> None:  # type: ignore[no-untyped-def]
    assert ("according", "to") in lex.phrases
    assert "clause" in lex.nouns["statement"]
    assert "prep:of" in lex.nouns["criticism"]
    assert {"“", "”", '"', "‘", "’", "'"} <= lex.marks.all
    assert ("so-called",) in lex.scare_introducers


def test_parse_verbs_rejects_bad_rows() -> None:
    with pytest.raises(ValueError, match="kind"):
        parse_verbs([["say", "shouting", "clause"]])
    with pytest.raises(ValueError, match="twice"):
        parse_verbs([["say", "speech", "clause"], ["say", "speech", "object"]])
    with pytest.raises(ValueError, match="lemma, kind, takes"):
        parse_verbs([["say", "speech"]])


def test_parse_nouns_rejects_bad_rows() -> None:
    assert parse_nouns([["claim", "clause,prep:of"]]) == {"claim": frozenset({"clause", "prep:of"})}
    with pytest.raises(ValueError, match="complement"):
        parse_nouns([["claim", "object"]])
    with pytest.raises(ValueError, match="noun, takes"):
        parse_nouns([["claim"]])


def _quoted(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quoted(text, load_lexicon().marks)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “we will win” today.", ["we will win"]),
        ('He said "we will win" today.', ["we will win"]),
        ("‘Peace is near,' says the minister", ["Peace is near,"]),
        ("‘Peace is near,’ says the minister", ["Peace is near,"]),
        ("The country’s leader didn’t say ‘no’ to the talks.", ["no"]),
        ("Farmers' unions met. 'They won't stop,' he said.", ["They won't stop,"]),
        ('The TV has a 65" screen and a "smart" remote.', ["smart"]),
        ("He is 6'2\" tall.", []),
        ("In the ’90s it was “different.”", ["different."]),
        ('<tweet author="someone" id="1">Hello</tweet> "Quoted text here," he said.',
         ["Quoted text here,"]),
    ],
)
def test_marks_pairing(text: str, expected: list[str]) -> None:
    assert _quoted(text) == expected


def test_quote_continues_into_next_paragraph() -> None:
    text = "“We will win this fight.\n“And we will rebuild,” he said.\nNo quote here."
    found = find_quoted(text, load_lexicon().marks)
    assert [text[q.start : q.end] for q in found] == ["We will win this fight.", "And we will rebuild,"]
    assert not found[0].closed and found[1].continued


def test_unclosed_quote_stops_at_paragraph_end() -> None:
    text = "He said “this never closes\nA new paragraph with “a quote” inside."
    assert _quoted(text) == ["this never closes", "a quote"]
