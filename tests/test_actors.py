"""Actor extraction: golden tests on the example story and small sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dotterel import CodedDocument, Coder
from dotterel.actors import ActorKnowledge, ActorTable, extract_actors
from dotterel.model import Actor, Document
from dotterel.nlp import Story, make_doc


def run(
    coder: Coder, text: str, *, title: str | None = None, kb: ActorKnowledge | None = None
) -> tuple[Story, ActorTable]:
    document = Document(text=text, title=title)
    doc = coder.nlp(make_doc(coder.nlp, document))
    story = Story.from_doc(document, doc)
    return story, extract_actors(story, kb or coder.actor_knowledge)


def named(actors: list[Actor], form: str) -> Actor:
    """The actor one of whose mentions reads ``form``."""
    hits = [a for a in actors if any(m.text == form for m in a.mentions)]
    assert len(hits) == 1, f"{form!r}: {[(a.name, [m.text for m in a.mentions]) for a in actors]}"
    return hits[0]


def codes(actor: Actor) -> tuple[str | None, str | None, str | None]:
    return actor.code, actor.country, actor.sector


# -- the example story -------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_actors(example_record: CodedDocument) -> list[Actor]:
    return example_record.actors


def test_example_tokayev_is_one_kazakh_president(example_actors: list[Actor]) -> None:
    tokayev = named(example_actors, "Kassym-Jomart Tokayev")
    assert tokayev.name == "Kassym-Jomart Tokayev"
    assert tokayev.kind == "person"  # spaCy tags the full name ORG: consolidated
    assert codes(tokayev) == ("KAZ", "KAZ", "GOV")
    assert tokayev.role == "President"
    texts = [m.text for m in tokayev.mentions]
    assert texts.count("Tokayev") >= 8
    assert "Kazakh president" in texts  # "The Kazakh president also gave remarks"
    assert any(t.lower() == "he" for t in texts)
    assert sum(1 for m in tokayev.mentions if m.in_title) == 1  # "... says Tokayev"


def test_example_pronouns_that_refer_to_tokayev(example_record: CodedDocument) -> None:
    tokayev = named(example_record.actors, "Kassym-Jomart Tokayev")
    text = example_record.text
    spans = {(m.start, m.end) for m in tokayev.mentions if not m.in_title}
    he_and_trump = text.index("he and Trump")
    assert (he_and_trump, he_and_trump + 2) in spans
    he_also = text.index("He also said")
    assert (he_also, he_also + 2) in spans
    asked_him = text.index("asked him") + len("asked ")
    assert (asked_him, asked_him + 3) in spans


def test_example_other_actors(example_actors: list[Actor]) -> None:
    trump = named(example_actors, "Donald Trump")
    assert (trump.kind, *codes(trump), trump.role) == (
        "person",
        "USA",
        "USA",
        "GOV",
        "President-elect",
    )
    assert sum(1 for m in trump.mentions if m.text == "Trump") >= 3  # one is tagged ORG by spaCy
    putin = named(example_actors, "Vladimir Putin")
    assert (putin.kind, *codes(putin), putin.role) == ("person", "RUS", "RUS", "GOV", "President")
    rosatom = named(example_actors, "Rosatom")  # spaCy says PERSON
    assert rosatom.kind == "organization"
    assert rosatom.code == "RUS" and rosatom.sector in ("BUS", "GOV")
    assert codes(named(example_actors, "Ana Tili")) == ("KAZ", "KAZ", "JRN")
    commission = named(example_actors, "government commission")
    assert codes(commission) == ("KAZ", "KAZ", "GOV")
    assert codes(named(example_actors, "Beijing")) == ("CHN", "CHN", "GOV")
    assert codes(named(example_actors, "Moscow")) == ("RUS", "RUS", "GOV")
    assert named(example_actors, "Moscow") is named(example_actors, "Russia")
    airline = named(example_actors, "Azerbaijan Airlines")
    assert (airline.kind, airline.code) == ("organization", "AZE")
    assert named(example_actors, "Astana").code == "KAZ"


def test_example_ids_offsets_and_no_shared_spans(example_record: CodedDocument) -> None:
    actors = example_record.actors
    assert [a.id for a in actors] == [f"A{i}" for i in range(1, len(actors) + 1)]
    firsts = [min((not m.in_title, m.start) for m in a.mentions) for a in actors]
    assert firsts == sorted(firsts)
    seen: set[tuple[bool, int, int]] = set()
    for actor in actors:
        for m in actor.mentions:
            source = example_record.title if m.in_title else example_record.text
            assert source is not None and source[m.start : m.end] == m.text
            assert (m.in_title, m.start, m.end) not in seen
            seen.add((m.in_title, m.start, m.end))
    names = [a.name for a in actors]
    assert "Western" not in names  # an adjective, not an actor


# -- small sentences -----------------------------------------------------------------------


def test_demonyms_and_peoples(coder: Coder) -> None:
    _, table = run(
        coder, "Kazakh officials met Iranian diplomats, while Russians and Ukrainians watched."
    )
    assert codes(named(table.actors, "Kazakh officials")) == ("KAZ", "KAZ", "GOV")
    assert named(table.actors, "Iranian diplomats").country == "IRN"
    russians = named(table.actors, "Russians")
    assert (russians.kind, russians.code) == ("group", "RUS")
    assert named(table.actors, "Ukrainians").code == "UKR"


def test_capitals_and_metonyms_as_actors_but_not_as_places(coder: Coder) -> None:
    _, table = run(
        coder, "Beijing and Moscow criticized Washington. The Kremlin met envoys in Beijing."
    )
    china = named(table.actors, "Beijing")
    assert codes(china) == ("CHN", "CHN", "GOV")
    assert len(china.mentions) == 1  # "in Beijing" is a place
    assert codes(named(table.actors, "Washington")) == ("USA", "USA", "GOV")
    assert codes(named(table.actors, "Kremlin")) == ("RUS", "RUS", "GOV")


def test_igos(coder: Coder) -> None:
    _, table = run(
        coder,
        "The UN and the EU urged NATO, OPEC and the African Union to act. "
        "The WHO and the IAEA sent experts, and ASEAN and the SCO met.",
    )
    expected = {
        "UN": "UNO",
        "EU": "EUR",
        "NATO": "IGO",
        "OPEC": "IGO",
        "African Union": "IGO",
        "WHO": "IGO",
        "IAEA": "IGO",
        "ASEAN": "IGO",
        "SCO": "IGO",
    }
    for form, code in expected.items():
        actor = named(table.actors, form)
        assert (actor.kind, actor.code, actor.country) == ("organization", code, None), form


def test_generic_nominals_with_country_modifiers(coder: Coder) -> None:
    _, table = run(
        coder,
        "Iraqi police arrested two men, and Israel's army said U.S. officials "
        "met the Afghan government.",
    )
    assert codes(named(table.actors, "Iraqi police")) == ("IRQ", "IRQ", "COP")
    assert codes(named(table.actors, "Israel's army")) == ("ISR", "ISR", "MIL")
    assert codes(named(table.actors, "U.S. officials")) == ("USA", "USA", "GOV")
    assert codes(named(table.actors, "Afghan government")) == ("AFG", "AFG", "GOV")


def test_generic_nominals_sectors(coder: Coder) -> None:
    _, table = run(
        coder,
        "Gunmen attacked soldiers. Rebels and protesters fled as lawmakers, "
        "judges, students, journalists and refugees watched.",
    )
    expected = {
        "Gunmen": "UAF",
        "soldiers": "MIL",
        "Rebels": "REB",
        "protesters": "CVL",
        "lawmakers": "LEG",
        "judges": "JUD",
        "students": "EDU",
        "journalists": "JRN",
        "refugees": "REF",
    }
    for form, sector in expected.items():
        actor = named(table.actors, form)
        assert (actor.sector, actor.country) == (sector, None), form


def test_bare_government_takes_the_dominant_country_only_when_clear(coder: Coder) -> None:
    text = (
        "Kenyan President William Ruto visited Nairobi. Kenya said Kenyan farmers would get help. "
        "The government promised money, Ruto said."
    )
    _, table = run(coder, text)
    assert named(table.actors, "government").country == "KEN"
    _, table = run(coder, "The government promised money to France and Germany.")
    assert named(table.actors, "government").country is None


def test_possessive_pronoun_gives_the_country(coder: Coder) -> None:
    _, table = run(
        coder,
        "French President Emmanuel Macron met Prime Minister Keir Starmer. "
        "Macron said his government would help.",
    )
    assert named(table.actors, "government").country == "FRA"


def test_pronouns_and_surname_merging(coder: Coder) -> None:
    _, table = run(
        coder,
        "Prime Minister Keir Starmer met French President Emmanuel Macron in "
        "Paris. Mr. Macron said he was pleased. Starmer said his talks went well.",
    )
    macron = named(table.actors, "Emmanuel Macron")
    assert [m.text for m in macron.mentions] == ["Emmanuel Macron", "Macron", "he"]
    starmer = named(table.actors, "Keir Starmer")
    assert [m.text for m in starmer.mentions] == ["Keir Starmer", "Starmer", "his"]
    assert (starmer.sector, starmer.role) == ("GOV", "Prime Minister")


def test_it_only_for_a_state_or_organisation(coder: Coder) -> None:
    _, table = run(
        coder, "NATO said it would send troops. The minister said it is important to wait."
    )
    nato = named(table.actors, "NATO")
    assert [m.text for m in nato.mentions] == ["NATO", "it"]


def test_ambiguous_he_is_left_alone(coder: Coder) -> None:
    _, table = run(coder, "Joe Biden and Emmanuel Macron met on Monday.\n\nHe said nothing.")
    assert all(m.text != "He" for a in table.actors for m in a.mentions)


def test_lookups_by_offset_and_token(coder: Coder) -> None:
    story, table = run(coder, "Russian President Vladimir Putin met Chinese officials.")
    text = story.doc.text
    start = text.index("Putin")
    putin = table.actor_at(start, start + 5)
    assert putin is not None and putin.name == "Vladimir Putin"
    president = next(t for t in story.doc if t.text == "President")
    assert table.actor_for_token(president) is putin
    officials = next(t for t in story.doc if t.text == "officials")
    found = table.actor_for_token(officials)
    assert found is not None and found.country == "CHN"
    span = table.mention_span_for_token(officials)
    assert span is not None and text[span[0] : span[1]] == "Chinese officials"
    assert table.actor_at(0, 3) is None or table.actor_at(0, 3) is not putin
    assert [a.name for a in table.actors_in(0, len(text))] == [a.name for a in table.actors]


def test_title_and_body_mentions_merge(coder: Coder) -> None:
    story, table = run(coder, "Tokayev met Putin in Moscow.", title="Tokayev visits Russia")
    tokayev = named(table.actors, "Tokayev")
    assert [m.in_title for m in tokayev.mentions] == [True, False]
    for m in tokayev.mentions:
        assert (story.document.title if m.in_title else story.document.text)[
            m.start : m.end
        ] == "Tokayev"


def test_user_actor_file_overrides_bundled_entry(coder: Coder, tmp_path: Path) -> None:
    user = tmp_path / "actors.tsv"
    user.write_text(
        "name\tkind\tcode\tcountry\tsector\trole\taliases\n"
        "Rosatom\torganization\tRUS\tRUS\tGOV\t\t\n"
        "Zhanna Example\tperson\tKAZ\tKAZ\tJRN\tEditor\tZh. Example\n",
        encoding="utf-8",
    )
    kb = ActorKnowledge.load([user])
    text = "Rosatom signed a deal, Zhanna Example reported."
    _, table = run(coder, text, kb=kb)
    assert codes(named(table.actors, "Rosatom")) == ("RUS", "RUS", "GOV")
    editor = named(table.actors, "Zhanna Example")
    assert (editor.kind, *codes(editor), editor.role) == ("person", "KAZ", "KAZ", "JRN", "Editor")
    _, table = run(coder, text)
    assert codes(named(table.actors, "Rosatom")) == ("RUS", "RUS", "BUS")


def test_deterministic(coder: Coder) -> None:
    text = "Iraqi police and U.S. troops met protesters in Baghdad. The UN said it was worried."
    first = [a.to_dict() for a in run(coder, text)[1].actors]
    assert first == [a.to_dict() for a in run(coder, text)[1].actors]


def test_the_west_only_as_such(coder: Coder) -> None:
    _, table = run(coder, "The West imposed sanctions. Fighting spread across West Africa.")
    west = named(table.actors, "West")
    assert (west.kind, west.code, west.country) == ("group", None, None)
    assert len(west.mentions) == 1


def test_names_used_as_places_and_storms_are_not_actors(coder: Coder) -> None:
    _, table = run(
        coder,
        "Cyclone Jude hit Malawi. Militants attacked villages in Zorbania "
        "and near Zorbania, officials said.",
    )
    texts = {m.text for a in table.actors for m in a.mentions}
    assert "Cyclone Jude" not in texts and "Zorbania" not in texts
    assert named(table.actors, "Malawi").code == "MWI"


def test_his_country_and_the_country(coder: Coder) -> None:
    text = (
        "Kenyan President William Ruto said Kenya would act. Kenya's police and Kenyan "
        "officials agreed. Ruto said his country was ready, and the country would vote."
    )
    _, table = run(coder, text)
    kenya = named(table.actors, "Kenya")
    country_mentions = [m for m in kenya.mentions if m.text == "country"]
    assert len(country_mentions) == 2
    assert all(a.name != "two countries" for a in table.actors)


def test_titled_official_takes_the_story_country_unless_another_state_is_named(
    coder: Coder,
) -> None:
    text = (
        "Zimbabwe's police arrested a journalist in Harare. Zimbabwean officials defended "
        "the arrest, and Zimbabwe's courts refused bail. President Tobias Ndlovu said "
        "the law was followed."
    )
    _, table = run(coder, text)
    assert named(table.actors, "Tobias Ndlovu").country == "ZWE"
    text2 = text + " In Zambia, Minister Peter Banda disagreed."
    _, table = run(coder, text2)
    assert named(table.actors, "Peter Banda").country is None


def test_voa_stories_spans_exact_unique_and_deterministic(coder: Coder, voa_path: Path) -> None:
    import json

    with voa_path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for _, line in zip(range(15), handle, strict=False)]
    for record in records:
        text, title = record["text"], record.get("title")
        story, table = run(coder, text, title=title)
        again = [a.to_dict() for a in extract_actors(story, coder.actor_knowledge).actors]
        assert [a.to_dict() for a in table.actors] == again
        spans: set[tuple[bool, int, int]] = set()
        for actor in table.actors:
            assert actor.kind in ("person", "organization", "state", "group")
            assert actor.mentions and actor.name.strip() == actor.name
            for m in actor.mentions:
                source = title if m.in_title else text
                assert source is not None and source[m.start : m.end] == m.text
                assert (m.in_title, m.start, m.end) not in spans, (actor.name, m)
                spans.add((m.in_title, m.start, m.end))


def test_agent_noun_of_a_named_group_joins_it(coder: Coder) -> None:
    _, table = run(
        coder, "Hamas militants attacked Israeli soldiers. Hamas said it would fight on."
    )
    hamas = named(table.actors, "Hamas militants")
    assert [m.text for m in hamas.mentions] == ["Hamas militants", "Hamas", "it"]
    assert codes(hamas) == ("PSE", "PSE", "REB")
    assert codes(named(table.actors, "Israeli soldiers")) == ("ISR", "ISR", "MIL")


def test_counterpart_and_places_named_like_agents(coder: Coder) -> None:
    _, table = run(
        coder,
        "Ukrainian President Volodymyr Zelensky and his Polish counterpart "
        "met troops in the West Bank.",
    )
    assert codes(named(table.actors, "Polish counterpart")) == ("POL", "POL", "GOV")
    assert all("West Bank" not in m.text for a in table.actors for m in a.mentions)


def test_example_counterpart_is_trump(example_actors: list[Actor]) -> None:
    trump = named(example_actors, "Donald Trump")
    assert "incoming US counterpart" in [m.text for m in trump.mentions]
    assert all(a.name != "two counterparts" for a in example_actors)


def test_titles_in_apposition_either_way_and_private_titles(coder: Coder) -> None:
    _, table = run(
        coder,
        "The deputy president, William Ruto, objected. Ken Weinstein, Japan "
        "chair at the Hudson Institute, said Tokyo would act.",
    )
    ruto = named(table.actors, "William Ruto")
    assert (ruto.role, ruto.sector) == ("Deputy President", "GOV")
    assert "deputy president" in [m.text for m in ruto.mentions]
    weinstein = named(table.actors, "Ken Weinstein")
    assert (weinstein.code, weinstein.sector, weinstein.role) == (None, None, "Chair")


def test_pronouns_of_agent_nouns(coder: Coder) -> None:
    _, table = run(
        coder,
        "Protesters gathered outside parliament. They demanded new elections. "
        "The Syrian government said its forces retook the city.",
    )
    assert [m.text for m in named(table.actors, "Protesters").mentions] == ["Protesters", "They"]
    assert named(table.actors, "parliament").name == "parliament"
    assert named(table.actors, "Syrian government").mentions[-1].text == "its"
    assert codes(named(table.actors, "forces")) == ("SYR", "SYR", "MIL")


def test_heads_of_international_organisations(coder: Coder) -> None:
    _, table = run(
        coder,
        "European Commission President Ursula von der Leyen met NATO chief "
        "Mark Rutte and UN Secretary-General Antonio Guterres. Von der Leyen "
        "said she was pleased.",
    )
    leyen = named(table.actors, "Ursula von der Leyen")
    assert (leyen.code, leyen.country, leyen.sector, leyen.role) == ("EUR", None, None, "President")
    assert [m.text for m in leyen.mentions][-2:] == ["Von der Leyen", "she"]
    assert named(table.actors, "Mark Rutte").code == "IGO"
    assert named(table.actors, "Antonio Guterres").code == "UNO"


def test_military_hardware_and_nationals_are_agents(coder: Coder) -> None:
    _, table = run(coder, "Peruvian aircraft bombed the village. Chile expelled three British nationals.")
    assert codes(named(table.actors, "Peruvian aircraft")) == ("PER", "PER", "MIL")
    assert codes(named(table.actors, "three British nationals")) == ("GBR", "GBR", "CVL")


def test_country_of_the_sentence_without_a_story_country(coder: Coder) -> None:
    _, table = run(coder, "Rebels blocked the main highway to Bolivia on Monday.")
    assert codes(named(table.actors, "Rebels")) == ("BOL", "BOL", "REB")
    _, table = run(coder, "The Chilean government accepted demands from Mapuche rebels.")
    assert named(table.actors, "rebels").code == "CHL"
    _, table = run(coder, "President Juan Ortega ordered the Chilean army to the border.")
    assert named(table.actors, "Juan Ortega").code == "CHL"
    # two countries in the sentence: no guess
    _, table = run(coder, "President Juan Ortega criticised Peru and Bolivia.")
    assert named(table.actors, "Juan Ortega").code is None


def test_a_state_organ_is_not_of_the_country_it_acts_on(coder: Coder) -> None:
    """Rebels attacking a government are often its own; a government, army or ministry
    condemning or summoning another country's people is not that country's."""
    _, table = run(coder, "The government condemned Paraguay on Tuesday.")
    assert named(table.actors, "government").code is None
    _, table = run(coder, "The foreign ministry summoned the Chilean ambassador.")
    assert named(table.actors, "foreign ministry").code is None
    _, table = run(coder, "The army shelled rebel positions in Bolivia.")  # where it acts: kept
    assert named(table.actors, "army").code == "BOL"
    _, table = run(coder, "Rebels attacked the Bolivian government.")
    assert named(table.actors, "Rebels").code == "BOL"


def test_a_title_after_a_named_body_takes_its_country(coder: Coder) -> None:
    """"<Country's ministry> spokesperson <Name>": the ministry is an entity of its own, and its
    country is the person's."""
    _, table = run(coder, "Peruvian Foreign Ministry spokesman Lucia Paredes rejected the report.")
    assert codes(named(table.actors, "Lucia Paredes")) == ("PER", "PER", "GOV")
    _, table = run(coder, "Acme Holdings spokesman Lucia Paredes rejected the report.")  # no country named
    assert named(table.actors, "Lucia Paredes").code is None


