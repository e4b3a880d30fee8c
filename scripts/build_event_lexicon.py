"""Build dotterel's imported event tables from the CAMEO verb dictionary of PETRARCH2.

Reads ``CAMEO.2.0.txt`` (openeventdata/petrarch2 676801c, MIT, Copyright (c) 2014 Open Event
Data) and ``CAMEO2PLOVER-2021.txt`` (openeventdata/PLOVER 5e0c24f) with the corrections of
``spec/plover.md`` §5, and the hand-written import choices in
``src/dotterel/data/events/cameo_import.tsv``; writes into ``src/dotterel/data/events/``:

* ``cameo_verbs.tsv``    every verb of every block: lemma, block, CAMEO code, PLOVER type, mode,
                         flags (type ``-``: the bare verb is no event, its block's patterns still apply);
* ``cameo_patterns.tsv`` every pattern whose parts can be checked on a dependency parse
                         (object, particle, preposition + object, noun synsets expanded), per block;
* ``cameo_nouns.tsv``    event nouns: the objects CAMEO codes after light verbs ("launch an attack"),
                         the words of event synsets (``&FIGHT``) and the -ion/-al/-ure nouns of coded
                         verbs that English has (WordNet noun index shipped with the spaCy model).

Usage (from the checkout root; shared data beside it or passed with --data)::

    .venv/bin/python scripts/build_event_lexicon.py [--data ../shared] [--check]

The output is deterministic (sorted rows): a rebuild is byte-identical. ``--check`` rebuilds in
memory and exits 1 when a file differs. The report (stdout) counts what was imported, by kind
and PLOVER type, and what was skipped, by reason.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "dotterel" / "data" / "events"
DEFAULT_SHARED = ROOT.parent / "shared"
CAMEO_FILE = Path("data") / "petrarch2" / "CAMEO.2.0.txt"
PLOVER_FILE = Path("data") / "plover" / "CAMEO2PLOVER-2021.txt"
COMMAND = "python scripts/build_event_lexicon.py --data ../shared"

HEADER = """# {title}
# Derived from CAMEO.2.0.txt of openeventdata/petrarch2, commit 676801c
# (petrarch2/data/dictionaries/), mapped to PLOVER with CAMEO2PLOVER-2021.txt of
# openeventdata/PLOVER, commit 5e0c24f, and the corrections of spec/plover.md section 5.
# Built by: {command}   (do not edit; edit cameo_import.tsv or the overrides instead)
#
# The MIT License (MIT)
# Copyright (c) 2014 Open Event Data
# Permission is hereby granted, free of charge, to any person obtaining a copy of this
# software and associated documentation files (the "Software"), to deal in the Software
# without restriction, including without limitation the rights to use, copy, modify, merge,
# publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons
# to whom the Software is furnished to do so, subject to the following conditions:
# The above copyright notice and this permission notice shall be included in all copies or
# substantial portions of the Software.
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
# INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
# PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE
# FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
# OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
# DEALINGS IN THE SOFTWARE.
#
# version: 1
# {columns}
"""

#: Corrections of the 2021 table by manual 2.0 (spec/plover.md section 5). None = unmapped.
SPEC_CORRECTIONS: dict[str, tuple[str, str | None] | None] = {
    "015": None, "016": None,
    "116": ("SANCTION", "convict"),
    "163": ("SANCTION", "discontinue"),
    "175": ("ASSAULT", None),
    "195": ("ASSAULT", "aerial"),
    "1712": ("ASSAULT", "destroy"),
    "192": ("COERCE", "seize"),
    "201": ("ASSAULT", "cleansing"),
    "203": ("ASSAULT", "cleansing"),
    "202": ("ASSAULT", "massacre"),
}
#: Words that follow a verb as a particle ("burn down", "cut off").
PARTICLES = frozenset({"up", "down", "off", "out", "back", "away", "aside", "apart", "together", "forward"})
#: Words that are a particle at the end of a pattern and a preposition before a noun.
PREP_PARTICLES = frozenset({"on", "in", "over", "through", "about", "around", "along", "into", "to",
                            "with", "for", "against", "at", "by", "from", "of", "upon", "under", "toward"})
#: TABARI actor markers inside patterns: $ source, + target, ^ skip, % compound actor.
ACTOR_MARKS = frozenset({"$", "+", "^"})
#: Noun suffix rules for nominalisations: (verb ending, replacement) tried in order.
NOMINAL_RULES = (
    ("ate", "ation"), ("ize", "ization"), ("ise", "isation"), ("ify", "ification"),
    ("de", "sion"), ("mit", "mission"), ("pel", "pulsion"), ("ain", "ention"), ("e", "ation"),
    ("e", "ion"), ("use", "usal"), ("e", "ure"), ("", "ation"), ("", "ion"), ("aw", "awal"),
)
#: Imported noun flags from the type (rules of English, see docs/events.md).
RECIP_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
PATIENT_MODES = frozenset({("COERCE", "arrest"), ("COERCE", "deport"), ("ASSAULT", "abduct"),
                           ("ASSAULT", "assassinate"), ("RETREAT", "release")})
FRAME_TYPES = frozenset({"REQUEST", "REJECT", "THREATEN", "AGREE"})
#: Prepositions that mostly introduce a time or a place ("on Tuesday", "in Kabul").
PLACE_TIME_PREPS = frozenset({"on", "in", "at", "during", "after", "before", "since", "until", "near", "by"})
#: Cue classes whose verbs the coder handles by rule (reporting, modality, control, light verbs):
#: they never become bare triggers from the import.
HELPER_CUES = frozenset({"speech", "hyp_verb", "transparent", "neg_verb", "light", "undergo"})


@dataclass
class Block:
    name: str
    code: str
    verbs: list[tuple[str, str | None]] = field(default_factory=list)  # (raw phrase, own code)
    patterns: list[tuple[str, str, str]] = field(default_factory=list)  # (body, code, comment)


@dataclass
class Report:
    imported: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, type)
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, reason)

    def skip(self, kind: str, reason: str) -> None:
        self.skipped[(kind, reason)] += 1

    def text(self) -> str:
        lines = ["imported (kind, PLOVER type: count):"]
        kinds = sorted({k for k, _ in self.imported})
        for kind in kinds:
            total = sum(v for (k, _), v in self.imported.items() if k == kind)
            per = ", ".join(f"{t} {v}" for (k, t), v in sorted(self.imported.items()) if k == kind)
            lines.append(f"  {kind}: {total}  ({per})")
        lines.append("skipped (kind: reason: count):")
        for (kind, reason), v in sorted(self.skipped.items()):
            lines.append(f"  {kind}: {reason}: {v}")
        return "\n".join(lines)


# ------------------------------------------------------------------ reading CAMEO.2.0.txt

def strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def parse_cameo(text: str) -> tuple[dict[str, list[str]], list[Block]]:
    """The synsets (name -> phrases, lower case, ``_`` read as space) and verb blocks of a file."""
    synsets: dict[str, list[str]] = {}
    blocks: list[Block] = []
    current_set: str | None = None
    block: Block | None = None
    for raw in text.splitlines():
        line = strip_comment(raw)
        if not raw.strip():
            current_set = None
            continue
        if not line.strip():
            continue
        if line.startswith("---"):
            m = re.match(r"---\s+(\S+)\s+\[([^\]]*)\]", line)
            if m is None:
                continue
            block = Block(m.group(1), m.group(2).strip())
            blocks.append(block)
            current_set = None
            continue
        if block is None:
            if line.startswith("&"):
                current_set = line.strip()
                synsets[current_set] = []
            elif line.startswith("+") and current_set is not None:
                synsets[current_set].append(line[1:].strip())
            continue
        if line.startswith("-"):
            m = re.match(r"-\s*(.*?)\s*\[([^\]]*)\]\s*$", line)
            comment = raw.split("#", 1)[1].strip() if "#" in raw else ""
            if m is None:
                block.patterns.append((line[1:].strip(), "", comment))
            else:
                block.patterns.append((m.group(1), m.group(2).strip(), comment))
            continue
        if line.startswith("~"):
            block.patterns.append((line, "~", ""))
            continue
        m = re.match(r"(\S+?)\s*(?:\{[^}]*\})?\s*(?:\[([^\]]*)\])?\s*$", line.strip())
        if m is not None:
            block.verbs.append((m.group(1), m.group(2).strip() if m.group(2) else None))
        else:
            word = line.split()[0]
            code = re.search(r"\[([^\]]*)\]", line)
            block.verbs.append((word, code.group(1).strip() if code else None))
    return synsets, blocks


def synset_words(phrases: list[str]) -> list[str]:
    return sorted({p.strip("_").replace("_", " ").lower() for p in phrases if p.strip("_")})


# ------------------------------------------------------------------ PLOVER mapping

def parse_plover(text: str) -> dict[str, tuple[str, str | None]]:
    """CAMEO code -> (PLOVER type, mode) from CAMEO2PLOVER-2021.txt, old names renamed."""
    renames = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE"}
    table: dict[str, tuple[str, str | None]] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"(\d{2,4}):\s*(.*)$", line)
        if m is None or len(m.group(1)) == 2:
            continue
        parts = [p.strip() for p in m.group(2).split(",")]
        type_ = renames.get(parts[0], parts[0])
        mode = parts[1] if len(parts) > 1 and parts[1] else None
        table[m.group(1)] = (type_, mode)
    return table


def read_modes(path: Path) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cells = line.split("\t")
            out.add((cells[0], cells[1]))
    return out


class Mapper:
    """CAMEO code -> PLOVER (type, mode), with the spec's corrections and prefix fallback."""

    def __init__(self, table: dict[str, tuple[str, str | None]], modes: set[tuple[str, str]], report: Report):
        self.table = table
        self.modes = modes
        self.report = report

    def __call__(self, code: str) -> tuple[str, str | None] | None:
        for n in (len(code), 3):
            key = code[:n]
            if key in SPEC_CORRECTIONS:
                return SPEC_CORRECTIONS[key]
            if key in self.table:
                type_, mode = self.table[key]
                if mode is not None and (type_, mode) not in self.modes:
                    mode = None
                return type_, mode
        return None


