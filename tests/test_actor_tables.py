"""The imported Phoenix actor tables, the CAMEO → contract code mapping, dated persons
(leaders.tsv and Phoenix people), and the unknown-actor rule.

Sentences are written for these tests, not taken from development data.
"""

from __future__ import annotations

import csv
import itertools
from datetime import date
from pathlib import Path

import pytest

from dotterel import Coder
from dotterel.actors import ActorKnowledge
from dotterel.actors.knowledge import SECTORS, Period, Term

from .conftest import load_script

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "dotterel" / "data" / "actors"
#: ../shared beside the checkout (the main checkout), or two levels up (a worktree /work/wt/NAME).
PETRARCH = next(
    (p for p in (ROOT.parent / "shared" / "data" / "petrarch2", ROOT.parent.parent / "shared" / "data" / "petrarch2") if p.exists()),
    ROOT.parent / "shared" / "data" / "petrarch2",
)


build = load_script("build_actor_tables")
ISOS = frozenset(
    row[0]
    for row in csv.reader(
        (line for line in (DATA / "countries.tsv").read_text(encoding="utf-8").splitlines() if not line.startswith("#")),
        delimiter="\t",
    )
    if row and row[0] != "iso3"
)


@pytest.fixture(scope="module")
def kb() -> ActorKnowledge:
    return ActorKnowledge.load()


# -- CAMEO → contract codes -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("cameo", "code", "country", "sector"),
    [
        ("AFGGOV", "AFG", "AFG", "GOV"),
        ("BENGOVEDU", "BEN", "BEN", "GOV"),  # first sector wins, secondary dropped
        ("USAMED", "USA", "USA", "JRN"),  # CAMEO MED = media → PLOVER JRN
        ("NGAHLH", "NGA", "NGA", "MED"),  # CAMEO HLH = health → PLOVER MED
        ("IRQINS", "IRQ", "IRQ", "REB"),  # insurgents: PLOVER dropped INS
        ("PHLSEP", "PHL", "PHL", "REB"),  # separatists: PLOVER dropped SEP
        ("SYRUAF", "SYR", "SYR", "UAF"),
        ("RUSSPY", "RUS", "RUS", "SPY"),
        ("VENOPP", "VEN", "VEN", "OPP"),
        ("EGYCVL", "EGY", "EGY", "CVL"),
        ("IGOUNOWHO", "UNO", None, None),  # UN bodies are UNO
        ("IGOEUREEC", "EUR", None, None),  # the EU is EUR
        ("IGOWSTNAT", "IGO", None, None),  # NATO: other IGO
        ("NGOHRI", "NGO", None, None),
        ("NGOUSAHRI", "NGO", "USA", None),
        ("MNCUSA", "MNC", "USA", None),
        ("IMGMUSALQ", "IMG", None, "REB"),  # transnational armed group
        ("MEAREB", None, None, "REB"),  # a region: no country code
        ("WSTREB", None, None, "REB"),
        ("AFRREB", None, None, "REB"),
        ("INTREB", "IMG", None, "REB"),  # international armed group
        ("KSVGOV", "XKX", "XKX", "GOV"),  # Kosovo
        ("TMPGOV", "TLS", "TLS", "GOV"),  # East Timor
        ("USRARM", "ARM", "ARM", None),  # Soviet Armenia is Armenia
        ("SUN", "RUS", "RUS", None),  # the USSR → its successor
        ("USAASM", "USA", "USA", None),  # American Samoa folds into the USA
        ("BMUGOV", "GBR", "GBR", "GOV"),  # Bermuda → the UK
        ("ANGREB", "AGO", "AGO", "REB"),  # CAMEO's old code for Angola
        ("BUDREB", None, None, "REB"),  # a religion alone: no country
    ],
)
def test_cameo_codes_map_to_contract_codes(cameo: str, code: str | None, country: str | None, sector: str | None) -> None:
    mapped = build.map_code(cameo, ISOS)
    assert mapped is not None
    assert (mapped.code, mapped.country, mapped.sector) == (code, country, sector)