def test_an_actor_that_is_only_a_resolved_place(coder: Coder) -> None:
    """spaCy calls some towns and countries organisations: once the gazetteer resolves every
    name mention, a country's actor takes its code and any other such actor goes."""
    record = coder.code("The C.A.R. asked its neighbours for help on Monday.")
    car = [a for a in record.actors if a.name == "C.A.R."]
    assert len(car) == 1 and (car[0].code, car[0].kind) == ("CAF", "state")
    record = coder.code("The Sudanese Rapid Support Forces captured El Fasher.")
    assert [p.name for p in record.places] == ["El Fasher"]
    assert [a.name for a in record.actors] == ["Rapid Support Forces"] and record.actors[0].id == "A1"


def test_a_crowd_by_number_is_an_actor_only_by_itself(coder: Coder) -> None:
    _, table = run(coder, "Thousands rallied in Lima against the new tax.")
    assert codes(named(table.actors, "Thousands")) == ("PER", "PER", "CVL")
    _, table = run(coder, "Thousands of farmers marched in Lima.")  # the farmers are the actor
    assert [a.name for a in table.actors] == ["farmers"]
    _, table = run(coder, "The floods destroyed hundreds of homes in Peru.")
    assert [a.name for a in table.actors if a.sector] == []


def test_agents_of_a_long_story_take_no_sentence_country(coder: Coder) -> None:
    text = ("Rebels blocked the main highway to Bolivia. Traffic stopped for hours. "
            "Drivers waited in the heat. Shops closed early.")
    _, table = run(coder, text)
    assert named(table.actors, "Rebels").code is None


