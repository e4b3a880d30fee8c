"""The offline gazetteer: GeoNames countries, admin1 regions, places (population >= 500).

Data files in ``dotterel/data/places/`` (see ``docs/places.md``):

* ``countries.tsv``, ``admin1.tsv``, ``cities.tsv.gz`` — derived from GeoNames
  (CC BY 4.0) by ``scripts/build_gazetteer.py``: countries with GeoNames' own
  points and formal names, admin1 regions with their ids and other names, places
  down to 500 people (feature class ``P``) and districts (``A``);
* ``aliases.tsv`` — hand-written names for the same records ("U.S.", "Britain",
  "Kiev") and default readings of ambiguous names ("Washington" is the capital);
* ``admin_names.tsv`` — better-known names of a few admin1 regions ("Kharkiv Oblast");
* ``regions.tsv`` — continents, oceans, seas, world regions, each with a point (feature ``other``);
* ``abbreviations.tsv`` — "Calif.", "N.J.", "WA": state and province abbreviations;
* ``not_places.tsv`` — names that are towns somewhere but read as words or
  people in news ("Forest", "Modi"): never geocoded as cities.

Names are looked up by :func:`name_key` (diacritics folded, case and dots
dropped, hyphens as spaces). Cities are kept as raw lines and parsed on demand,
so loading stays around a second and memory modest.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..datafiles import data_text, read_tsv

#: Feature kinds of a :class:`~dotterel.model.Place`.
COUNTRY, ADMIN, CITY, OTHER = "country", "admin", "city", "other"
#: Places below this population (GeoNames' villages, hamlets, seats) are found only
#: under a name that no bigger record has: they never make a known name ambiguous.
SMALL_PLACE = 1000
#: How many looked-up names the gazetteer keeps before it starts again (names recur across stories).
LOOKUP_CACHE_SIZE = 50_000


_SPACES = re.compile(r"\s+")
_SAINT = re.compile(r"\bst\b")  # "St. Petersburg" and "Saint Petersburg" are one name
#: "EU", "U.N.": an acronym names a country or an alias, never a town ("Eu", France).
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){1,5}$")
_DROP = str.maketrans({".": "", "’": "'", "‘": "'", "`": "'", "-": " ", "–": " ", "‐": " ",
                       "ʿ": "", "ʾ": "", "ʻ": "", "ʼ": ""})  # ayn and hamza marks of transliterations
#: An apostrophe opening a word marks an ayn ("‘Afrīn" is "Afrin"), not a letter.
_LEADING_APOSTROPHE = re.compile(r"(?:^|(?<= ))'+")


def fold(text: str) -> str:
    """``text`` with its diacritics removed (NFKD), case kept."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 14)  # pure; asked again for the same records in every story (a few MB)
def name_key(text: str) -> str:
    """The lookup key of a place name: folded, lower-case, no dots, hyphens as spaces.

    ``"U.S."`` and ``"US"`` give ``"us"``; ``"Port-au-Prince"`` gives ``"port au prince"``;
    a leading "the " is dropped; "St." is "saint"; ayn and hamza marks are dropped
    (``"‘Afrīn"`` gives ``"afrin"``).
    """
    key = _SPACES.sub(" ", fold(text).translate(_DROP)).strip().casefold()
    if "'" in key:
        key = _LEADING_APOSTROPHE.sub("", key)
    if key.startswith("the "):
        key = key[4:]
    if "st" in key:
        key = _SAINT.sub("saint", key)
    return key