@pytest.mark.parametrize("cameo", ["KKLREB", "XYZGOV", "AB", "ABCD"])
def test_unusable_cameo_codes_are_refused(cameo: str) -> None:
    assert build.map_code(cameo, ISOS) is None


def test_tabari_dates_and_periods_parse() -> None:
    assert build.parse_date("991001") == date(1999, 10, 1)
    assert build.parse_date("020128") == date(2002, 1, 28)
    assert build.parse_date("19270101") == date(1927, 1, 1)
    p = build.parse_period("KAZGOV 991001-020128")
    assert (p.code, p.start, p.end) == ("KAZGOV", date(1999, 10, 1), date(2002, 1, 28))
    assert build.parse_period("AFGGOV >011222").end is None
    assert build.parse_period("USRARM <900823").start is None
    with pytest.raises(ValueError):
        build.parse_date("99-10-01")


def test_names_are_written_as_in_news() -> None:
    assert build.display("HAMID_KARZAI_") == "Hamid Karzai"
    assert build.display("BASHAR_AL-ASSAD_") == "Bashar al-Assad"
    assert build.expand("ISLAMIC_ARMY_OF_ADEN_(IAA)_") == ["Islamic Army of Aden", "IAA"]


# -- dated persons ----------------------------------------------------------------------------
def test_a_person_with_two_roles_takes_the_one_valid_on_the_date() -> None:
    term = Term(
        "Ann Example", "person", "UKR", "UKR", None, None, "actor",
        periods=(
            Period(date(2020, 3, 4), date(2025, 7, 17), "UKR", "UKR", "GOV", "Prime Minister"),
            Period(date(2025, 7, 17), None, "UKR", "UKR", "GOV", "Defence Minister"),
        ),
    )
    assert term.on(date(2024, 1, 1)).role == "Prime Minister"
    assert term.on(date(2025, 9, 1)).role == "Defence Minister"
    assert term.on(None).role == "Defence Minister"  # no pub_date: the latest office
    before = term.on(date(2010, 1, 1))  # before any office: the country alone
    assert (before.code, before.country, before.sector, before.role) == ("UKR", "UKR", None, None)


def test_a_phoenix_person_falls_back_to_the_default_code_after_the_dictionaries_end(kb: ActorKnowledge) -> None:
    term = kb.folded["hamidkarzai"]
    assert term.on(date(2005, 6, 1)).sector == "GOV"  # president then
    assert term.on(date(2022, 6, 1)).sector == "ELI"  # open-ended role not trusted past 2015


@pytest.mark.parametrize(
    ("pub_date", "role"),
    [("2024-06-01", "Prime Minister"), ("2025-09-01", "Defence Minister")],
)
def test_the_coder_uses_the_pub_date_for_a_leaders_office(coder, pub_date: str, role: str) -> None:  # type: ignore[no-untyped-def]
    doc = coder.code("Denys Shmyhal met the delegation and said more help was needed.", pub_date=pub_date)
    actor = next(a for a in doc.actors if a.name == "Denys Shmyhal")
    assert (actor.code, actor.sector, actor.role) == ("UKR", "GOV", role)


def test_a_title_in_the_story_wins_over_the_leaders_table(coder) -> None:  # type: ignore[no-untyped-def]
    doc = coder.code("Former Prime Minister Denys Shmyhal spoke on Friday.", pub_date="2025-09-01")
    actor = next(a for a in doc.actors if "Shmyhal" in a.name)
    assert actor.role == "Former Prime Minister"  # the story's title, not the table's office


# -- an official named by title and last name -------------------------------------------------
@pytest.mark.parametrize(
    ("surname", "iso"),
    [
        ("Kohl", "DEU"),
        ("Mitterrand", "FRA"),
        ("Bush", "USA"),  # four spellings of the two presidents outvote one Cayman Islands premier
        ("Kim", None),  # starts Korean names: a family name first
        ("Hassan", None),  # people of many countries
        ("Jordan", None),  # a country
    ],
)
def test_last_names_of_known_people_give_a_country_when_most_share_one(kb: ActorKnowledge, surname: str, iso: str | None) -> None:
    assert kb.surname_country(surname) == iso


