"""Quotes and attribution: constructions, traps, the example story, exact spans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dotterel import CodedDocument, Coder, Quote

TOKAYEV_TEXTS = {"Tokayev", "Kassym-Jomart Tokayev", "Kazakh President Kassym-Jomart Tokayev",
                 "The Kazakh president", "he", "He"}


def quotes_of(coder: Coder, text: str, title: str | None = None) -> list[Quote]:
    return coder.code(text, title=title).quotes


def only(quotes: list[Quote], fragment: str) -> Quote:
    """The single quote whose content contains ``fragment``."""
    found = [q for q in quotes if fragment in q.content.text]
    assert len(found) == 1, [q.to_dict() for q in quotes]
    return found[0]


def check_spans(record: CodedDocument) -> None:
    for q in record.quotes:
        source = record.title if q.in_title else record.text
        assert source is not None
        for span in (q.content, q.cue, q.speaker):
            if span is not None:
                assert source[span.start : span.end] == span.text, (q.id, span)
        assert q.content.text.strip() == q.content.text and q.content.text


# --- the example story -------------------------------------------------------


def test_example_direct_quotes_are_all_tokayevs(example_record: CodedDocument) -> None:
    direct = [q for q in example_record.quotes if q.direct]
    assert len(direct) == 6
    tokayev_ids = {a.id for a in example_record.actors if "Tokayev" in a.name}
    for q in direct:
        assert q.speaker is not None, q.to_dict()
        assert q.speaker.text in TOKAYEV_TEXTS, q.to_dict()
        if tokayev_ids:
            assert q.speaker.actor in tokayev_ids, q.to_dict()
    openings = [q.content.text[:20] for q in direct]
    assert openings == ["Kazakhstan calling f", "I must emphasize tha", "A unique situation i",
                        "Taking into account ", "In addition, I do no", "I am sure that this "]


def test_example_headline_quote(example_record: CodedDocument) -> None:
    first = example_record.quotes[0]
    assert first.id == "Q1" and first.in_title and first.direct
    assert example_record.title is not None
    assert example_record.title[first.content.start : first.content.end] == first.content.text
    assert first.content.text.startswith("Kazakhstan calling") and first.content.text.endswith("Ukraine")
    assert first.speaker is not None and first.speaker.text == "Tokayev"
    assert first.cue is not None and first.cue.text == "says"


def test_example_meaningful_and_frank_is_tokayevs_reported_wording(example_record: CodedDocument) -> None:
    q = only(example_record.quotes, "meaningful and frank")
    assert not q.direct
    assert q.content.text.startswith("he and Trump had")
    assert q.speaker is not None and q.speaker.text == "Tokayev"
    tokayev_ids = {a.id for a in example_record.actors if "Tokayev" in a.name}
    if tokayev_ids:
        assert q.speaker.actor in tokayev_ids
    assert not any(p.content.text == "meaningful and frank" for p in example_record.quotes)


def test_example_ids_in_text_order_and_spans_exact(example_record: CodedDocument) -> None:
    quotes = example_record.quotes
    assert [q.id for q in quotes] == [f"Q{i}" for i in range(1, len(quotes) + 1)]
    order = [(not q.in_title, q.content.start) for q in quotes]
    assert order == sorted(order)
    check_spans(example_record)


# --- direct quotes -------------------------------------------------------------


@pytest.mark.parametrize("open_mark,close_mark", [("“", "”"), ('"', '"'), ("‘", "’"), ("‘", "'")])
def test_direct_quote_in_any_marks(coder: Coder, open_mark: str, close_mark: str) -> None:
    text = f"{open_mark}We are ready to help end the war,{close_mark} the foreign minister said on Monday."
    q = only(quotes_of(coder, text), "ready")
    assert q.direct
    assert q.content.text == "We are ready to help end the war"
    assert q.speaker is not None and q.speaker.text == "the foreign minister"
    assert q.cue is not None and q.cue.text == "said"


def test_cue_before_the_quote(coder: Coder) -> None:
    q = only(quotes_of(coder, "The ambassador told reporters: “Our position has not changed at all.”"),
             "position")
    assert q.direct and q.content.text == "Our position has not changed at all."
    assert q.speaker is not None and q.speaker.text == "The ambassador"


def test_inverted_cue_after_quote(coder: Coder) -> None:
    q = only(quotes_of(coder, "“We will not accept these terms,” said Prime Minister Anna Berg."), "terms")
    assert q.direct
    assert q.speaker is not None and "Berg" in q.speaker.text


def test_multi_sentence_quote(coder: Coder) -> None:
    text = "“The talks went well. We agreed on a timetable. Now the work begins,” the envoy said."
    q = only(quotes_of(coder, text), "timetable")
    assert q.direct and q.content.text.startswith("The talks went well.")
    assert q.content.text.endswith("Now the work begins")


def test_multi_paragraph_quote_keeps_its_speaker(coder: Coder) -> None:
    text = ("“We have waited for years,” the mayor said. “The city cannot wait any longer.\n\n"
            "“We will build the bridge this year, whatever the cost turns out to be.”")
    quotes = [q for q in quotes_of(coder, text) if q.direct]
    assert [q.content.text[:12] for q in quotes] == ["We have wait", "The city can", "We will buil"]
    assert all(q.speaker is not None and q.speaker.text == "the mayor" for q in quotes)


def test_quote_interrupted_by_its_cue_gives_two_records_sharing_speaker_and_cue(coder: Coder) -> None:
    quotes = quotes_of(coder, "“The situation,” he said, “is unique in our history.”")
    assert [q.content.text for q in quotes] == ["The situation", "is unique in our history."]
    assert all(q.direct for q in quotes)
    assert quotes[0].cue == quotes[1].cue and quotes[0].cue is not None
    assert quotes[0].speaker == quotes[1].speaker and quotes[0].speaker is not None


def test_partial_quote_is_part_of_reported_content(coder: Coder) -> None:
    quotes = quotes_of(coder, "The president said he had a “long and useful” meeting with the envoy.")
    assert len(quotes) == 1
    q = quotes[0]
    assert not q.direct and "“long and useful” meeting" in q.content.text
    assert q.speaker is not None and q.speaker.text == "The president"


# --- reported speech -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        ("The minister said that the border would reopen next week.", "The minister", "said",
         "that the border would reopen next week"),
        ("The minister said the border would reopen next week.", "The minister", "said",
         "the border would reopen next week"),
        ("The general told reporters that the troops would stay.", "The general", "told",
         "that the troops would stay"),
        ("The envoy added that more talks were planned.", "The envoy", "added", "that more talks were planned"),
        ("The minister noted that exports had doubled.", "The minister", "noted", "that exports had doubled"),
        ("The president stressed that the country needs peace.", "The president", "stressed",
         "that the country needs peace"),
        ("The agency warned that prices could rise again.", "The agency", "warned",
         "that prices could rise again"),
        ("The ministry denied that any soldiers had crossed the border.", "The ministry", "denied",
         "that any soldiers had crossed the border"),
        ("The border will reopen next week, the minister said.", "the minister", "said",
         "The border will reopen next week"),
        ("The mayor believes that the plan will fail.", "The mayor", "believes", "that the plan will fail"),
        ("The opposition wants to hold new elections.", "The opposition", "wants", "to hold new elections"),
    ],
)
def test_reported_speech(coder: Coder, text: str, speaker: str, cue: str, content: str) -> None:
    quotes = quotes_of(coder, text)
    assert len(quotes) == 1, [q.to_dict() for q in quotes]
    q = quotes[0]
    assert not q.direct
    assert q.speaker is not None and q.speaker.text == speaker
    assert q.cue is not None and q.cue.text == cue
    assert q.content.text == content


def test_according_to(coder: Coder) -> None:
    q = only(quotes_of(coder, "According to the ministry, the talks will resume in March."), "talks")
    assert not q.direct
    assert q.content.text == "the talks will resume in March"
    assert q.speaker is not None and q.speaker.text == "the ministry"
    assert q.cue is not None and q.cue.text == "According to"


def test_pronoun_speaker_resolves_to_the_actor(coder: Coder) -> None:
    record = coder.code("President Kassym-Jomart Tokayev visited Aktau on Friday. "
                        "He recalled that the plant had been built in 1972.")
    q = only(record.quotes, "plant")
    assert q.speaker is not None and q.speaker.text == "He"
    ids = {a.id for a in record.actors if "Tokayev" in a.name}
    if ids:
        assert q.speaker.actor in ids


def test_organisation_and_title_speakers(coder: Coder) -> None:
    record = coder.code("Kazakh President Kassym-Jomart Tokayev met the press in Astana. "
                        "The Kazakh president said the economy grew last year. "
                        "The ministry said the figures would be published in May.")
    president = only(record.quotes, "economy")
    ministry = only(record.quotes, "figures")
    assert president.speaker is not None and president.speaker.text == "The Kazakh president"
    assert ministry.speaker is not None and ministry.speaker.text == "The ministry"
    ids = {a.id for a in record.actors if "Tokayev" in a.name}
    if ids:
        assert president.speaker.actor in ids


def test_unknown_speaker_has_null_actor(coder: Coder) -> None:
    q = only(quotes_of(coder, "“Nobody expected this outcome,” one observer said."), "outcome")
    assert q.speaker is not None and q.speaker.actor is None


def test_headline_quote_offsets_point_into_the_title(coder: Coder) -> None:
    record = coder.code("The minister spoke on Monday.", title="‘We are ready for peace talks,' says minister")
    q = record.quotes[0]
    assert q.in_title and q.direct and q.content.text == "We are ready for peace talks"
    assert record.title is not None and record.title[q.content.start : q.content.end] == q.content.text
    assert q.speaker is not None and q.speaker.text == "minister"
    check_spans(record)


# --- traps ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The so-called ‘mediators’ arrived in the capital on Tuesday.",
        "The so-called “peace plan” was published on Tuesday.",
        "She reviewed the book “The Long Road Home” for the newspaper.",
        "They watched the film “War and Peace” at the festival.",
        "The factory makes 55\" screens and 12\" tablets.",
        "The country’s leader didn’t attend, and the farmers’ union wasn’t invited.",
        "Kazakhstan’s ‘new’ policy remained unclear.",
    ],
)
def test_no_quote_from_scare_quotes_titles_inch_marks_apostrophes(coder: Coder, text: str) -> None:
    assert quotes_of(coder, text) == []


def test_apostrophes_inside_a_single_quoted_headline(coder: Coder) -> None:
    record = coder.code("Body text.", title="‘Kazakhstan’s role didn’t change,’ says Tokayev")
    assert [q.content.text for q in record.quotes] == ["Kazakhstan’s role didn’t change"]


# --- exactness -----------------------------------------------------------------


def test_all_spans_exact_on_constructed_stories(coder: Coder) -> None:
    texts = [
        "“A,” he said. ‘B is here,' she said, “and C is there.”\n\n“Open quote\n“continues here,” they said.",
        "Officials said that the ‘talks’ had failed, according to the agency. He didn’t say.",
        'A 5" tablet. "Straight quotes are fine," the editor wrote, "mostly."',
    ]
    for text in texts:
        check_spans(coder.code(text, title="‘Title quote,' says editor"))


def test_all_spans_exact_on_development_stories(coder: Coder, voa_path: Path) -> None:
    with voa_path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for _, line in zip(range(12), handle, strict=False)]
    records = list(coder.code_many({"text": r["text"], "title": r.get("title")} for r in rows))
    assert sum(len(r.quotes) for r in records) > 0
    for record in records:
        check_spans(record)


def test_headline_name_colon_quote(coder: Coder) -> None:
    record = coder.code("Body text here.", title="Tokayev: ‘We Will Keep Talking to Everyone’")
    q = only(record.quotes, "Keep Talking")
    assert q.in_title and q.direct and q.content.text == "We Will Keep Talking to Everyone"
    assert q.speaker is not None and q.speaker.text == "Tokayev"
    assert q.cue is not None and q.cue.text == ":"


def test_quoted_report_title_next_to_a_cue_is_not_a_quote(coder: Coder) -> None:
    quotes = quotes_of(coder, "The figures come from the “Annual Steel Industry Report,” the ministry said.")
    assert not any(q.direct for q in quotes)


def test_speaker_stops_before_a_clause_reporting_speech(coder: Coder) -> None:
    text = "Work will start soon, according to the mayor, who said that the funds were ready."
    q = only(quotes_of(coder, text), "Work will start")
    assert q.speaker is not None and q.speaker.text == "the mayor"


def test_short_quote_that_is_a_whole_object_stays_reported(coder: Coder) -> None:
    q = only(quotes_of(coder, "The mayor described the decision as “deeply unfair.”"), "unfair")
    assert not q.direct and q.content.text.startswith("the decision")


def test_short_spoken_line_is_a_direct_quote(coder: Coder) -> None:
    q = only(quotes_of(coder, "“Absolutely,” the minister said."), "Absolutely")
    assert q.direct and q.content.text == "Absolutely"


def test_output_is_deterministic(coder: Coder) -> None:
    text = "“We agree,” he said. The ministry said talks would resume, according to officials."
    first = [q.to_dict() for q in quotes_of(coder, text)]
    assert first == [q.to_dict() for q in quotes_of(coder, text)]


def test_noun_cues(coder: Coder) -> None:
    quotes = quotes_of(coder, "The ministry's claim that the dam was safe has been disputed for years. "
                              "Her criticism of the new tax plan was sharp.")
    claim = only(quotes, "dam")
    assert claim.content.text == "that the dam was safe"
    assert claim.speaker is not None and claim.speaker.text == "The ministry's"
    criticism = only(quotes, "tax plan")
    assert criticism.content.text == "the new tax plan" and criticism.cue is not None
    assert criticism.cue.text == "criticism"


def test_content_is_trimmed_of_any_whitespace(coder: Coder) -> None:
    record = coder.code("Officials said\u00a0 the bridge would reopen in May\u00a0. “We are ready,\u00a0” she said.")
    check_spans(record)
    assert any(q.content.text.startswith("the bridge") for q in record.quotes)


# --- clause boundaries, light verbs, predicative complements --------------------


def test_example_recalled_clause_runs_to_its_real_verb(example_record: CodedDocument) -> None:
    q = only(example_record.quotes, "government commission")
    assert q.cue is not None and q.cue.text == "recalled"
    assert q.content.text.startswith("that the government commission created")
    assert q.content.text.endswith("to Brazil, where he said the plane was manufactured")
    assert not any(p.speaker is None and p.cue is not None and p.cue.text == "decided"
                   for p in example_record.quotes)


def test_example_light_verb_remarks_take_the_presidents_speaker(example_record: CodedDocument) -> None:
    q = only(example_record.quotes, "ties with China and Russia")
    assert q.speaker is not None and q.speaker.text == "The Kazakh president"
    assert q.cue is not None and q.cue.text == "also gave remarks"


@pytest.mark.parametrize("text,content", [
    ("She recalled that the panel formed to review the case ordered a new trial.",
     "that the panel formed to review the case ordered a new trial"),
    ("He said the committee chaired by Smith approved the budget.",
     "the committee chaired by Smith approved the budget"),
])
def test_reported_clause_is_not_cut_at_a_reduced_relative(coder: Coder, text: str, content: str) -> None:
    quotes = quotes_of(coder, text)
    assert [q.content.text for q in quotes] == [content]
    assert all(q.speaker is not None for q in quotes)


def test_split_clause_verb_takes_the_clause_subject(coder: Coder) -> None:
    from dotterel.nlp import load_pipeline
    from dotterel.quotes.lexicon import load_lexicon
    from dotterel.quotes.reported import find_attributions

    doc = load_pipeline()("He recalled that the commission created to study the crash decided to send the boxes abroad.")
    found = {doc.text[a.cue[0] : a.cue[1]]: a for a in find_attributions(doc, load_lexicon())}
    assert "decided" in found, sorted(found)
    speaker = found["decided"].speaker
    assert speaker is not None and doc.text[speaker[0] : speaker[1]] == "the commission"


def test_coordinated_cue_with_its_own_subject_still_cuts_the_clause(coder: Coder) -> None:
    quotes = quotes_of(coder, "The mayor said the bridge was safe, and most residents said they disagreed.")
    mayor = only(quotes, "bridge")
    assert mayor.content.text == "the bridge was safe"


@pytest.mark.parametrize("text,speaker,cue,content", [
    ("The minister also made comments on the border dispute during the visit.",
     "The minister", "also made comments", "the border dispute"),
    ("The spokesman issued a statement that the talks had failed.",
     "The spokesman", "issued a statement", "that the talks had failed"),
    ("Local officials gave remarks about the new railway line.",
     "Local officials", "gave remarks", "the new railway line"),
])
def test_cue_noun_object_of_a_light_verb_takes_its_subject(
    coder: Coder, text: str, speaker: str, cue: str, content: str
) -> None:
    q = only(quotes_of(coder, text), content)
    assert q.content.text == content
    assert q.speaker is not None and q.speaker.text == speaker
    assert q.cue is not None and q.cue.text == cue


def test_cue_noun_of_another_verb_takes_no_speaker_from_it(coder: Coder) -> None:
    quotes = quotes_of(coder, "Reporters printed the remarks about the new railway line.")
    for q in quotes:
        assert q.speaker is None or q.speaker.text != "Reporters", q.to_dict()


@pytest.mark.parametrize("text,content", [
    ("The president views Kazakhstan, a large country, as an important partner.",
     "Kazakhstan, a large country, as an important partner"),
    ("The minister sees China as a reliable partner of the region.", "China as a reliable partner of the region"),
])
def test_object_with_predicative_as_stays_in_the_content(coder: Coder, text: str, content: str) -> None:
    assert [q.content.text for q in quotes_of(coder, text)] == [content]


def test_light_verbs_file_parses(  # the data file behind the light-verb rule
) -> None:
    from dotterel.quotes.lexicon import load_lexicon

    lex = load_lexicon()
    assert {"give", "make", "deliver", "issue"} <= lex.light_verbs
    assert all(v == v.strip().lower() and " " not in v for v in lex.light_verbs)


def test_clause_ending_in_a_conjunction_is_not_joined_to_a_repeated_cue(coder: Coder) -> None:
    quotes = quotes_of(coder, 'The governor said Monday that she hopes the report will be published soon but said '
                              '"the timing is not ours to choose."')
    assert not any("hopes" in q.content.text and "timing" in q.content.text for q in quotes), \
        [q.to_dict() for q in quotes]


def test_light_verb_that_is_a_cue_itself_gives_one_record(coder: Coder) -> None:
    quotes = quotes_of(coder, "Farmers have expressed concern that the new dam could flood their fields.")
    assert len(quotes) == 1, [q.to_dict() for q in quotes]
    q = quotes[0]
    assert q.content.text == "that the new dam could flood their fields"
    assert q.speaker is not None and q.speaker.text == "Farmers"
    assert q.cue is not None and q.cue.text == "have expressed concern"


def test_run_on_verb_not_taken_across_a_missed_sentence_break(coder: Coder) -> None:
    quotes = quotes_of(coder, "The two leaders told reporters they have made progress in cutting the flow of weapons "
                              "into the U.S. Garcia sent 5,000 police officers to the border.")
    assert not any("police officers" in q.content.text for q in quotes), [q.to_dict() for q in quotes]


def test_example_viewed_as_complement_stays_in_the_content(example_record: CodedDocument) -> None:
    q = only(example_record.quotes, "meaningful and frank")
    assert q.content.text.endswith("viewed Kazakhstan as an important strategic partner of the US")
    assert not any(p.content.text == "Kazakhstan" for p in example_record.quotes)