def _strip_admin_words(key: str, admin_words: frozenset[str]) -> str:
    words = key.split(" ")
    while len(words) > 1 and words[-1] in admin_words:
        words.pop()
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer record a name can resolve to."""

    kind: str  # country | admin | city | other
    name: str
    country: str | None  # ISO3
    admin_code: str | None  # "KAZ.09": the country and GeoNames admin1 code
    admin1: str | None  # the first-level region's name
    lat: float | None
    lon: float | None
    geonames_id: int | None
    population: int = 0
    #: GeoNames feature class of a ``city`` entry: ``P`` a populated place (cities.tsv.gz
    #: holds places down to 500 people; weigh the small ones by ``population`` and context),
    #: ``A`` a second-level district ("Fairfax County"). Empty for countries, admin1 and
    #: regions. (GeoNames' other classes, areas, water, sites such as camps or crossings,
    #: are in no package the build can use.)
    feature_class: str = ""

    @property
    def ident(self) -> str:
        """A key that is the same for the same place (one Place per story)."""
        if self.geonames_id is not None:
            return f"gn:{self.geonames_id}"
        return f"{self.kind}:{self.country}:{self.admin_code}:{self.name}"

    @property
    def prior(self) -> float:
        """How likely the record is, before context: big places and countries first."""
        if self.kind in (COUNTRY, OTHER):
            return 8.0
        if self.kind == ADMIN:
            return 6.5
        return min(7.5, max(3.0, math.log10(self.population + 1)))


@dataclass(frozen=True, slots=True)
class Match:
    """A gazetteer record found for a name; ``preferred`` when an alias names it."""

    entry: Entry
    preferred: bool = False


def _read_text(name: str) -> str:
    return data_text(f"places/{name}")


def _rows(name: str, columns: int = 1) -> list[list[str]]:
    """Tab-separated rows of a data file, without comments and blank lines; a row with fewer
    than ``columns`` cells is a :class:`~dotterel.datafiles.DataFileError` naming its line."""
    return read_tsv(f"places/{name}", strip=False, min_cols=columns).cells()


def _line_id(line: str) -> int:
    """The GeoNames id opening a line of ``cities.tsv.gz``."""
    return int(line[: line.index("\t")])


def _float(text: str) -> float | None:
    return float(text) if text else None


@dataclass
class Gazetteer:
    """Countries, admin1 regions, cities and regions by name; loaded once per Coder."""

    countries: dict[str, Entry] = field(default_factory=dict)  # ISO3 -> entry
    admins: dict[str, Entry] = field(default_factory=dict)  # "KAZ.09" -> entry
    regions: dict[str, Entry] = field(default_factory=dict)  # name key -> entry
    names: dict[str, list[Match]] = field(default_factory=dict)  # key -> countries, admins, regions
    admin_names: dict[str, list[Entry]] = field(default_factory=dict)  # suffix-free key -> admins
    not_places: frozenset[str] = frozenset()
    #: ``abbreviations.tsv``: "Calif." -> California, read only where English puts them.
    abbreviations: dict[str, list[Entry]] = field(default_factory=dict)
    #: Word sets of ``cues.tsv``: ``locative``, ``place_noun``, ``admin_word``.
    cues: dict[str, frozenset[str]] = field(default_factory=dict)
    _city_lines: list[str] = field(default_factory=list, repr=False)
    _city_index: dict[str, int | list[int]] = field(default_factory=dict, repr=False)
    _city_cache: dict[int, Entry] = field(default_factory=dict, repr=False)
    #: lookup results by text (the same names recur within and across stories); bounded
    _lookup_cache: dict[str, tuple[Match, ...]] = field(default_factory=dict, repr=False)
    _city_by_id: dict[int, int] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls) -> Gazetteer:
        """Read the bundled data files (about 1 s)."""
        gaz = cls()
        gaz.cues = {row[0]: frozenset(row[1].split()) for row in _rows("cues.tsv", 2)}
        gaz._load_countries()
        gaz._load_admins()
        gaz._load_cities()
        gaz._load_regions()
        gaz._load_aliases()
        gaz.not_places = frozenset(name_key(r[0]) for r in _rows("not_places.tsv"))
        gaz._load_abbreviations()
        return gaz

    # -- loading -----------------------------------------------------------------------
    def _add_name(self, text: str, match: Match) -> None:
        bucket = self.names.setdefault(name_key(text), [])
        if all(m.entry.ident != match.entry.ident or m.preferred != match.preferred for m in bucket):
            bucket.append(match)

    def _load_countries(self) -> None:
        for iso3, _iso2, gid, name, lat, lon, pop, *formal in _rows("countries.tsv", 7):
            entry = Entry(COUNTRY, name, iso3, None, None, _float(lat), _float(lon), int(gid), int(pop))
            self.countries[iso3] = entry
            for text in [name, *filter(None, formal[0].split("|") if formal else ())]:
                self._add_name(text, Match(entry))

    def _load_admins(self) -> None:
        renamed = dict((r[0], r[1]) for r in _rows("admin_names.tsv", 2))
        for iso3, code, geonames_name, gid, lat, lon, pop, *other in _rows("admin1.tsv", 7):
            admin_code = f"{iso3}.{code}"
            name = renamed.get(admin_code, geonames_name)
            entry = Entry(ADMIN, name, iso3, admin_code, name, _float(lat), _float(lon),
                          int(gid) if gid else None, int(pop))
            self.admins[admin_code] = entry
            others = other[0].split("|") if other and other[0] else []
            for text in dict.fromkeys((name, geonames_name, *others)):
                # an alternate name with its admin word ("Herat Province") is found through
                # its bare form, as "X province" in text is (``admins_named``)
                if text in (name, geonames_name) or _strip_admin_words(name_key(text), self.admin_words) == name_key(text):
                    self._add_name(text, Match(entry))
                bare = _strip_admin_words(name_key(text), self.admin_words)
                named = self.admin_names.setdefault(bare, [])
                if entry not in named:
                    named.append(entry)
                if bare != name_key(text):
                    self._add_name(bare, Match(entry))

    def _load_cities(self) -> None:
        lines = [ln for ln in _read_text("cities.tsv.gz").split("\n") if ln and ln[0] != "#"]
        index: dict[str, int | list[int]] = {}  # a bare int for the many unique names: less memory
        for i, line in enumerate(lines):
            cut = line.rindex("\t")
            lines[i] = line[:cut]  # the keys are only needed here
            for key in line[cut + 1 :].split("|"):
                bucket = index.get(key)
                if bucket is None:
                    index[key] = i
                elif isinstance(bucket, int):
                    index[key] = [bucket, i]
                else:
                    bucket.append(i)
        self._city_lines, self._city_index = lines, index

    def _load_regions(self) -> None:
        for name, aliases, country, lat, lon, gid in _rows("regions.tsv", 6):
            entry = Entry(OTHER, name, country or None, None, None, _float(lat), _float(lon),
                          int(gid) if gid else None)
            for text in [name, *filter(None, aliases.split("|"))]:
                self.regions[name_key(text)] = entry
                self._add_name(text, Match(entry))

    def _load_aliases(self) -> None:
        rows = _rows("aliases.tsv", 2)
        self._index_city_ids({int(t[5:]) for _, t in rows if t.startswith("city:")})
        for alias, target in rows:
            entry = self.resolve_target(target)
            if entry is None:
                raise ValueError(f"aliases.tsv: {alias!r} names {target!r}, which is not in the gazetteer")
            self._add_name(alias, Match(entry, preferred=True))

    def _load_abbreviations(self) -> None:
        for abbreviation, target in _rows("abbreviations.tsv", 2):
            entry = self.resolve_target(target)
            if entry is None:
                raise ValueError(f"abbreviations.tsv: {abbreviation!r} names {target!r}, not in the gazetteer")
            self.abbreviations.setdefault(abbreviation, []).append(entry)

    @property
    def admin_words(self) -> frozenset[str]:
        """Generic words after a first-level region's name ("province", "oblast")."""
        return self.cues.get("admin_word", frozenset())

    # -- lookup ------------------------------------------------------------------------
    def resolve_target(self, target: str) -> Entry | None:
        """An alias target: ``country:ISO3``, ``admin:ISO3.CODE``, ``city:GEONAMEID``, ``region:NAME``."""
        kind, _, value = target.partition(":")
        if kind == "country":
            return self.countries.get(value)
        if kind == "admin":
            return self.admins.get(value)
        if kind == "city":
            return self.city(int(value))
        if kind == "region":
            return self.regions.get(name_key(value))
        return None

    def city(self, geonames_id: int) -> Entry | None:
        """The city (or district) with this GeoNames id, if the gazetteer has it."""
        if geonames_id not in self._city_by_id:
            self._index_city_ids({geonames_id})
        i = self._city_by_id.get(geonames_id)
        return None if i is None else self._city_entry(i)

    def _index_city_ids(self, ids: set[int]) -> None:
        """Find lines by id: a binary search, ``cities.tsv.gz`` being sorted by GeoNames id."""
        lines = self._city_lines
        for gid in ids:
            i = bisect.bisect_left(lines, gid, key=_line_id)
            if i < len(lines) and _line_id(lines[i]) == gid:
                self._city_by_id[gid] = i

    def _city_entry(self, i: int) -> Entry:
        entry = self._city_cache.get(i)
        if entry is None:
            gid, name, iso3, code, lat, lon, pop, *feature = self._city_lines[i].split("\t")
            admin_code = f"{iso3}.{code}" if code else None
            admin = self.admins.get(admin_code) if admin_code else None
            entry = Entry(CITY, name, iso3, admin_code, admin.name if admin else None,
                          round(float(lat), 4), round(float(lon), 4), int(gid), int(pop),
                          feature[0] if feature else "P")
            self._city_cache[i] = entry
        return entry

    def lookup(self, text: str) -> list[Match]:
        """Every record ``text`` can name: countries, admin1 regions, regions, cities.

        Places below :data:`SMALL_PLACE` people are left out when a bigger record has
        the name ("Texas", a hamlet in Queensland, does not make the state ambiguous).
        Cities are left out when the name is a country's or a region's (a country
        name is never read as a town); a name in ``not_places.tsv`` keeps only its
        aliases and regions.
        """
        cached = self._lookup_cache.get(text)
        if cached is None:
            if len(self._lookup_cache) >= LOOKUP_CACHE_SIZE:
                self._lookup_cache.clear()
            cached = self._lookup_cache[text] = tuple(self._lookup(text))
        return list(cached)

    def _lookup(self, text: str) -> list[Match]:
        key = name_key(text)
        found = list(self.names.get(key, ()))
        if key in self.not_places or _ACRONYM.match(text):
            return [m for m in found if m.preferred or m.entry.kind in (COUNTRY, OTHER)]
        countries = {m.entry.country for m in found if m.entry.kind == COUNTRY}
        if countries:  # "Guatemala" is the country, not its department; "Georgia" may be the US state
            return [m for m in found if m.entry.kind != ADMIN or m.entry.country not in countries]
        if any(m.entry.kind == OTHER for m in found):
            return found
        bucket = self._city_index.get(key)
        if bucket is not None:
            cities = [self._city_entry(i) for i in ([bucket] if isinstance(bucket, int) else bucket)]
            if found or any(c.population >= SMALL_PLACE for c in cities):
                cities = [c for c in cities if c.population >= SMALL_PLACE]
            found.extend(Match(c) for c in cities)
        return found

    def admins_named(self, text: str) -> list[Entry]:
        """Admin1 regions whose name (without "region", "province"...) is ``text``."""
        return list(self.admin_names.get(_strip_admin_words(name_key(text), self.admin_words), ()))

    def is_known(self, text: str) -> bool:
        """True when ``text`` names something in the gazetteer (cheap, no records built)."""
        key = name_key(text)
        return key in self.names or key in self._city_index