# ------------------------------------------------------------------ words

@lru_cache(maxsize=1)
def _lemma_tables() -> tuple[dict[str, list[str]], list[list[str]], frozenset[str], frozenset[str]]:
    """spaCy's English lemmatizer tables (WordNet based) from the project's model: noun
    exceptions, noun suffix rules, the noun index and the verb index."""
    import spacy

    from dotterel.nlp import DEFAULT_MODEL

    nlp = spacy.load(DEFAULT_MODEL, disable=["parser", "ner", "tagger", "attribute_ruler", "tok2vec"])
    lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    exc = lookups.get_table("lemma_exc")["noun"]
    rules = lookups.get_table("lemma_rules")["noun"]
    index = lookups.get_table("lemma_index")
    return dict(exc), list(rules), frozenset(index["noun"]), frozenset(index["verb"])


def noun_lemma(word: str) -> str:
    """The singular of an English noun as spaCy's rule lemmatizer gives it ("talks" -> "talk")."""
    exc, rules, nouns, _ = _lemma_tables()
    if word in exc:
        return str(exc[word][0])
    if word in nouns:
        return word
    for old, new in rules:
        if old and word.endswith(old):
            form = word[: len(word) - len(old)] + new
            if form in nouns:
                return form
    return word


def is_noun(word: str) -> bool:
    return word.replace(" ", "_") in _lemma_tables()[2]


