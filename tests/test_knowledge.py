"""Knowledge is injectable (events, quotes, dates lexicons) and versioned in every record."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from dotterel import Coder
from dotterel.datafiles import knowledge_version
from dotterel.dates.lexicon import load_lexicon as date_lexicon
from dotterel.events.lexicon import load_lexicon as event_lexicon
from dotterel.quotes.lexicon import load_lexicon as quote_lexicon

STORY = "Russia attacked Ukraine on 5 March 2024, the ministry said."


def test_the_knowledge_version_is_in_the_coder_info() -> None:
    assert Coder().info["knowledge"] == knowledge_version()
    assert Coder(knowledge_version="mine-1").info["knowledge"] == "mine-1"


def test_an_actor_file_or_an_injected_lexicon_changes_the_knowledge_version(tmp_path: Path) -> None:
    extra = tmp_path / "mine.tsv"
    extra.write_text("name\tkind\tcode\tcountry\tsector\trole\taliases\nAcme Party\tparty\t\tGBR\tPTY\t\t\n",
                     encoding="utf-8")
    bundled = Coder().knowledge
    with_file = Coder(actor_files=[extra]).knowledge
    assert with_file != bundled
    extra.write_text(extra.read_text(encoding="utf-8") + "Zed Party\tparty\t\tGBR\tPTY\t\t\n", encoding="utf-8")
    assert Coder(actor_files=[extra]).knowledge != with_file
    assert Coder(events_lexicon=event_lexicon()).knowledge != bundled
    assert Coder(events_lexicon=event_lexicon("overrides")).knowledge != Coder(events_lexicon=event_lexicon()).knowledge


def test_the_default_lexicons_are_the_bundled_ones() -> None:
    coder = Coder()
    assert coder.events is event_lexicon() and coder.quotes is quote_lexicon() and coder.dates is date_lexicon()


def test_injected_lexicons_are_used(coder: Coder) -> None:
    plain = coder.code(STORY, pub_date="2024-03-06")
    assert [e.event_type for e in plain.events] == ["ASSAULT"]
    assert [d.date for d in plain.dates] == ["2024-03-05"]
    assert "said" in [q.cue.text for q in plain.quotes if q.cue]

    events = event_lexicon()
    no_attack = dataclasses.replace(
        events, triggers={k: v for k, v in events.triggers.items() if k[0] != "attack"},
        patterns={k: v for k, v in events.patterns.items() if k[0] != "attack"}, _verb_lemmas=None)
    dates = date_lexicon()
    no_march = dataclasses.replace(dates, months={k: v for k, v in dates.months.items() if v != 3} | {"Mar-x": 3})
    quotes = quote_lexicon()
    no_say = dataclasses.replace(quotes, verbs={k: v for k, v in quotes.verbs.items() if k != "say"})
    custom = Coder(events_lexicon=no_attack, dates_lexicon=no_march, quotes_lexicon=no_say)
    custom._nlp = coder.nlp  # the same spaCy pipeline, loaded once
    record = custom.code(STORY, pub_date="2024-03-06")
    assert "ASSAULT" not in [e.event_type for e in record.events]
    assert "2024-03-05" not in [d.date for d in record.dates]
    assert "said" not in [q.cue.text for q in record.quotes if q.cue]
    # the bundled lexicons are untouched: the process-wide cache is only the default
    assert [e.event_type for e in coder.code(STORY, pub_date="2024-03-06").events] == ["ASSAULT"]