def test_agent_takes_the_country_it_is_in(coder: Coder) -> None:
    # the sentence names two countries; the locative phrase of the noun decides
    _, table = run(coder, "Demonstrators in Lima burned a Chilean flag on Monday.")
    assert codes(named(table.actors, "Demonstrators")) == ("PER", "PER", "CVL")
    _, table = run(coder, "Students throughout Bolivia marched against Chile.")
    assert named(table.actors, "Students").code == "BOL"


def test_demonym_on_a_thing_names_the_state(coder: Coder) -> None:
    _, table = run(coder, "Chile rejected a Peruvian ultimatum. Bolivian police arrested two men.")
    peru = named(table.actors, "Peruvian")
    assert (peru.kind, peru.code) == ("state", "PER")
    # on an agent noun the demonym only gives the agent its country
    assert codes(named(table.actors, "Bolivian police")) == ("BOL", "BOL", "COP")
    assert not any(m.text == "Bolivian" for a in table.actors for m in a.mentions)


def test_coordinated_demonyms(coder: Coder) -> None:
    _, table = run(coder, "Chilean and Peruvian warships held joint exercises.")
    assert named(table.actors, "Chilean").code == "CHL"
    assert named(table.actors, "Peruvian warships").code == "PER"


def test_demonyms_do_not_make_the_story_country(coder: Coder) -> None:
    text = ("Chile bought Peruvian oil. Chile also bought Peruvian gas and Peruvian copper. "
            "President Ana Soto praised the deal.")
    _, table = run(coder, text)
    # Chile is named twice and Peru three times as an adjective: no story country from them
    assert named(table.actors, "Ana Soto").code is None