def is_verb(word: str) -> bool:
    return word in _lemma_tables()[3]


def phrase_lemma(words: Iterable[str]) -> str:
    """A noun phrase's words, lower case, its head (last word) singular: "{AIR RAIDS}" -> "air raid"."""
    ws = [w.lower() for w in words if w]
    return " ".join([*ws[:-1], noun_lemma(ws[-1])]) if ws else ""


# ------------------------------------------------------------------ patterns

TOKEN = re.compile(r"\{[^}]*\}|\([^)]*\)|\S+")


class Skip(Exception):
    """A pattern part that cannot be checked on a dependency parse; the message is the reason."""


def _noun_args(word: str, synsets: dict[str, list[str]]) -> list[str]:
    """The argument lemmas a pattern noun stands for: itself, or its synset's words."""
    if word.startswith("&"):
        name = word.rstrip("_") if word.rstrip("_") in synsets else word
        if name not in synsets:
            raise Skip("undefined synset")
        return sorted({phrase_lemma(p.split()) for p in synset_words(synsets[name])})
    return [phrase_lemma(word.strip("_").replace("_", " ").split())]


def _phrase_args(inner: str, synsets: dict[str, list[str]]) -> list[str]:
    words = inner.split()
    if not words:
        return []
    if any(w.startswith("&") for w in words[:-1]):
        raise Skip("synset as modifier inside a noun phrase")
    if any(w in ACTOR_MARKS or w == "%" for w in words):
        raise Skip("actor marker inside a noun phrase")
    heads = _noun_args(words[-1], synsets)
    mods = [w.strip("_").replace("_", " ").lower() for w in words[:-1]]
    return sorted({" ".join([*mods, h]) for h in heads})