def test_a_title_and_a_known_last_name_give_the_country(coder) -> None:  # type: ignore[no-untyped-def]
    doc = coder.code("Chancellor Kohl accused Moscow of breaking the agreement.", pub_date="1991-03-01")
    kohl = next(a for a in doc.actors if a.name == "Kohl")
    assert (kohl.code, kohl.sector) == ("DEU", "GOV")
    assert doc.events and doc.events[0].source[0].code == "DEU"


def test_a_last_name_alone_or_a_full_unknown_name_is_no_evidence(coder) -> None:  # type: ignore[no-untyped-def]
    untitled = coder.code("Kohl warned Moscow against new troop movements.", pub_date="1991-03-01")
    assert all(a.code is None for a in untitled.actors if a.name == "Kohl")
    other = coder.code("Minister Anna Kohl warned Moscow against new troop movements.", pub_date="1991-03-01")
    assert all(a.code is None for a in other.actors if "Kohl" in a.name)


# -- imported organisations and groups --------------------------------------------------------
def test_an_imported_armed_group_resolves(coder) -> None:  # type: ignore[no-untyped-def]
    doc = coder.code("The Revolutionary Armed Forces of Colombia released two hostages on Sunday.")
    actor = next(a for a in doc.actors if "Revolutionary" in a.name)
    assert (actor.kind, actor.code, actor.sector) == ("organization", "COL", "REB")
    assert actor.name == "Revolutionary Armed Forces of Colombia"  # the text's form, not capitals


def test_an_imported_igo_resolves(coder) -> None:  # type: ignore[no-untyped-def]
    doc = coder.code("The African Development Bank approved a loan to Kenya.")
    actor = next(a for a in doc.actors if "Development Bank" in a.name)
    assert (actor.code, actor.country, actor.sector) == ("IGO", None, None)


def test_imported_names_need_capitals(coder) -> None:  # type: ignore[no-untyped-def]
    doc = coder.code("The shining path to the summit was closed by the nordic council of elders.")
    assert not any(a.code in ("PER", "IGO") for a in doc.actors)


def test_hand_entries_win_over_imported_ones(kb: ActorKnowledge) -> None:
    assert kb.terms["Taliban"].code == "AFG" and kb.terms["Taliban"].sector == "GOV"
    assert "taliban" not in kb.folded  # the hand form shadows any imported one
    assert kb.agents["militants"].sector == "REB"  # hand agents.tsv
    assert "militant" not in kb.agents  # Phoenix's UAF singular would contradict the hand plural
    assert kb.dropped.get("known to a hand-written table", 0) > 0


def test_imported_agent_nouns_extend_the_hand_table(kb: ActorKnowledge) -> None:
    assert kb.agents["rights groups"].code == "NGO"
    assert kb.agents["rights groups"].sector is None
    assert kb.agents["insurgent group"].sector == "REB"
    assert "rebellion" not in kb.agents and "uprising" not in kb.agents  # acts, not agents
    # "people" is too general to import with Phoenix's sectors; the hand table has it as
    # civilians with no country of their own (a place in their clause gives one)
    assert kb.agents["people"].sector == "CVL" and not kb.agents["people"].local


# -- the unknown-actor rule --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "head", "code", "sector"),
    [
        ("Gunmen killed four farmers near Maiduguri on Tuesday.", "Gunmen", "NGA", "UAF"),
        ("Insurgents in Kandahar province ambushed a supply convoy.", "Insurgents", "AFG", "REB"),
        ("Rights groups condemned the detentions.", "Rights groups", "NGO", None),
        ("A senior official in Baghdad said the talks would resume.", "senior official", "IRQ", "GOV"),
    ],
)
def test_unknown_groups_get_a_sector_and_the_place_country(coder, text: str, head: str, code: str, sector: str | None) -> None:  # type: ignore[no-untyped-def]
    doc = coder.code(text)
    actor = next(a for a in doc.actors if head in a.name)
    assert (actor.code, actor.sector) == (code, sector)


