"""The gazetteer's data: GeoNames' own points, admin1 ids, small places, districts, regions."""

from __future__ import annotations

import math

import pytest

from dotterel.places import Gazetteer, name_key
from dotterel.places.gazetteer import ADMIN, CITY, COUNTRY, OTHER, SMALL_PLACE, _rows


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def point(entry_lat: float | None, entry_lon: float | None) -> tuple[float, float]:
    assert entry_lat is not None and entry_lon is not None
    return entry_lat, entry_lon


# GeoNames' own points of these countries (their PCLI records), not a town inside them.
@pytest.mark.parametrize(
    ("iso3", "lat", "lon", "within_km"),
    [
        ("USA", 39.76, -98.5, 50),
        ("RUS", 60.0, 100.0, 300),
        ("CAN", 60.10867, -113.64258, 300),
        ("CHN", 35.0, 105.0, 300),
        ("BRA", -10.0, -55.0, 300),
    ],
)
def test_countries_have_geonames_own_points(gazetteer: Gazetteer, iso3: str, lat: float, lon: float,
                                            within_km: float) -> None:
    entry = gazetteer.countries[iso3]
    assert km(*point(entry.lat, entry.lon), lat, lon) <= within_km


def test_every_country_has_a_point_and_an_id(gazetteer: Gazetteer) -> None:
    assert len(gazetteer.countries) >= 245
    for entry in gazetteer.countries.values():
        assert entry.kind == COUNTRY and entry.geonames_id
        lat, lon = point(entry.lat, entry.lon)
        assert -90 <= lat <= 90 and -180 <= lon <= 180


def test_admin1_regions_have_geonames_ids_and_central_points(gazetteer: Gazetteer) -> None:
    assert all(e.geonames_id for e in gazetteer.admins.values())
    texas = gazetteer.admins["USA.TX"]
    assert texas.geonames_id == 4736286
    assert km(*point(texas.lat, texas.lon), 31.25, -99.25) < 161  # the middle of Texas, not Dallas
    mangystau = gazetteer.admins["KAZ.09"]
    assert mangystau.geonames_id == 608879
    aktau = gazetteer.city(610612)
    assert aktau is not None and aktau.admin_code == "KAZ.09"
    # Chukotka spans the antimeridian: its point is in Chukotka, not in the middle of Russia
    chukotka = [e for e in gazetteer.admins.values() if e.country == "RUS" and "chukot" in name_key(e.name)]
    assert chukotka and chukotka[0].lon is not None and abs(chukotka[0].lon) > 165


def test_small_places_are_there_but_never_shadow_a_bigger_name(gazetteer: Gazetteer) -> None:
    lines = [line.split("\t") for line in gazetteer._city_lines]
    small = [f for f in lines if int(f[6]) < SMALL_PLACE and (len(f) < 8 or f[7] == "P")]
    assert len(small) > 50_000  # GeoNames' places of 500-999 people (cities500)
    # "Texas" is also a hamlet in Queensland: the state stays the only reading
    assert [m.entry.kind for m in gazetteer.lookup("Texas")] == [ADMIN]
    for match in gazetteer.lookup("Paris"):
        assert match.entry.population >= SMALL_PLACE
    # a name only a small place has is found, with its population for the resolver to weigh
    unique_small = next(f for f in small if len(gazetteer.lookup(f[1])) == 1 and gazetteer.lookup(f[1])[0].entry.kind == CITY)
    entry = gazetteer.lookup(unique_small[1])[0].entry
    assert entry.population < SMALL_PLACE and entry.feature_class == "P"


def test_districts_are_found_by_their_full_name(gazetteer: Gazetteer) -> None:
    found = gazetteer.lookup("Fairfax County")
    assert [(m.entry.country, m.entry.admin1, m.entry.feature_class) for m in found] == [("USA", "Virginia", "A")]
    fairfax = found[0].entry
    assert km(*point(fairfax.lat, fairfax.lon), 38.83, -77.28) < 50
    # the bare name stays the town's
    assert all(m.entry.feature_class != "A" for m in gazetteer.lookup("Fairfax"))


def test_transliteration_marks_do_not_hide_a_town(gazetteer: Gazetteer) -> None:
    assert name_key("‘Afrīn") == name_key("Afrin") == "afrin"
    assert name_key("Aʿzāz") == "azaz"
    assert name_key("Be’eri") == "be'eri"
    assert any(m.entry.country == "SYR" for m in gazetteer.lookup("Afrin"))


@pytest.mark.parametrize("name", ["Indian Ocean", "Middle East", "the Sahel", "Gulf of Aden", "Black Sea",
                                  "Horn of Africa", "Atlantic", "Eastern Ghouta", "Strait of Hormuz"])
def test_seas_oceans_and_regions_have_a_point(gazetteer: Gazetteer, name: str) -> None:
    found = [m.entry for m in gazetteer.lookup(name) if m.entry.kind == OTHER]
    assert found, name
    point(found[0].lat, found[0].lon)


def test_every_region_row_has_a_point_inside_its_country(gazetteer: Gazetteer) -> None:
    rows = _rows("regions.tsv")
    assert len(rows) >= 120
    for name, _aliases, country, lat, lon, gid in rows:
        assert lat and lon, name
        assert -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180, name
        assert not gid or gid.isdigit(), name
        if country:  # a region inside one country lies near one of its admin1 regions
            admins = [a for a in gazetteer.admins.values() if a.country == country]
            assert min(km(float(lat), float(lon), *point(a.lat, a.lon)) for a in admins) < 500, name


@pytest.mark.parametrize("name", ["Washington", "London", "Paris", "Moscow"])
def test_alternate_names_of_towns_do_not_take_a_bigger_name(gazetteer: Gazetteer, name: str) -> None:
    for match in gazetteer.lookup(name):
        entry = match.entry
        if entry.kind == CITY and name_key(entry.name) != name_key(name):
            assert entry.population >= 100_000, entry  # only big cities keep every alternate name