def parse_pattern(body: str, synsets: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """The parse-checkable constraints of a pattern body ("* (FOR AID)") as (relation, arguments);
    raises Skip with the reason when a part cannot be checked."""
    toks = TOKEN.findall(body)
    if "*" not in toks:
        raise Skip("malformed pattern (no verb position)")
    star = toks.index("*")
    if toks[:star]:
        raise Skip("words before the verb (subject or adverb constraint)")
    post = [t for t in toks[star + 1:]]
    if "%" in post or "$" in post[:-1]:
        raise Skip("compound or source actor inside the pattern")
    while post and post[-1] in ACTOR_MARKS:  # a trailing actor position: roles find it anyway
        post.pop()
    if not post:
        raise Skip("bare verb pattern (same as the verb)")
    out: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(post):
        tok = post[i]
        nxt = post[i + 1] if i + 1 < len(post) else None
        if tok.startswith("("):
            inner = tok[1:-1].split()
            if not inner:
                raise Skip("empty preposition phrase")
            prep = inner[0].lower()
            rest = " ".join(w for w in inner[1:] if w not in ACTOR_MARKS)
            if any(w == "%" for w in inner):
                raise Skip("compound actor inside the pattern")
            if rest.startswith("{"):
                args = _phrase_args(rest.strip("{}"), synsets)
            elif rest:
                if len(rest.split()) > 1:
                    raise Skip("several bare words inside a preposition phrase")
                args = _noun_args(rest, synsets)
            else:
                args = []
            out.append((f"prep:{prep}", args))
        elif tok.startswith("{"):
            out.append(("obj", _phrase_args(tok[1:-1], synsets)))
        elif tok in ACTOR_MARKS:
            raise Skip("actor position between pattern words")
        else:
            low = tok.lower()
            if low in PARTICLES and (nxt is None or not nxt.startswith("(")) and not out:
                if nxt is not None and not nxt.startswith("(") and nxt not in ACTOR_MARKS:
                    obj = _phrase_args(nxt.strip("{}"), synsets) if nxt.startswith("{") else _noun_args(nxt, synsets)
                    out.append((f"prt:{low}", obj))
                    i += 2
                    continue
                out.append((f"prt:{low}", []))
            elif low in PREP_PARTICLES and nxt is not None and not nxt.startswith("(") and nxt not in ACTOR_MARKS:
                obj = _phrase_args(nxt.strip("{}"), synsets) if nxt.startswith("{") else _noun_args(nxt, synsets)
                out.append((f"prep:{low}", obj))
                i += 2
                continue
            elif low in PREP_PARTICLES and nxt is None:
                out.append((f"prep:{low}", []))
            elif not re.fullmatch(r"[a-z&][a-z0-9&'._-]*", low):
                raise Skip("unreadable pattern word")
            else:
                if out and out[-1][0] == "obj":
                    raise Skip("two bare words in a row (word sequence, not a parse relation)")
                out.append(("obj", _noun_args(tok, synsets)))
        i += 1
    if len(out) > 2:
        raise Skip("more than two parts")
    if sum(1 for r, _ in out if r == "obj" or r.startswith("prt:")) > 1:
        raise Skip("two object or particle parts")
    return out


def parse_code(code: str) -> str | None:
    """The actor's CAMEO code of a ``[...]`` field ("042:043" -> "042"); "---" -> "---"."""
    code = code.strip().rstrip("-").strip() or "---"
    if code.startswith("---"):
        return "---"
    first = code.split(":", 1)[0].strip()
    if not first:
        return None
    return first if re.fullmatch(r"\d{2,4}", first) else None


# ------------------------------------------------------------------ the build

@dataclass
class Rules:
    bare_blocks: set[str]
    bare_verbs: set[str]
    synsets: dict[str, tuple[str, str | None, frozenset[str]]]
    noun_stop: set[str]
    event_light: set[str]
    #: [---] blocks whose bare verbs carry the type most of their patterns give (see _block_majority)
    majority_blocks: set[str] = field(default_factory=set)


def read_rules(path: Path) -> Rules:
    rules = Rules(set(), set(), {}, set(), set())
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 4:
            raise ValueError(f"{path.name}:{lineno}: need 4 tab-separated columns")
        kind, name, value, _reason = cells
        if kind == "block":
            rules.bare_blocks.add(name)
        elif kind == "verb":
            rules.bare_verbs.add(name)
        elif kind == "synset":
            head, _, flags = value.partition(",")
            type_, _, mode = head.partition("/")
            rules.synsets[name] = (type_, mode or None, frozenset(f for f in flags.split(",") if f))
        elif kind == "event_light":
            rules.event_light.add(name)
        elif kind == "noun_stop":
            rules.noun_stop.add(name)
        elif kind == "majority":
            rules.majority_blocks.add(name)
        else:
            raise ValueError(f"{path.name}:{lineno}: unknown kind {kind!r}")
    return rules


def read_cues(path: Path, names: frozenset[str]) -> set[str]:
    """The words of some cue classes of cues.tsv (verbs the coder treats by rule)."""
    out: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) > 1 and cells[0] in names:
            out |= set(cells[1].split())
    return out


