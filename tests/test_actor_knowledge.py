"""The actor data files parse, agree with pycountry, and cover what they claim."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest

from dotterel.actors import ActorKnowledge, KnowledgeError
from dotterel.actors.knowledge import NONSTATE_CODES, SECTORS, squash

pycountry = pytest.importorskip("pycountry")

# The 193 UN member states (ISO 3166-1 alpha-3).
_UN_TEXT = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN
BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD CRI CIV HRV CUB CYP CZE PRK DNK DJI DMA
DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND
HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU
LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER
NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP
SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO
TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
"""
UN_MEMBERS = _UN_TEXT.split()
#: Member states whose people are usually named by the country itself, not an adjective.
NO_DEMONYM = {"COG", "DMA", "NRU"}


def _rows(name: str) -> list[list[str]]:
    text = resources.files("dotterel").joinpath(f"data/actors/{name}").read_text(encoding="utf-8")
    rows = [
        r
        for r in csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
        if r and not r[0].startswith("#")
    ]
    return rows[1:]  # header


@pytest.fixture(scope="module")
def kb() -> ActorKnowledge:
    return ActorKnowledge.load()


def test_un_list_is_complete() -> None:
    assert len(set(UN_MEMBERS)) == 193


def test_countries_cover_every_un_member_with_pycountry_names(kb: ActorKnowledge) -> None:
    rows = {r[0]: r for r in _rows("countries.tsv")}
    for iso in UN_MEMBERS:
        assert iso in rows, iso
        country = pycountry.countries.get(alpha_3=iso)
        assert country is not None, iso
        names = [getattr(country, a, None) for a in ("common_name", "name", "official_name")]
        usable = [n for n in names if n and "," not in n and "(" not in n]
        # (the DR Congo has only "Congo, The Democratic Republic of the": our row names it)
        for name in usable:  # "Bolivia, Plurinational State of" is no running-text form
            assert kb.terms[squash(name)].country == iso, name
        assert kb.terms[squash(rows[iso][1])].country == iso
        if iso not in NO_DEMONYM:
            assert rows[iso][3], f"{iso} has no demonym"
            for demonym in rows[iso][3].split("|"):
                assert kb.country_of(demonym) == iso, demonym


def test_country_codes_are_iso3_or_kosovo() -> None:
    for row in _rows("countries.tsv"):
        assert row[0] == "XKX" or pycountry.countries.get(alpha_3=row[0]) is not None, row[0]


def test_common_aliases_capitals_and_demonyms(kb: ActorKnowledge) -> None:
    expected = {
        "U.S.": "USA",
        "US": "USA",
        "America": "USA",
        "Britain": "GBR",
        "UK": "GBR",
        "Kazakh": "KAZ",
        "Iranian": "IRN",
        "Washington": "USA",
        "Beijing": "CHN",
        "Moscow": "RUS",
        "Kyiv": "UKR",
        "Kosovo": "XKX",
        "Palestinian": "PSE",
        "Astana": "KAZ",
        "Russia": "RUS",
        "Iraqis": "IRQ",
    }
    for form, iso in expected.items():
        assert kb.country_of(form) == iso, form


def test_no_surface_form_has_two_codes_within_a_file() -> None:
    for name, columns in (("countries.tsv", (1, 2, 3, 4)), ("actors.tsv", (0, 6))):
        seen: dict[str, str] = {}
        for row in _rows(name):
            code = row[0] if name == "countries.tsv" else row[2] + "/" + row[3]
            for col in columns:
                if col >= len(row):
                    continue
                for form in row[col].split("|"):
                    key = squash(form.removeprefix("the "))
                    if not key:
                        continue
                    assert seen.setdefault(key, code) == code, (
                        f"{name}: {form!r} is {seen[key]} and {code}"
                    )


