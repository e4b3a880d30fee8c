"""Actor knowledge: countries, titles, generic agent nouns and named actors, loaded from TSV files.

The bundled files live in ``dotterel/data/actors/`` (format in ``docs/actors.md``):

- ``countries.tsv``   ISO3, name, aliases, demonyms, capitals (one row per state);
- ``actors.tsv``      named actors (IGOs, well-known bodies, media, metonyms like "Kremlin");
- ``titles.tsv``      titles and offices → sector and role ("foreign minister" → GOV);
- ``agents.tsv``      generic agent nouns → sector ("police" → COP, "protesters" → CVL);
- ``name_words.tsv``  words that mark a name as an organisation ("Airlines" → BUS);
- ``not_actors.tsv``  names spaCy tags that never act ("Islam", "Ramadan");
- ``leaders.tsv``     heads of state and government, foreign and defence ministers with dates
  (written by hand, a source note per row);
- ``phoenix_*.tsv``   tables imported from the PETRARCH2/Phoenix dictionaries by
  ``scripts/build_actor_tables.py``: people with dated codes, organisations, armed groups,
  agent nouns, places (name → country). They sit under the hand-written tables: a surface
  form or agent noun a hand table knows keeps its hand meaning.

User files (``dotterel code --actors FILE``) have the columns of ``actors.tsv``; their rows
take precedence over every bundled entry with the same surface form.

Named forms are matched on whole tokens, case-sensitively, with whitespace ignored
(``"al-Qaeda"`` matches the tokens ``al - Qaeda``); titles and agent nouns are matched
lower-cased.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path

from ..datafiles import DataFileError, parse_tsv
from ..errors import UsageError

#: Kinds an actor may have (``spec/interface.md``).
KINDS = ("person", "organization", "state", "group")
#: Sector codes accepted in the data files (``plover.md`` §4).
SECTORS = frozenset(
    [
        "GOV",
        "MIL",
        "COP",
        "JUD",
        "LEG",
        "PRM",
        "PTY",
        "REB",
        "SPY",
        "UAF",
        "UNK",
        "PRE",
        "AGR",
        "BUS",
        "CRM",
        "CVL",
        "EDU",
        "ELI",
        "JRN",
        "LAB",
        "MED",
        "REF",
        "OPP",
        "REL",
        "SOC",
    ]
)
#: Non-state codes that may fill the country slot.
NONSTATE_CODES = frozenset(["IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"])
#: How a named term was found: a country's name, a capital (government metonym), a demonym,
#: a demonym's plural ("Iraqis"), or a named actor row.
TERM_TYPES = ("country", "capital", "demonym", "people", "actor")
_DATA = "data/actors"


_AMBIGUOUS_NAME = "(ambiguous)"


class KnowledgeError(UsageError):
    """A data file (bundled or given with ``--actors``) has a row that cannot be used.

    The message names the file and line and what the column should hold."""


#: The Phoenix dictionaries stop about here: an open-ended Phoenix role ("[RUSGOV >080508]") is
#: trusted up to this day; later, the person's undated default code applies, else the country alone.
PHOENIX_CUTOFF = date(2015, 12, 31)


@dataclass(frozen=True, slots=True)
class Period:
    """One dated code of a person: valid from ``start`` to ``end`` (inclusive; None = open)."""

    start: date | None
    end: date | None
    code: str | None
    country: str | None
    sector: str | None
    role: str | None = None

    @property
    def undated(self) -> bool:
        return self.start is None and self.end is None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Term:
    """What a named surface form means: a country, its capital or demonym, or a named actor."""

    name: str
    kind: str
    code: str | None
    country: str | None
    sector: str | None
    role: str | None
    type: str
    origin: str = "bundled"
    #: dated codes of a person (leaders.tsv, phoenix_people.tsv); see :meth:`on`.
    periods: tuple[Period, ...] = ()

    def on(self, day: date | None) -> Term:
        """This term with the code, sector and role valid on ``day`` (the story's pub_date).

        The dated period covering the day wins (the latest-starting one when several do);
        else the undated default; else the country alone (the person is known, the office
        is not). No ``day`` (a story without pub_date): the latest dated period.
        """
        if not self.periods:
            return self
        if day is None:
            dated = [p for p in self.periods if not p.undated]
        else:
            dated = [p for p in self.periods if not p.undated and p.covers(day)]
        if dated:
            chosen = max(dated, key=lambda p: p.start or date.min)
        else:
            chosen = next((p for p in self.periods if p.undated), None) or Period(
                None, None, self.country, self.country, None, None
            )
        return replace(
            self, code=chosen.code, country=chosen.country, sector=chosen.sector,
            role=chosen.role, periods=(),
        )


@dataclass(frozen=True, slots=True)
class Title:
    """A title or office ("prime minister"): the role it gives and its sector (None: from context)."""

    role: str
    sector: str | None


@dataclass(frozen=True, slots=True)
class Agent:
    """A generic agent noun ("police"): sector, kind, whether a bare use takes the story's country,
    and whether it is an actor only with a country or organisation modifier ("the Russian side")."""

    sector: str | None
    kind: str
    local: bool
    needs_modifier: bool = False
    needs_definite: bool = False
    #: an actor only without an "of" complement: "thousands rallied", not "thousands of workers"
    needs_bare: bool = False
    #: a country-slot code the noun gives ("rights groups" → NGO), with no sector.
    code: str | None = None


def squash(text: str) -> str:
    """The key a named form is matched by: the text without whitespace, apostrophes straightened."""
    return "".join(text.split()).replace("’", "'")


def _rows(lines: Iterable[str], source: str) -> Iterator[tuple[int, list[str]]]:
    """Data rows of a TSV (comments, blank lines and the header skipped), with line numbers."""
    try:
        table = parse_tsv(lines, source, header=True)
    except DataFileError as exc:
        raise KnowledgeError(str(exc)) from None
    for row in table:
        yield row.line, row.cells


def _bundled_lines(name: str) -> list[str]:
    return (
        resources.files("dotterel")
        .joinpath(f"{_DATA}/{name}")
        .read_text(encoding="utf-8")
        .splitlines()
    )


def _plural(demonym: str) -> str | None:
    """The plural noun for a people ("Iraqi" → "Iraqis"), or None when it has none ("Swiss")."""
    if demonym.endswith("hman"):  # Frenchman, Irishman (but German → Germans)
        return demonym[:-3] + "men"
    if demonym.endswith(("s", "sh", "ch", "ese", "x", "z")) or "." in demonym:
        return None
    return demonym + "s"


def _number_forms(noun: str) -> tuple[str, ...]:
    """A noun phrase with its last word as written, pluralised and singularised (roughly)."""
    return (noun, noun + "s", noun + "es", noun[:-1] if noun.endswith("s") else noun)


def _opt(value: str) -> str | None:
    return value if value and value != "-" else None


def fold(text: str) -> str:
    """The key of an imported (Phoenix) form: :func:`squash` lower-cased, without hyphens and
    dots. Phoenix writes every name in capitals and spells "LASHKAR_E_TAIBA" for
    "Lashkar-e-Taiba", so imported names are matched case-insensitively (see ``terms.py``)."""
    return squash(text).replace("-", "").replace(".", "").lower()


#: Share of the people of one last name who must be of one country for a title and that
#: name alone to give it (:meth:`ActorKnowledge.surname_country`).
SURNAME_SHARE = 0.75

#: Length of the prefixes kept for imported forms (longer ones are tried by full lookup).
FOLD_PREFIX = 6


def _date(value: str, where: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise KnowledgeError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


@dataclass
class ActorKnowledge:
    """Country names, demonyms, capitals, titles, organisations: loaded once per Coder.

    ``terms`` maps :func:`squash`-ed surface forms to their :class:`Term`; ``titles`` and
    ``agents`` map lower-cased words ("foreign minister", "police") to their meaning;
    ``max_tokens`` bounds the phrase matcher.
    """

    terms: dict[str, Term] = field(default_factory=dict)
    titles: dict[str, Title] = field(default_factory=dict)
    agents: dict[str, Agent] = field(default_factory=dict)
    name_words: dict[str, str | None] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    prefixes: frozenset[str] = frozenset()
    title_words: int = 1
    #: last words of every title and agent key: the nouns that can head a nominal actor.
    heads: frozenset[str] = frozenset()
    #: squashed names that are never actors ("Islam", "Ramadan").
    not_actors: frozenset[str] = frozenset()
    #: first words of names that are never actors ("Cyclone Jude").
    not_actor_prefixes: frozenset[str] = frozenset()
    agent_words: int = 1
    #: imported (Phoenix) names: :func:`fold`-ed form → term; matched case-insensitively on
    #: capitalised tokens, only where no hand-written form matches.
    folded: dict[str, Term] = field(default_factory=dict)
    folded_prefixes: frozenset[str] = frozenset()
    #: imported place names (countries' variants, cities, provinces): folded form → ISO3.
    places: dict[str, str] = field(default_factory=dict)
    #: what the loader dropped from the imported tables, by reason (for reports and tests).
    dropped: dict[str, int] = field(default_factory=dict)
    #: last names of the known people (leaders.tsv, phoenix_people.tsv), lower-cased → the
    #: country most people of that last name belong to; see :meth:`surname_country`.
    surnames: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, extra_files: Sequence[str | Path] = ()) -> ActorKnowledge:
        """Load the bundled data files, then each user file in ``extra_files`` (later ones win).

        Raises :class:`KnowledgeError` naming the file and line of a malformed row, and
        ``OSError`` when a user file cannot be read.
        """
        kb = cls()
        kb._load_countries(_bundled_lines("countries.tsv"), "countries.tsv")
        kb._load_actors(_bundled_lines("actors.tsv"), "actors.tsv", origin="bundled")
        for path in extra_files:
            text = Path(path).read_text(encoding="utf-8")
            kb._load_actors(text.splitlines(), str(path), origin="user")
        kb._load_leaders(_bundled_lines("leaders.tsv"), "leaders.tsv")
        kb._load_titles(_bundled_lines("titles.tsv"), "titles.tsv")
        kb._load_agents(_bundled_lines("agents.tsv"), "agents.tsv")
        kb._load_agents(_bundled_lines("phoenix_agents.tsv"), "phoenix_agents.tsv", imported=True)
        kb._load_imported()
        for _, row in _rows(_bundled_lines("name_words.tsv"), "name_words.tsv"):
            kb.name_words[row[0].lower()] = _opt(row[1]) if len(row) > 1 else None
        banned = [row[0] for _, row in _rows(_bundled_lines("not_actors.tsv"), "not_actors.tsv")]
        kb.not_actors = frozenset(squash(b) for b in banned if not b.endswith(" *"))
        kb.not_actor_prefixes = frozenset(b[:-2].strip() for b in banned if b.endswith(" *"))
        kb.heads = frozenset(key.split()[-1] for key in [*kb.titles, *kb.agents])
        kb._index_surnames()
        kb.prefixes = frozenset(key[:n] for key in kb.terms for n in range(1, len(key) + 1))
        kb.folded_prefixes = frozenset(
            key[:n] for key in kb.folded for n in range(1, min(len(key), FOLD_PREFIX) + 1)
        )
        return kb

    def _load_leaders(self, lines: Iterable[str], source: str) -> None:
        """leaders.tsv: one row per person and office, with dates; rows of one name make one term."""
        people: dict[str, tuple[list[str], list[Period]]] = {}
        for number, row in _rows(lines, source):
            row += [""] * (8 - len(row))
            name, aliases, country, sector, role, start, end, note = row[:8]
            where = f"{source}:{number}"
            if not name or not note:
                raise KnowledgeError(f"{where}: name and source note are required")
            if len(country) != 3 or not country.isupper():
                raise KnowledgeError(f"{where}: country {country!r} is not an ISO3 code")
            if sector not in SECTORS:
                raise KnowledgeError(f"{where}: sector {sector!r} is not a PLOVER sector code")
            period = Period(_date(start, where), _date(end, where), country, country, sector, role or None)
            if period.start is None:
                raise KnowledgeError(f"{where}: the start date is required")
            if period.end is not None and period.end < period.start:
                raise KnowledgeError(f"{where}: the office ends before it starts")
            forms, periods = people.setdefault(name, ([], []))
            forms.extend(a for a in aliases.split("|") if a)
            periods.append(period)
        for name, (forms, periods) in people.items():
            latest = max(periods, key=lambda p: p.start or date.min)
            term = Term(name, "person", latest.country, latest.country, None, None, "actor",
                        "bundled", tuple(periods))
            for form in [name, *forms]:
                key = squash(form)
                old = self.terms.get(key)
                if old is not None and old.origin == "user":
                    continue
                self.terms[key] = term

    def _load_imported(self) -> None:
        """The Phoenix tables, under the hand-written ones (hand forms win, noise is dropped)."""
        hand = {fold(key) for key in self.terms}
        dropped: dict[str, int] = {}

        def add(form: str, term: Term) -> None:
            if form.lower().startswith("the "):
                form = form[4:]  # as in actors.tsv: "The United Nations" is "United Nations"
            key = fold(form)
            if key in hand:
                dropped["known to a hand-written table"] = dropped.get("known to a hand-written table", 0) + 1
                return
            if not any(c.isupper() for c in form):
                dropped["no capital letter"] = dropped.get("no capital letter", 0) + 1
                return
            old = self.folded.get(key)
            if old is not None and (old.code, old.sector) != (term.code, term.sector):
                dropped["two actors with one name"] = dropped.get("two actors with one name", 0) + 1
                self.folded[key] = _AMBIGUOUS
                return
            self.folded.setdefault(key, term)

        for name in ("phoenix_orgs.tsv", "phoenix_groups.tsv"):
            for number, row in _rows(_bundled_lines(name), name):
                row += [""] * (7 - len(row))
                form, kind, code, country, sector, _role, aliases = row[:7]
                if kind not in KINDS or (sector and sector not in SECTORS) or (
                    code and not (code in NONSTATE_CODES or len(code) == 3)
                ):
                    raise KnowledgeError(f"{name}:{number}: bad row {row!r}")
                term = Term(form, kind, code or None, country or None, sector or None, None,
                            "actor", "imported")
                for alias in [form, *aliases.split("|")]:
                    if alias:
                        add(alias, term)
        people: dict[str, list[Period]] = {}
        for number, row in _rows(_bundled_lines("phoenix_people.tsv"), "phoenix_people.tsv"):
            where = f"phoenix_people.tsv:{number}"
            name, code, country, sector, start, end = (row + [""] * 6)[:6]
            end_day = _date(end, where)
            start_day = _date(start, where)
            if start_day is not None and end_day is None:
                end_day = PHOENIX_CUTOFF  # open-ended: trusted up to the dictionaries' date
            people.setdefault(name, []).append(
                Period(start_day, end_day, code or None, country or None, sector or None)
            )
        for name, periods in people.items():
            home = periods[0].country
            add(name, Term(name, "person", home, home, None, None, "actor", "imported",
                           tuple(periods)))
        for key in [k for k, t in self.folded.items() if t is _AMBIGUOUS]:
            del self.folded[key]
        for _, row in _rows(_bundled_lines("phoenix_places.tsv"), "phoenix_places.tsv"):
            if len(row) >= 2 and row[1] in self.countries:
                self.places.setdefault(fold(row[0]), row[1])
        self.dropped = dropped

    def _index_surnames(self) -> None:
        """Last names of the known people, each with the country most people of that name are of.

        "President Bush", "Chancellor Kohl": news names a leader by title and surname, and the
        tables know the full name. A last name is kept when at least :data:`SURNAME_SHARE` of
        the table entries ending in it are of one country (the four spellings of George Bush
        against one Cayman Islands premier), and left out when it also starts a name ("Kim",
        "Wang", "Ali": family names first, or given names) or is a known term, place, title or
        agent word ("Jordan").
        """
        countries: dict[str, list[str | None]] = {}
        spelled: dict[str, str] = {}  # folded last name → as a table writes it
        first: set[str] = set()
        people = [t for t in self.terms.values() if t.kind == "person"]
        people += [t for t in self.folded.values() if t.kind == "person"]
        for term in {id(t): t for t in people}.values():
            words = [w for w in term.name.split() if not w.endswith(".")]  # "Gov.", "H."
            if len(words) < 2:
                continue
            first.add(words[0].lower())
            last = words[-1].lower()
            if len(last) >= 3 and last.isalpha():
                countries.setdefault(last, []).append(term.country)
                spelled.setdefault(last, words[-1])
        words_of_nouns = {w for key in [*self.titles, *self.agents] for w in key.split()}
        self.surnames = {}
        for last, isos in countries.items():
            iso, n = (isos[0], 1) if len(isos) == 1 else Counter(isos).most_common(1)[0]
            if iso is None or n < SURNAME_SHARE * len(isos):
                continue
            if last in first or last in words_of_nouns or last in self.places:
                continue
            if squash(spelled[last].capitalize()) in self.terms or squash(spelled[last]) in self.terms:
                continue  # a country, capital, demonym or a name the tables give in full ("Putin")
            self.surnames[last] = iso

    def surname_country(self, word: str) -> str | None:
        """The country most known people of the last name ``word`` are of (see :meth:`_index_surnames`)."""
        return self.surnames.get(word.lower())

    def _add(self, form: str, term: Term) -> None:
        key = squash(form)
        if not key:
            return
        old = self.terms.get(key)
        if old is not None and old.origin == "user" and term.origin != "user":
            return
        self.terms[key] = term

    def _load_countries(self, lines: Iterable[str], source: str) -> None:
        for number, row in _rows(lines, source):
            if len(row) < 2 or len(row[0]) != 3 or not row[0].isupper():
                raise KnowledgeError(
                    f"{source}:{number}: expected 'iso3<TAB>name<TAB>...', got {row!r}"
                )
            row += [""] * (5 - len(row))
            iso, name, aliases, demonyms, capitals = row[:5]
            self.countries[iso] = name
            state = Term(name, "state", iso, iso, None, None, "country")
            for form in [name, *aliases.split("|")]:
                if form:
                    self._add(form, state)
            for form in capitals.split("|"):
                if form:
                    self._add(form, Term(name, "state", iso, iso, "GOV", None, "capital"))
            for form in demonyms.split("|"):
                if not form:
                    continue
                self._add(form, Term(name, "state", iso, iso, None, None, "demonym"))
                plural = _plural(form)
                if plural and squash(plural) not in self.terms:  # "Philippines" stays the country
                    self._add(plural, Term(plural, "group", iso, iso, None, None, "people"))

    def _load_actors(self, lines: Iterable[str], source: str, *, origin: str) -> None:
        for number, row in _rows(lines, source):
            row += [""] * (7 - len(row))
            name, kind, code, country, sector, role, aliases = row[:7]
            where = f"{source}:{number}"
            if not name:
                raise KnowledgeError(f"{where}: the name column is empty")
            if kind not in KINDS:
                raise KnowledgeError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
            if code and not (code in NONSTATE_CODES or (len(code) == 3 and code.isupper())):
                raise KnowledgeError(
                    f"{where}: code {code!r} is not ISO3 or one of {sorted(NONSTATE_CODES)}"
                )
            if country and not (len(country) == 3 and country.isupper()):
                raise KnowledgeError(f"{where}: country {country!r} is not an ISO3 code")
            if sector and sector not in SECTORS:
                raise KnowledgeError(f"{where}: sector {sector!r} is not a PLOVER sector code")
            term = Term(
                name,
                kind,
                code or None,
                country or None,
                sector or None,
                role or None,
                "actor",
                origin,
            )
            for form in [name, *aliases.split("|")]:
                form = form.strip()
                if form.lower().startswith("the "):
                    form = form[4:]
                if form:
                    self._add(form, term)

    def _load_titles(self, lines: Iterable[str], source: str) -> None:
        for number, row in _rows(lines, source):
            if len(row) < 3 or (row[1] != "-" and row[1] not in SECTORS):
                raise KnowledgeError(
                    f"{source}:{number}: expected 'title<TAB>sector<TAB>role', got {row!r}"
                )
            key = " ".join(row[0].lower().split())
            self.titles[key] = Title(row[2], _opt(row[1]))
            self.title_words = max(self.title_words, len(key.split()))

    def _load_agents(self, lines: Iterable[str], source: str, *, imported: bool = False) -> None:
        hand = frozenset(self.agents) | frozenset(self.titles)
        for number, row in _rows(lines, source):
            if (
                len(row) < 4
                or (row[1] not in SECTORS and row[1] not in NONSTATE_CODES)
                or row[2] not in KINDS
                or row[3] not in ("yes", "no", "modified", "definite", "bare")
            ):
                raise KnowledgeError(
                    f"{source}:{number}: expected 'noun<TAB>sector<TAB>kind<TAB>yes|no|modified|definite|bare', "
                    f"got {row!r}"
                )
            key = " ".join(row[0].lower().split())
            nonstate = row[1] in NONSTATE_CODES
            agent = Agent(
                None if nonstate else row[1],
                row[2],
                local=row[3] in ("yes", "definite"),
                needs_modifier=row[3] == "modified",
                needs_definite=row[3] == "definite",
                needs_bare=row[3] == "bare",
                code=row[1] if nonstate else None,
            )
            if imported:
                if any(form in hand for form in _number_forms(key)):
                    continue  # the hand-written meaning wins, also over its singular or plural
                head = next((self.agents[f] for f in _number_forms(key.split()[-1]) if f in hand
                             and f in self.agents), None)
                if head is not None:
                    if head.sector == agent.sector and head.code == agent.code:
                        continue  # "national police" is "police": the hand noun and its modifiers decide
                    # "military officers" (MIL, not the hand "officers" COP): the hand noun's use
                    agent = replace(agent, local=head.local, needs_modifier=head.needs_modifier,
                                    needs_definite=head.needs_definite, needs_bare=head.needs_bare)
            self.agents[key] = agent
            self.agent_words = max(self.agent_words, len(key.split()))

    def place_country(self, form: str) -> str | None:
        """ISO3 of a place name the imported tables know ("Kandahar" → AFG), else None."""
        return self.places.get(fold(form))

    def country_of(self, form: str) -> str | None:
        """ISO3 of a country name, alias, demonym or capital ("Kazakh" → KAZ), else None."""
        term = self.terms.get(squash(form))
        if term is None or term.type == "actor":
            return None
        return term.country


#: Marker for an imported form that two imported actors share (dropped after loading).
_AMBIGUOUS = Term(_AMBIGUOUS_NAME, "group", None, None, None, None, "actor", "imported")