def verb_lemma(raw: str) -> tuple[str, str | None]:
    """The lemma of a CAMEO verb entry ("+CALL_OFF" -> "call off") and, for a verb + noun entry
    ("+TAKE_LEAVE"), the noun; raises Skip when the verb is not the first word."""
    words = raw.split("_")
    plus = [i for i, w in enumerate(words) if w.startswith("+")]
    words = [w.lstrip("+").lower() for w in words if w.lstrip("+")]
    if not words:
        raise Skip("empty verb entry")
    if plus and plus[0] != 0:
        raise Skip("words before the verb in a multi-word verb")
    if not is_verb(words[0]):
        raise Skip("not an English verb lemma (WordNet verb index)")
    if len(words) == 1:
        return words[0], None
    if len(words) == 2 and (words[1] in PARTICLES or words[1] in PREP_PARTICLES):
        return f"{words[0]} {words[1]}", None
    if len(words) == 2 and is_noun(words[1]):
        return words[0], words[1]
    raise Skip("multi-word verb other than verb + particle/preposition/noun")


def build(shared: Path) -> tuple[dict[str, str], Report]:
    """The derived files (name -> text) and the import report."""
    report = Report()
    synsets, blocks = parse_cameo((shared / CAMEO_FILE).read_text(encoding="latin-1"))
    mapper = Mapper(parse_plover((shared / PLOVER_FILE).read_text(encoding="utf-8")),
                    read_modes(OUT / "modes.tsv"), report)
    rules = read_rules(OUT / "cameo_import.tsv")
    helpers = read_cues(OUT / "cues.tsv", HELPER_CUES)
    verb_rows: dict[tuple[str, str], tuple[str, ...]] = {}
    pattern_rows: set[tuple[str, ...]] = set()
    noun_votes: dict[str, Counter[tuple[str, str, str]]] = defaultdict(Counter)
    seen_verbs: dict[str, str] = {}
    typed_verbs: dict[str, tuple[str, str | None, str]] = {}
    dashed: list[tuple[str, str]] = []  # verbs of [---] blocks: see _block_majority
    for block in blocks:
        block_code = parse_code(block.code)
        for raw, own in block.verbs:
            try:
                lemma, noun = verb_lemma(raw)
            except Skip as why:
                report.skip("verb", str(why))
                continue
            code = parse_code(own) if own is not None else block_code
            if noun is not None:  # "+TAKE_LEAVE": the verb with that object
                mapped = mapper(code) if code not in (None, "---") else None
                if mapped is None:
                    report.skip("verb", "verb + noun entry without a PLOVER code")
                    continue
                pattern_rows.add((block.name, "obj", noun, "-", code or "---", mapped[0], mapped[1] or "-",
                                  f"verb entry {raw}"))
                report.imported[("pattern", mapped[0])] += 1
                continue
            if (lemma, block.name) in verb_rows:
                continue
            type_, mode, flags = "-", "-", "-"
            if lemma in seen_verbs:
                report.skip("verb code", "verb already coded in an earlier block (first block wins)")
            elif code is None or code == "---":
                dashed.append((lemma, block.name))
            elif lemma in helpers:
                report.skip("verb code", "speech, modal, transparent or light verb (cues.tsv): handled by rules")
            elif block.name in rules.bare_blocks or lemma in rules.bare_verbs:
                report.skip("verb code", "generic verb: no event without an argument (cameo_import.tsv)")
            else:
                mapped = mapper(code)
                if mapped is None:
                    report.skip("verb code", f"CAMEO {code[:2]}x has no PLOVER type")
                else:
                    type_, mode = mapped[0], mapped[1] or "-"
                    fl = []
                    if type_ in FRAME_TYPES:
                        fl.append("frame")
                    if type_ in RECIP_TYPES and mode != "visit" and type_ != "AGREE":
                        fl.append("recip")
                    flags = ",".join(fl) or "-"
                    report.imported[("verb trigger", type_)] += 1
                    typed_verbs[lemma] = (type_, mapped[1], code)
            if lemma not in seen_verbs and type_ != "-":
                seen_verbs[lemma] = block.name
            verb_rows[(lemma, block.name)] = (lemma, block.name, code or "-", type_, mode, flags)
        for body, raw_code, comment in block.patterns:
            if raw_code == "~":
                report.skip("pattern", "transformation (verb-verb rule), not a pattern")
                continue
            code = parse_code(raw_code)
            if code is None:
                report.skip("pattern", "reverse-direction or unreadable code")
                continue
            if code == "---":
                mapped_p: tuple[str, str | None] | None = ("NONE", None)
            else:
                mapped_p = mapper(code)
                if mapped_p is None:
                    report.skip("pattern", f"CAMEO {code[:2]}x has no PLOVER type")
                    continue
            try:
                parts = parse_pattern(body, synsets)
            except Skip as why:
                report.skip("pattern", str(why))
                continue
            if block.name in rules.bare_blocks and not any(a for _, a in parts):
                report.skip("pattern", "generic block and no named argument (as vague as the bare verb)")
                continue
            if not any(a for _, a in parts) and any(r.split(":")[-1] in PLACE_TIME_PREPS for r, _ in parts):
                report.skip("pattern", "preposition of time or place without a named argument")
                continue
            if code == block_code and len(parts) == 1:
                report.skip("pattern", "gives the block's own code (adds nothing to the bare verb)")
                continue
            (rel, args), *extra = parts
            extra_text = "-" if not extra else f"{extra[0][0]}={'|'.join(extra[0][1]) or '*'}"
            row = (block.name, rel, "|".join(args) or "*", extra_text, code, mapped_p[0], mapped_p[1] or "-",
                   body.strip())
            if row not in pattern_rows:
                pattern_rows.add(row)
                report.imported[("pattern", mapped_p[0])] += 1
            origin = comment.split(",")[0].split()[0].lower().replace("_", " ") if comment.split() else ""
            if origin in rules.event_light and rel == "obj" and not extra and args and mapped_p[0] != "NONE":
                for arg in args:
                    noun_votes[arg][(mapped_p[0], mapped_p[1] or "-", code)] += 1
    pattern_rows = _unambiguous(pattern_rows, report)
    # the event nouns before the majority verbs join (their nominalisations come after)
    first_nouns = _nouns(noun_votes, typed_verbs, synsets, rules, Report())
    majority = {b: v for b, v in _block_majority(pattern_rows, {row[0] for row in first_nouns}).items()
                if b in rules.majority_blocks}
    for lemma, block_name in dashed:
        chosen = majority.get(block_name)
        if chosen is None:
            report.skip("verb code", "block codes no event for the bare verb ([---]); its patterns disagree or"
                        " name the event (not a 'majority' block of cameo_import.tsv)")
            continue
        if lemma in seen_verbs or lemma in helpers or block_name in rules.bare_blocks or lemma in rules.bare_verbs:
            report.skip("verb code", "block codes no event for the bare verb ([---]); verb coded elsewhere or generic")
            continue
        type_, mode, code = chosen
        flags = ",".join(f for f, on in (("frame", type_ in FRAME_TYPES),
                                         ("recip", type_ in RECIP_TYPES and mode != "visit" and type_ != "AGREE"))
                         if on) or "-"
        seen_verbs[lemma] = block_name
        typed_verbs[lemma] = (type_, None if mode == "-" else mode, code)
        verb_rows[(lemma, block_name)] = (lemma, block_name, f"~{code}", type_, mode, flags)
        report.imported[("verb trigger (block majority)", type_)] += 1
    nouns = _nouns(noun_votes, typed_verbs, synsets, rules, report)
    files = {
        "cameo_verbs.tsv": _write("CAMEO verbs: every verb of every CAMEO.2.0 block",
                                  "lemma\tblock\tcameo\ttype\tmode\tflags", verb_rows.values()),
        "cameo_patterns.tsv": _write("CAMEO patterns that can be checked on a dependency parse, per verb block",
                                     "block\trelation\targuments\textra\tcameo\ttype\tmode\tcameo_pattern",
                                     pattern_rows),
        "cameo_nouns.tsv": _write("CAMEO event nouns (light-verb objects, event synsets, nominalisations)",
                                  "lemma\ttype\tmode\tflags\tcameo\torigin", nouns),
    }
    return files, report