def test_the_place_rule_skips_troops_and_destinations(coder) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The talks dragged on for weeks. Diplomats from several countries attended. "
        "Negotiators flew to Moscow on Monday. Soldiers patrolled in Kandahar the same day. "
        "Observers said little had changed."
    )
    doc = coder.code(text)
    negotiators = next(a for a in doc.actors if a.name.lower() == "negotiators")
    soldiers = next(a for a in doc.actors if a.name.lower() == "soldiers")
    assert negotiators.code is None  # "to Moscow" is where they went, not who they are
    assert soldiers.code is None  # troops are often foreign where they are


# -- the fact table ---------------------------------------------------------------------------
def _leader_rows() -> list[list[str]]:
    lines = [line for line in (DATA / "leaders.tsv").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return [line.split("\t") for line in lines[1:]]


def test_the_leaders_table_is_well_formed() -> None:
    rows = _leader_rows()
    assert len(rows) > 100
    by_person: dict[str, list[tuple[date, date | None]]] = {}
    for row in rows:
        assert len(row) == 8, row
        name, aliases, country, sector, role, start, end, source = row
        assert name and role and source, row
        assert country in ISOS, row
        assert sector in SECTORS, row
        begin = date.fromisoformat(start)
        finish = date.fromisoformat(end) if end else None
        assert finish is None or finish >= begin, row
        assert begin <= date(2025, 12, 31), row
        assert "|" not in name and all(a.strip() == a and a for a in aliases.split("|") if aliases), row
        by_person.setdefault(name, []).append((begin, finish))
    for name, spans in by_person.items():  # one office at a time per person
        spans.sort()
        for (_, end_a), (start_b, _) in itertools.pairwise(spans):
            assert end_a is not None and end_a <= start_b, name


def test_the_leaders_table_loads_as_dated_terms(kb: ActorKnowledge) -> None:
    term = kb.terms["SergeiShoigu"]
    assert term.on(date(2020, 1, 1)).role == "Defence Minister"
    assert term.on(date(2025, 1, 1)).role == "Security Council Secretary"
    assert kb.terms["VolodymyrZelensky"].on(None).code == "UKR"  # aliases too


# -- the build ----------------------------------------------------------------------------------
@pytest.mark.skipif(not PETRARCH.exists(), reason="the petrarch2 dictionaries are not beside this checkout")
def test_the_build_is_deterministic_and_matches_the_shipped_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert build.main(["--data", str(PETRARCH), "--check"]) == 0
    out = capsys.readouterr().out
    assert "DIFFERS" not in out
    assert "skipped people:" in out and "imported:" in out


def test_shipped_tables_carry_the_licence_and_source() -> None:
    for name in ("phoenix_people.tsv", "phoenix_orgs.tsv", "phoenix_groups.tsv", "phoenix_agents.tsv", "phoenix_places.tsv"):
        head = (DATA / name).read_text(encoding="utf-8")[:800]
        assert "Copyright (c) 2014 Open Event Data" in head, name
        assert "676801c" in head and "build_actor_tables.py" in head, name


@pytest.mark.parametrize(
    ("text", "pub_date", "expected"),
    [
        ("Putin met Erdogan in Sochi.", "2024-09-01", {"Putin": ("RUS", "GOV"), "Erdogan": ("TUR", "GOV")}),
        ("Merz spoke to Starmer by phone.", "2025-06-01", {"Merz": ("DEU", "GOV"), "Starmer": ("GBR", "GOV")}),
        # before his term the surname still names the person, but with no office
        ("Merz spoke to reporters.", "2019-06-01", {"Merz": ("DEU", None)}),
    ],
)
def test_leaders_are_known_by_their_distinctive_surname(
    coder: Coder, text: str, pub_date: str, expected: dict[str, tuple[str, str | None]]
) -> None:
    record = coder.code(text, pub_date=pub_date)
    got = {a.name: (a.code, a.sector) for a in record.actors}
    for name, codes in expected.items():
        assert got.get(name) == codes, got
