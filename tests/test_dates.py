"""Dates: temporal expressions found with exact spans and resolved against the publication date."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dotterel import Coder
from dotterel.dates import extract_dates, governing_date
from dotterel.dates.calendar import (
    FUTURE,
    NEAREST,
    PAST,
    day_near,
    month_near,
    shift_month,
    week_value,
    weekday_near,
)
from dotterel.dates.lexicon import load_lexicon
from dotterel.dates.patterns import patterns
from dotterel.dates.scan import find_dates
from dotterel.model import Document, TimeExpr
from dotterel.nlp import Story, make_doc
from dotterel.read import read_txt_bytes

from .conftest import EXAMPLE, EXAMPLE_PUB_DATE

#: A Thursday.
PUB = "2024-03-14"


def make_story(coder: Coder, text: str, pub: str | None = PUB, title: str | None = None) -> Story:
    document = Document(text=text, title=title, pub_date=pub)
    return Story.from_doc(document, coder.nlp(make_doc(coder.nlp, document)))


def resolved(coder: Coder, text: str, pub: str | None = PUB) -> list[tuple[str, str | None, str | None]]:
    return [(d.text, d.date, d.precision) for d in extract_dates(make_story(coder, text, pub))]


def assert_exact(story: Story, dates: list[TimeExpr]) -> None:
    for d in dates:
        source = story.document.title if d.in_title else story.document.text
        assert source is not None
        assert source[d.start : d.end] == d.text, d


# --- the example story ---------------------------------------------------------


@pytest.fixture(scope="module")
def example_story(coder: Coder) -> Story:
    document = read_txt_bytes(EXAMPLE.read_bytes()).document
    return make_story(coder, document.text, EXAMPLE_PUB_DATE, document.title)


def test_example_story_golden(example_story: Story) -> None:
    got = [(d.text, d.date, d.precision, d.in_title) for d in extract_dates(example_story)]
    assert got == [
        ("on Friday", "2025-01-03", "day", False),  # published on a Friday
        ("in December last year", "2024-12", "month", False),
        ("in February 2022", "2022-02", "month", False),
        ("last year", "2024", "year", False),  # "during last year's talks"
        ("in November 2024", "2024-11", "month", False),
        ("this year", "2025", "year", False),
    ]


def test_example_record_through_the_coder_carries_the_same_dates(example_record, example_story: Story) -> None:  # type: ignore[no-untyped-def]
    assert [d.to_dict() for d in example_record.dates] == [d.to_dict() for d in extract_dates(example_story)]
    assert example_record.to_dict()["dates"][0] == {
        "text": "on Friday", "start": 44, "end": 53, "in_title": False, "date": "2025-01-03", "precision": "day",
    }


def test_example_story_spans_are_exact(example_story: Story) -> None:
    dates = extract_dates(example_story)
    assert dates
    assert_exact(example_story, dates)


# --- one sentence per expression type, published Thursday 2024-03-14 ------------

CASES = [
    ("The ministers met on Friday.", "on Friday", "2024-03-08", "day"),
    ("The ministers met Friday.", "Friday", "2024-03-08", "day"),
    ("Officials said Thursday the border was closed.", "Thursday", "2024-03-14", "day"),
    ("Rebels attacked the town on Monday night.", "on Monday night", "2024-03-11", "day"),
    ("The ministers will meet on Friday.", "on Friday", "2024-03-15", "day"),
    ("They will meet on Thursday.", "on Thursday", "2024-03-14", "day"),
    ("Talks were held this past weekend.", "this past weekend", "2024-03", "month"),
    ("The summit is scheduled for Tuesday.", "Tuesday", "2024-03-19", "day"),
    ("She resigned last Thursday.", "last Thursday", "2024-03-07", "day"),
    ("The vote is next Monday.", "next Monday", "2024-03-18", "day"),
    ("The deal was signed in November 2023.", "in November 2023", "2023-11", "month"),
    ("The talks were held in December last year.", "in December last year", "2023-12", "month"),
    ("Prices rose sharply last year.", "last year", "2023", "year"),
    ("The war has raged since February 2022.", "since February 2022", "2022-02", "month"),
    ("Growth will slow this year.", "this year", "2024", "year"),
    ("The president spoke yesterday.", "yesterday", "2024-03-13", "day"),
    ("The president speaks today.", "today", "2024-03-14", "day"),
    ("The ceasefire collapsed two weeks ago.", "two weeks ago", "2024-02", "month"),
    ("The ceasefire collapsed three days ago.", "three days ago", "2024-03-11", "day"),
    ("The ceasefire collapsed 5 years ago.", "5 years ago", "2019", "year"),
    ("Elections are due next month.", "next month", "2024-04", "month"),
    ("Protests spread last week.", "last week", "2024-03", "month"),
    ("Inflation peaked in early 2023.", "in early 2023", "2023", "year"),
    ("The harvest failed by mid-March.", "by mid-March", "2024-03", "month"),
    ("The court ruled March 5.", "March 5", "2024-03-05", "day"),
    ("The court ruled on 5 March 2024.", "on 5 March 2024", "2024-03-05", "day"),
    ("The court ruled on March 5, 2024, in the capital.", "on March 5, 2024", "2024-03-05", "day"),
    ("The court ruled on Tuesday, March 5, 2024.", "on Tuesday, March 5, 2024", "2024-03-05", "day"),
    ("The filing is dated 2024-03-05.", "2024-03-05", "2024-03-05", "day"),
    ("The party was founded in 2019.", "in 2019", "2019", "year"),
    ("The army withdrew last November.", "last November", "2023-11", "month"),
    ("The strikes began in January.", "in January", "2024-01", "month"),
    ("The strikes will begin in June.", "in June", "2024-06", "month"),
    ("Prices rose earlier this month.", "earlier this month", "2024-03", "month"),
    ("The office opened on Dec. 12.", "on Dec. 12", "2023-12-12", "day"),
    ("Crowds gathered on Christmas Day.", "on Christmas Day", "2023-12-25", "day"),
    ("Fighting flared over the weekend.", "over the weekend", "2024-03", "month"),
    ("The harvest failed last summer.", "last summer", "2023", "year"),
    ("Elections are due next spring.", "next spring", "2025", "year"),  # March is spring already
]


@pytest.mark.parametrize(("sentence", "text", "expected", "precision"), CASES)
def test_resolves(coder: Coder, sentence: str, text: str, expected: str, precision: str) -> None:
    assert (text, expected, precision) in resolved(coder, sentence)


@pytest.mark.parametrize(
    ("sentence", "text"),
    [
        ("The region boomed in the 1990s.", "in the 1990s"),
        ("Trade has grown over the past year.", "the past year"),
        ("Fighting intensified in recent weeks.", "in recent weeks"),
        ("Days later, the rebels returned.", "Days later"),
        ("The ceasefire collapsed years ago.", "years ago"),
    ],
)
def test_vague_expressions_are_kept_unresolved(coder: Coder, sentence: str, text: str) -> None:
    assert (text, None, None) in resolved(coder, sentence)


def test_week_that_straddles_two_months_goes_to_the_month_of_its_thursday(coder: Coder) -> None:
    # Published Wednesday 2024-10-02: this week is Sep 30 - Oct 6 (Thursday Oct 3),
    # last week Sep 23 - 29.
    got = resolved(coder, "Talks stalled last week and resumed this week.", "2024-10-02")
    assert ("last week", "2024-09", "month") in got
    assert ("this week", "2024-10", "month") in got


def test_future_tense_looks_forward_and_a_friday_story_means_that_friday(coder: Coder) -> None:
    # published Wednesday 2025-01-01: past tense looks back, future tense forward
    assert resolved(coder, "The leaders met on Friday.", "2025-01-01") == [("on Friday", "2024-12-27", "day")]
    assert resolved(coder, "The leaders will meet on Friday.", "2025-01-01") == [("on Friday", "2025-01-03", "day")]
    # published on a Friday, either tense means that day (wire copy says "next Friday" for a week on)
    assert resolved(coder, "The leaders met on Friday.", "2025-01-03") == [("on Friday", "2025-01-03", "day")]
    assert resolved(coder, "The leaders will meet on Friday.", "2025-01-03") == [("on Friday", "2025-01-03", "day")]
    assert resolved(coder, "The leaders will meet next Friday.", "2025-01-03") == [("next Friday", "2025-01-10", "day")]


@pytest.mark.parametrize(
    ("sentence", "pub", "text", "expected"),
    [
        # present tense in the body: the nearer of last and next Wednesday
        ("There is another meeting in Paris Wednesday.", "2025-03-11", "Wednesday", "2025-03-12"),
        ("Protesters march in the capital Thursday.", "2019-11-29", "Thursday", "2019-11-28"),
        # a weekday right after a past-tense verb is past, whatever follows
        ("Netanyahu said Sunday Israel will continue its operations.", "2021-05-10", "Sunday", "2021-05-09"),
        # "would": the future seen from the past
        ("He said the tariffs would take effect Wednesday morning.", "2025-03-11", "Wednesday morning", "2025-03-12"),
        # present tense in a headline reads as past
        ("Officials meet Friday", "2025-01-08", "Friday", "2025-01-03"),
        # a bare participle of a plan-verb is future, of another verb past
        ("A report set for release Friday finds emissions rising.", "2019-12-09", "Friday", "2019-12-13"),
        ("The summit held in February ended early.", "2019-12-18", "in February", "2019-02"),
        ("Elections set for February were delayed.", "2021-04-02", "February", "2021-02"),
        # "to/until Friday": the nearer Friday
        ("The vote was pushed from September 25 to Friday.", "2024-10-03", "Friday", "2024-10-04"),
        # a day without a year: the recent past unless the next one is much closer
        ("The tariffs were paused until April 2.", "2025-03-09", "until April 2", "2025-04-02"),
        ("The agreement was signed on 17 September.", "2021-04-13", "on 17 September", "2020-09-17"),
        # months: "since" is past, a month naming an event is past, the future tense is future
        ("Tests have been held since May.", "2019-12-18", "since May", "2019-05"),
        ("He praised the December revolution.", "2019-11-29", "December", "2018-12"),
        ("Lawyers are set to deliver closing statements until August.", "2025-03-13", "until August", "2025-08"),
        # "since" is past; a far future day is not "recent"
        ("There have been thousands of shootings since January 1.", "2016-09-29", "since January 1", "2016-01-01"),
        ("The victims were counted between January 1 and September 26.", "2016-09-29", "January 1", "2016-01-01"),
        # a possessive weekday in the present tense is the past one
        ("He complains about problems during Monday's debate.", "2016-09-30", "Monday", "2016-09-26"),
        # "later Friday" with a future verb in a Friday story is that day
        ("She will respond to the comments later Friday.", "2016-09-30", "later Friday", "2016-09-30"),
    ],
)
def test_tense_and_context_decide_the_side(coder: Coder, sentence: str, pub: str, text: str, expected: str) -> None:
    title = sentence if pub == "2025-01-08" else None
    story = make_story(coder, "Body." if title else sentence, pub, title)
    got = [(d.text, d.date) for d in extract_dates(story)]
    assert (text, expected) in got


def test_without_pub_date_absolute_resolve_and_relative_stay_null(coder: Coder) -> None:
    got = resolved(
        coder,
        "They met on Friday, signed a deal in November 2024 and talked again last year.",
        None,
    )
    assert got == [
        ("on Friday", None, None),
        ("in November 2024", "2024-11", "month"),
        ("last year", None, None),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The soldiers stayed for two weeks.",
        "He is serving a 10-year sentence.",
        "The suspect, 47 years old, was arrested.",
        "The country endured decades of war.",
        "The 8-year-old girl and 2,019 others were evacuated.",
        "The government may act soon and the troops march north.",
        "Theresa May met 40 delegates.",
        "A reporter for USA Today spotted her.",
        "He appeared on Russia Today and The Tonight Show.",
    ],
)
def test_durations_ages_and_numbers_are_not_dates(coder: Coder, sentence: str) -> None:
    assert resolved(coder, sentence) == []


def test_month_names_need_a_date_context(coder: Coder) -> None:
    got = resolved(coder, "The minister said they may act in May.")
    assert got == [("in May", "2023-05", "month")]


def test_spans_in_title_point_into_the_title(coder: Coder) -> None:
    story = make_story(coder, "The leaders met on Friday in Astana.", title="Leaders Meet Friday, Sign Deal Today")
    dates = extract_dates(story)
    assert [(d.text, d.in_title) for d in dates] == [("Friday", True), ("Today", True), ("on Friday", False)]
    assert_exact(story, dates)


def test_output_is_deterministic(coder: Coder) -> None:
    text = "On Friday, three days ago, last week, in March and since 2019 things changed."
    first = [d.to_dict() for d in extract_dates(make_story(coder, text))]
    second = [d.to_dict() for d in extract_dates(make_story(coder, text))]
    assert first == second
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_patterns_without_a_parse_still_resolve_absolute_dates() -> None:
    found = find_dates("Signed 5 March 2024, in force since 2019.", None, None)
    assert [(f.value) for f in found] == [("2024-03-05", "day"), ("2019", "year")]


def test_ago_is_found_in_any_letter_case() -> None:
    """The "ago" patterns are skipped when the text lacks the word: in any case, it is there."""
    text = "The Deal Was Signed 5 Days AGO."
    found = find_dates(text, date(2024, 3, 14), None)
    assert [(text[f.start:f.end], f.value) for f in found] == [("5 Days AGO", ("2024-03-09", "day"))]
    assert find_dates("Chicago is calm.", date(2024, 3, 14), None) == []


# --- the governing date of an event trigger --------------------------------------


def _token(story: Story, word: str, nth: int = 0) -> object:
    tokens = [t for t in story.doc if t.text == word]
    return tokens[nth]


def test_governing_date_attaches_the_date_of_the_triggers_clause(coder: Coder) -> None:
    story = make_story(
        coder,
        "Tokayev said this was a subject discussed during his talks with Russian President "
        "Vladimir Putin in November 2024.",
        "2025-01-03",
    )
    dates = extract_dates(story)
    talks = governing_date(story, dates, _token(story, "talks"))
    assert talks is not None and talks.date == "2024-11"
    assert governing_date(story, dates, _token(story, "said")) is None


def test_governing_date_follows_nouns_down_to_the_date(coder: Coder) -> None:
    story = make_story(
        coder,
        "He also said Kazakhstan has been calling for negotiations to establish peace between "
        "Russia and Ukraine since the beginning of the conflict in February 2022.",
        "2025-01-03",
    )
    dates = extract_dates(story)
    calling = governing_date(story, dates, _token(story, "calling"))
    assert calling is not None and calling.text == "in February 2022"
    assert governing_date(story, dates, _token(story, "said")) is None


def test_governing_date_shares_a_date_with_a_conjoined_verb_and_reaches_through_a_subject(coder: Coder) -> None:
    story = make_story(coder, "The ministers met on Friday and signed a trade deal.")
    dates = extract_dates(story)
    signed = governing_date(story, dates, _token(story, "signed"))
    assert signed is not None and signed.text == "on Friday"
    story = make_story(coder, "He said the attack on Sunday killed five people.")
    dates = extract_dates(story)
    killed = governing_date(story, dates, _token(story, "killed"))
    assert killed is not None and killed.text == "on Sunday"
    assert governing_date(story, dates, _token(story, "said")) is None


def test_governing_date_stays_in_the_sentence(coder: Coder) -> None:
    story = make_story(coder, "The talks ended on Friday. Protesters marched in the capital.")
    dates = extract_dates(story)
    assert governing_date(story, dates, _token(story, "ended")) == dates[0]
    assert governing_date(story, dates, _token(story, "marched")) is None
    assert governing_date(story, [], _token(story, "ended")) is None


# --- calendar and lexicon ------------------------------------------------------------


def test_calendar_arithmetic() -> None:
    friday = date(2025, 1, 3)
    assert weekday_near(friday, 4, PAST) == friday
    assert weekday_near(friday, 4, PAST, strict=True) == date(2024, 12, 27)
    assert weekday_near(friday, 4, FUTURE, strict=True) == date(2025, 1, 10)
    assert weekday_near(friday, 0, FUTURE) == date(2025, 1, 6)
    assert month_near(friday, 11, PAST) == (2024, 11)
    assert month_near(friday, 1, PAST, strict=True) == (2024, 1)
    assert month_near(friday, 1, FUTURE, strict=True) == (2026, 1)
    assert shift_month(2025, 1, -2) == (2024, 11)
    assert day_near(friday, 12, 12, NEAREST) == date(2024, 12, 12)
    assert day_near(friday, 2, 29, NEAREST) == date(2024, 2, 29)
    assert day_near(friday, 2, 30, NEAREST) is None
    assert day_near(date(2024, 3, 1), 2, 29, PAST) == date(2024, 2, 29)
    assert week_value(date(2024, 12, 31)) == ("2025-01", "month")


def test_lexicon_parses_and_covers_months_weekdays_and_holidays() -> None:
    lex = load_lexicon()
    assert sorted(set(lex.months.values())) == list(range(1, 13))
    assert sorted(lex.weekdays.values()) == list(range(7))
    assert lex.month_of("Sept.") == 9 and lex.month_of("Dec") == 12
    assert lex.number("seven") == 7 and lex.number("12") == 12 and lex.number("many") is None
    for mon, dom in lex.holidays.values():
        assert date(2024, mon, dom)
    assert {"will", "shall"} <= lex.future_auxiliaries
    assert len(patterns()) >= 15


def test_lexicon_rejects_incomplete_months() -> None:
    from dotterel.dates.lexicon import DateLexicon

    bad = {"months": {"January": 1}, "weekdays": {}, "holidays": {}}
    with pytest.raises(ValueError, match=r"1\.\.12"):
        DateLexicon.from_json(bad)


# --- a calendar day that spaCy swallows into a name ---------------------------------


def _doc_with_name(coder: Coder, text: str, name: str):  # type: ignore[no-untyped-def]
    from spacy.tokens import Span

    doc = coder.nlp.make_doc(text)
    start = text.index(name)
    span = doc.char_span(start, start + len(name), alignment_mode="expand")
    assert span is not None
    doc.ents = [Span(doc, span.start, span.end, label="ORG")]
    return doc


@pytest.mark.parametrize(
    ("text", "name", "found"),
    [
        ("Astana March 5.", "Astana March 5", "March 5"),  # dateline read as one ORG
        ("Kabul 5 March 2024, officials met.", "Kabul 5 March 2024", "5 March 2024"),
        ("The March 14 Alliance met.", "March 14 Alliance", None),  # a name that starts with a day
        ("Fox News Sunday aired it.", "Fox News Sunday", None),  # a weekday is no calendar day
    ],
)
def test_calendar_day_ending_a_name_entity_is_a_date(
    coder: Coder, text: str, name: str, found: str | None
) -> None:
    doc = _doc_with_name(coder, text, name)
    texts = [text[f.start : f.end] for f in find_dates(text, date(2024, 3, 9), doc)]
    if found is None:
        assert not [t for t in texts if t in name]
    else:
        assert found in texts


# --- spans are exact over generated sentences -------------------------------------

EXPRESSIONS = [
    "on Friday", "in November 2024", "December last year", "last year", "since February 2022",
    "this year", "yesterday", "two weeks ago", "three days ago", "next month", "last week",
    "early 2023", "mid-March", "March 5", "5 March 2024", "March 5, 2024", "2024-03-05",
    "the 1990s", "in 2019", "last November", "on Monday night", "earlier this month",
    "the past year", "recent weeks", "Feb. 27", "late last year",
]
FILLER = st.lists(
    st.sampled_from(["the", "minister", "said", "talks", "in", "Astana", "—", "“", "”", ",", "and", "will", "met", "é", "42"]),
    max_size=6,
).map(" ".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=FILLER,
    expression=st.sampled_from(EXPRESSIONS),
    after=FILLER,
    title=st.one_of(st.none(), st.sampled_from(EXPRESSIONS)),
    pub=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 12, 31)).map(date.isoformat)),
)
def test_spans_are_exact_over_generated_sentences(
    coder: Coder, before: str, expression: str, after: str, title: str | None, pub: str | None
) -> None:
    text = f"{before} {expression} {after}.".strip()
    story = make_story(coder, text, pub, title)
    dates = extract_dates(story)
    assert_exact(story, dates)
    assert any(expression in d.text or d.text in expression for d in dates if not d.in_title)
    assert dates == extract_dates(story)


@pytest.mark.slow
def test_voa_stories_spans_exact_and_dates_plausible(coder: Coder, voa_path) -> None:  # type: ignore[no-untyped-def]
    records = [json.loads(line) for line in voa_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    documents = [Document.from_dict(r) for r in records]
    resolved_count = 0
    for document, doc in zip(documents, coder.nlp.pipe(make_doc(coder.nlp, d) for d in documents), strict=True):
        story = Story.from_doc(document, doc)
        dates = extract_dates(story)
        assert_exact(story, dates)
        assert story.pub_date is not None
        for d in dates:
            if d.date is None:
                continue
            resolved_count += 1
            assert d.precision == {10: "day", 7: "month", 4: "year"}[len(d.date)]
            if d.precision == "day":  # days are near the news, within two years of publication
                assert abs((date.fromisoformat(d.date) - story.pub_date).days) < 731, d
    assert resolved_count > 300