#: A [---] block's bare verbs take the PLOVER type most of its patterns give, when at least
#: MAJORITY_MIN patterns (no-event ones included) and a MAJORITY_SHARE of them agree.
MAJORITY_MIN, MAJORITY_SHARE = 4, 0.7


def _block_majority(rows: set[tuple[str, ...]], event_nouns: set[str]) -> dict[str, tuple[str, str, str]]:
    """Blocks whose verbs CAMEO leaves uncoded ([---]) but whose patterns mostly agree on one
    PLOVER type ("REFUSE": "reject * proposal", "refuse * demand", ... are all REJECT): the type,
    its majority mode ("-" when modes split) and its most common CAMEO code. A bare verb of such a
    block is that event in most of CAMEO's own examples, so it is imported at a lower weight.
    Not when most of those patterns name an event noun as the argument ("trigger * criticism",
    "respond with * protest"): there the argument carries the event, not the verb."""
    by_block: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    carried: Counter[tuple[str, str]] = Counter()
    for row in rows:
        by_block[row[0]].append((row[5], row[6], row[4]))
        if set(row[2].split("|")) & event_nouns:
            carried[(row[0], row[5])] += 1
    out: dict[str, tuple[str, str, str]] = {}
    for block, found in sorted(by_block.items()):
        types = Counter(t for t, _, _ in found)
        top, n = types.most_common(1)[0]
        if top == "NONE" or len(found) < MAJORITY_MIN or n / len(found) < MAJORITY_SHARE:
            continue
        if carried[(block, top)] * 2 >= n:
            continue
        modes = Counter(m for t, m, _ in found if t == top)
        mode, m = modes.most_common(1)[0]
        code = Counter(c for t, _, c in found if t == top).most_common(1)[0][0]
        out[block] = (top, mode if m / n >= MAJORITY_SHARE else "-", code)
    return out