def test_actor_rows_are_valid() -> None:
    for row in _rows("actors.tsv"):
        row += [""] * (7 - len(row))
        assert row[1] in ("person", "organization", "state", "group"), row
        assert not row[2] or row[2] in NONSTATE_CODES or pycountry.countries.get(alpha_3=row[2]), (
            row
        )
        assert not row[4] or row[4] in SECTORS, row


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ("UN", "UNO"),
        ("United Nations", "UNO"),
        ("EU", "EUR"),
        ("NATO", "IGO"),
        ("OPEC", "IGO"),
        ("AU", "IGO"),
        ("ASEAN", "IGO"),
        ("SCO", "IGO"),
        ("WHO", "IGO"),
        ("IAEA", "IGO"),
        ("IMF", "IGO"),
        ("Kremlin", "RUS"),
        ("Rosatom", "RUS"),
        ("Ana Tili", "KAZ"),
        ("Amnesty International", "NGO"),
        ("Islamic State", "IMG"),
        ("Abkhazia", "GEO"),
    ],
)
def test_named_actors(kb: ActorKnowledge, form: str, code: str) -> None:
    term = kb.terms[squash(form)]
    assert term.code == code
    if code in NONSTATE_CODES:
        assert term.country is None


def test_partially_recognized_entities_take_the_claimant_and_pre(kb: ActorKnowledge) -> None:
    for form, iso in (
        ("South Ossetia", "GEO"),
        ("Transnistria", "MDA"),
        ("Somaliland", "SOM"),
        ("Northern Cyprus", "CYP"),
        ("Western Sahara", "MAR"),
    ):
        term = kb.terms[squash(form)]
        assert (term.code, term.sector) == (iso, "PRE"), form
    assert kb.terms[squash("West")].code is None


def test_titles_and_agents(kb: ActorKnowledge) -> None:
    assert kb.titles["president"].sector == "GOV"
    assert kb.titles["prime minister"].role == "Prime Minister"
    assert kb.titles["foreign minister"].sector == "GOV"
    assert kb.titles["defence secretary"].sector == "GOV"
    assert kb.titles["general"].sector == "MIL"
    assert kb.titles["senator"].sector == "LEG"
    assert kb.titles["judge"].sector == "JUD"
    assert kb.titles["spokesman"].sector is None
    expected = {
        "police": "COP",
        "troops": "MIL",
        "soldiers": "MIL",
        "army": "MIL",
        "rebels": "REB",
        "militants": "REB",
        "gunmen": "UAF",
        "protesters": "CVL",
        "demonstrators": "CVL",
        "lawmakers": "LEG",
        "parliament": "LEG",
        "court": "JUD",
        "students": "EDU",
        "journalists": "JRN",
        "officials": "GOV",
        "government": "GOV",
        "ministry": "GOV",
        "opposition": "OPP",
        "refugees": "REF",
        "company": "BUS",
        "aircraft": "MIL",
        "tanks": "MIL",
        "nationals": "CVL",
        "detainees": "CVL",
    }
    for noun, sector in expected.items():
        assert kb.agents[noun].sector == sector, noun
    for table in (kb.titles, kb.agents):
        assert all(v.sector is None or v.sector in SECTORS for v in table.values())


def test_user_file_overrides_bundled_entry(tmp_path: Path) -> None:
    user = tmp_path / "mine.tsv"
    user.write_text(
        "name\tkind\tcode\tcountry\tsector\trole\taliases\n"
        "Rosatom\torganization\tRUS\tRUS\tGOV\t\tRosatom State Corporation\n"
        "Jane Roe\tperson\tGBR\tGBR\tJRN\tEditor\t\n",
        encoding="utf-8",
    )
    kb = ActorKnowledge.load([user])
    assert kb.terms["Rosatom"].sector == "GOV"
    assert kb.terms[squash("Rosatom State Corporation")].origin == "user"
    assert kb.terms[squash("Jane Roe")].role == "Editor"
    assert ActorKnowledge.load().terms["Rosatom"].sector == "BUS"


def test_bad_user_file_names_file_and_line(tmp_path: Path) -> None:
    user = tmp_path / "bad.tsv"
    user.write_text("name\tkind\tcode\nAcme\tcompany\tUSA\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"bad\.tsv:2: kind 'company'"):
        ActorKnowledge.load([user])


def test_peoples_do_not_shadow_country_names(kb: ActorKnowledge) -> None:
    assert kb.terms["Philippines"].type == "country"
    assert kb.terms["Filipinos"].type == "people"
    assert kb.terms["Germans"].country == "DEU"
    assert "Swisss" not in kb.terms