def test_participle_inside_a_title_phrase(coder: Coder) -> None:
    _, table = run(coder, "Chile's president met Peru's visiting Prime Minister Luis Ramos in Santiago.")
    assert named(table.actors, "Luis Ramos").code == "PER"


def test_coordinated_demonym_parsed_as_a_noun(coder: Coder) -> None:
    _, table = run(coder, "Guards in Chile have beaten scores of Sierra Leonean and Liberian migrants.")
    assert named(table.actors, "Sierra Leonean").code == "SLE"


def test_ethnic_peoples_and_peoples_of_a_country(coder: Coder) -> None:
    _, table = run(coder, "The Peruvians of northern Chile demanded autonomy from the government.")
    assert named(table.actors, "Peruvians").code == "CHL"
    _, table = run(coder, "Dozens of ethnic Peruvians marched in Bolivia on Monday.")
    assert named(table.actors, "Peruvians").code == "BOL"
    _, table = run(coder, "Dozens of Peruvians marched in Bolivia on Monday.")
    assert named(table.actors, "Peruvians").code == "PER"


def test_stateless_people_with_a_demonym(coder: Coder) -> None:
    _, table = run(coder, "Iraqi Kurds fled to Turkey. The Kurds asked for help.")
    kurds = named(table.actors, "Kurds")
    assert kurds.code == "IRQ" and len(kurds.mentions) == 2
    _, table = run(coder, "The Kurds asked for help in Berlin, Paris and Rome.")
    assert named(table.actors, "Kurds").code is None


def test_recipient_country_is_not_the_officials_country(coder: Coder) -> None:
    _, table = run(coder, "President Juan Ortega threatened further action against Peru.")
    assert named(table.actors, "Juan Ortega").code is None
    _, table = run(coder, "President Juan Ortega threatened further action, Peruvian radio said.")
    assert named(table.actors, "Juan Ortega").code == "PER"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the one country named earlier in the sentence
        ("Given China's achievements in nuclear construction, talks are underway with a company "
         "from this country.", "CHN"),
        # else the one country of the previous sentence
        ("The minister praised Turkey. Officials met a firm from that country on Monday.", "TUR"),
        # two candidates, or none: no guess
        ("Kenya and Uganda met. Talks are underway with a company from this country.", None),
        ("Talks are underway with a company from this country.", None),
    ],
)
def test_this_country_points_back_to_one_named_country(coder: Coder, text: str, expected: str | None) -> None:
    _, table = run(coder, text)
    (company,) = [a for a in table.actors if a.sector == "BUS"]
    assert company.country == expected


def test_example_company_from_this_country_is_chinese(example_actors: list[Actor]) -> None:
    company = named(example_actors, "company")
    assert codes(company) == ("CHN", "CHN", "BUS")