def _unambiguous(rows: set[tuple[str, ...]], report: Report) -> set[tuple[str, ...]]:
    """Drop patterns that a block lists with two PLOVER types for the same parts ("SEND * MESSAGE"
    as CONSULT and as THREATEN): the parse cannot tell them apart."""
    types: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for row in rows:
        types[row[:4]].add(row[5])
    keep: dict[tuple[str, ...], tuple[str, ...]] = {}
    for row in sorted(rows):
        if len(types[row[:4]]) > 1:
            report.skip("pattern", "same parts coded with two PLOVER types in one block")
            report.imported[("pattern", row[5])] -= 1
            continue
        keep.setdefault(row[:4], row)  # same type twice (two CAMEO codes): keep one
        if keep[row[:4]] is not row:
            report.imported[("pattern", row[5])] -= 1
    return set(keep.values())


def _noun_flags(type_: str, mode: str) -> str:
    flags = []
    if type_ in RECIP_TYPES and mode != "visit":
        flags.append("recip")
    if (type_, mode) in PATIENT_MODES:
        flags.append("patient")
    return ",".join(flags) or "-"


def _nouns(votes: dict[str, Counter[tuple[str, str, str]]], typed_verbs: dict[str, tuple[str, str | None, str]],
           synsets: dict[str, list[str]], rules: Rules, report: Report) -> list[tuple[str, ...]]:
    rows: dict[str, tuple[str, ...]] = {}
    for name, (type_, mode, flags) in sorted(rules.synsets.items()):
        for word in synset_words(synsets.get(name, [])):
            lemma = phrase_lemma(word.split())
            if lemma in rules.noun_stop:
                report.skip("noun", "noun_stop in cameo_import.tsv")
                continue
            fl = ",".join(sorted(flags)) or "-"
            rows.setdefault(lemma, (lemma, type_, mode or "-", fl, "-", f"synset {name}"))
    for lemma, counter in sorted(votes.items()):
        ranked = counter.most_common()
        types = Counter[tuple[str, str]]()
        for (t, m, _c), n in ranked:
            types[(t, m)] += n
        best = types.most_common()
        if len(best) > 1 and best[0][1] == best[1][1]:
            report.skip("noun", "light-verb object coded with two types equally often")
            continue
        (type_, mode), _n = best[0]
        if lemma in rules.noun_stop:
            report.skip("noun", "noun_stop in cameo_import.tsv")
            continue
        head = lemma.split()[-1]
        if not is_noun(head):
            report.skip("noun", "not an English noun (WordNet noun index)")
            continue
        if not (is_verb(head) or head.endswith(("tion", "sion", "ment", "ing"))) or head in rules.noun_stop:
            report.skip("noun", "light-verb object that is no deverbal noun (names a thing or person)")
            continue
        code = next(c for (t, m, c), _ in ranked if (t, m) == (type_, mode))
        rows.setdefault(lemma, (lemma, type_, mode, _noun_flags(type_, mode), code, "light-verb object"))
    for verb, (type_, vmode, code) in sorted(typed_verbs.items()):
        if " " in verb:
            continue
        mode = vmode or "-"
        for old, new in NOMINAL_RULES:
            if not verb.endswith(old):
                continue
            noun = verb[: len(verb) - len(old)] + new
            if noun == verb or not is_noun(noun):
                continue
            if noun in rules.noun_stop:
                report.skip("noun", "noun_stop in cameo_import.tsv")
                break
            rows.setdefault(noun, (noun, type_, mode, _noun_flags(type_, mode), code, f"nominalisation of {verb}"))
            break
    for row in rows.values():
        report.imported[("noun trigger", row[1])] += 1
    return list(rows.values())


def _write(title: str, columns: str, rows: Iterable[tuple[str, ...]]) -> str:
    head = HEADER.format(title=title, command=COMMAND, columns=columns)
    return head + "".join("\t".join(r) + "\n" for r in sorted(rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_SHARED, help="the shared folder (../shared)")
    parser.add_argument("--check", action="store_true", help="rebuild in memory; exit 1 when a file differs")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if not (args.data / CAMEO_FILE).exists():
        print(f"{args.data / CAMEO_FILE} not found; pass --data", file=sys.stderr)
        return 2
    files, report = build(args.data)
    if not args.quiet:
        print(report.text())
    differ = []
    for name, text in sorted(files.items()):
        path = OUT / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                differ.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if differ:
        print("differs from the build: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
