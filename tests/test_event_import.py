"""The CAMEO import (scripts/build_event_lexicon.py) and the layered event lexicon."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dotterel import Coder
from dotterel.events.lexicon import LAYERS_ENV, NO_EVENT, load_lexicon

from .conftest import load_script

ROOT = Path(__file__).resolve().parents[1]


build = load_script("build_event_lexicon")

SNIPPET = """
####### SYNONYM SETS #######

&FRAY
# a comment inside a synset does not end it
+SKIRMISHES_
+BRAWL

####### VERB PATTERNS #######

---  QUARRY   [---]  ---
QUARRY
+DIG_UP {+DUG_UP +DIGS_UP}
WIRE_+TAP [172]
- * (FOR GOLD)                                     [061]   # QUARRY
- * &FRAY                                          [190]   # QUARRY
- * {HUMANITARIAN AID}                             [073]   # QUARRY
- * DOWN                                           [1712]  # QUARRY
- ETHNIC *                                         [203]   # QUARRY
- * STATEMENT                                      [010]   # QUARRY
- * ROCKS                                          [---]   # QUARRY
- * (ON {PEACE PLAN})                              [037:037]
"""


def test_parser_reads_synsets_blocks_verbs_and_patterns() -> None:
    synsets, blocks = build.parse_cameo(SNIPPET)
    assert build.synset_words(synsets["&FRAY"]) == ["brawl", "skirmishes"]
    (block,) = blocks
    assert block.name == "QUARRY" and block.code == "---"
    assert [v for v, _ in block.verbs] == ["QUARRY", "+DIG_UP", "WIRE_+TAP"]
    assert dict(block.verbs)["WIRE_+TAP"] == "172"
    assert len(block.patterns) == 8
    assert block.patterns[0] == ("* (FOR GOLD)", "061", "QUARRY")


def test_pattern_parts_on_a_parse() -> None:
    synsets, _ = build.parse_cameo(SNIPPET)
    assert build.parse_pattern("* (FOR GOLD)", synsets) == [("prep:for", ["gold"])]
    # a synset is expanded to its words, plurals made singular
    assert build.parse_pattern("* &FRAY", synsets) == [("obj", ["brawl", "skirmish"])]
    assert build.parse_pattern("* {HUMANITARIAN AID}", synsets) == [("obj", ["humanitarian aid"])]
    assert build.parse_pattern("* DOWN", synsets) == [("prt:down", [])]
    assert build.parse_pattern("* (ON {PEACE PLAN})", synsets) == [("prep:on", ["peace plan"])]
    assert build.parse_pattern("* ATTEMPT (ON LIFE)", synsets) == [("obj", ["attempt"]), ("prep:on", ["life"])]
    with pytest.raises(build.Skip, match="before the verb"):
        build.parse_pattern("ETHNIC *", synsets)
    with pytest.raises(build.Skip, match="two bare words"):
        build.parse_pattern("* NOT EXTEND DEADLINE", synsets)


def test_codes_and_plover_mapping() -> None:
    assert build.parse_code("042:043") == "042"
    assert build.parse_code("---") == "---"
    assert build.parse_code(":110") is None
    table = build.parse_plover("173: COERCE, arrest, legal # Arrest\n112: DISAPPROVE, disapprove, # x\n")
    assert table["112"] == ("ACCUSE", "disapprove")  # old name renamed
    report = build.Report()
    mapper = build.Mapper(table, {("COERCE", "arrest")}, report)
    assert mapper("1731") == ("COERCE", "arrest")  # falls back to the three-digit code
    assert mapper("163") == ("SANCTION", "discontinue")  # manual 2.0 correction (plover.md §5)
    assert mapper("010") is None


def test_verb_entries() -> None:
    assert build.verb_lemma("+CALL_OFF") == ("call off", None)
    assert build.verb_lemma("+TAKE_LEAVE") == ("take", "leave")
    assert build.verb_lemma("ATTACK") == ("attack", None)
    with pytest.raises(build.Skip, match="before the verb"):
        build.verb_lemma("WIRE_+TAP")
    with pytest.raises(build.Skip, match="not an English verb"):
        build.verb_lemma("CONFIDENCE")


def _shared() -> Path | None:
    for candidate in (ROOT.parent / "shared", ROOT.parents[1] / "shared", Path("/work/shared")):
        if (candidate / build.CAMEO_FILE).exists():
            return candidate
    return None


@pytest.mark.skipif(_shared() is None, reason="shared data (../shared) not present")
def test_rebuild_is_identical() -> None:
    shared = _shared()
    assert shared is not None
    files, report = build.build(shared)
    for name, text in files.items():
        assert (build.OUT / name).read_text(encoding="utf-8") == text, f"{name} differs: rebuild it"
    assert report.imported[("verb trigger", "ASSAULT")] > 20
    assert any(reason.startswith("CAMEO 01x") for _, reason in report.skipped)


def test_imported_entries_are_looked_up() -> None:
    lex = load_lexicon("imported")
    ambush = lex.trigger("ambush", "V")
    assert ambush is not None and ambush.type == "ASSAULT" and ambush.imported
    torture = lex.trigger("torture", "V")
    assert torture is not None and torture.mode == "torture"
    assert lex.trigger("meet", "V") is None  # a generic block: no bare-verb event
    truce = lex.trigger("truce", "N")
    assert truce is not None and truce.type == "RETREAT" and "recip" in truce.flags
    negotiation = lex.trigger("negotiation", "N")
    assert negotiation is not None and negotiation.type == "CONSULT"
    pats = lex.patterns_for("burn", "V")
    assert any(p.relation == "prt:down" and p.type == "ASSAULT" for p in pats)
    assert lex.trigger("say", "V") is None  # speech verbs are never imported triggers
    assert all(p.type != NO_EVENT or p.imported for ps in lex.patterns.values() for p in ps)


def test_override_precedence() -> None:
    both, imported, overrides = load_lexicon("both"), load_lexicon("imported"), load_lexicon("overrides")
    agree_imported = imported.trigger("agree", "V")
    agree = both.trigger("agree", "V")
    assert agree_imported is not None and agree_imported.type == "SUPPORT"  # CAMEO 050
    assert agree is not None and agree.type == "AGREE" and not agree.imported  # the override wins
    assert overrides.trigger("ambush", "V") is None and both.trigger("ambush", "V") is not None
    # a hand pattern is tried before the imported patterns of the same head
    impose = both.patterns_for("impose", "V")
    assert not impose[0].imported and impose[-1].imported
    # for a hand-checked head, imported patterns without a named argument are left out
    assert all(p.arguments for p in both.patterns_for("boycott", "V") if p.imported)
    assert any(not p.arguments for p in imported.patterns_for("boycott", "V"))


def test_override_lines_have_reasons() -> None:
    from dotterel.events.lexicon import _rows

    for name, width in (("triggers.tsv", 7), ("patterns.tsv", 9)):
        for row in _rows(name)[1]:
            assert len(row) == width + 1 and row[-1], f"{row[0]}: needs a reason"


def test_layers_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LAYERS_ENV, "overrides")
    assert load_lexicon().layers == "overrides"
    monkeypatch.delenv(LAYERS_ENV)
    assert load_lexicon().layers == "both"
    with pytest.raises(ValueError, match="layers"):
        load_lexicon("everything")
    assert os.environ.get(LAYERS_ENV) is None


def _events(coder: Coder, text: str) -> list[tuple[str, list[str | None], list[str | None]]]:
    record = coder.code(text, pub_date="2024-05-01")
    return [(e.event_type, [a.code for a in e.source], [a.code for a in e.target]) for e in record.events]


@pytest.mark.parametrize(("text", "expected"), [
    # nominal events: the "of" phrase is the patient, the possessor the agent
    ("Iran's arrest of two British sailors angered London.", ("COERCE", ["IRN"], ["GBR"])),
    ("The United Nations criticized Iran's deportation of Afghan refugees.", ("COERCE", ["IRN"], ["AFG"])),
    # "his arrest": without an "of" phrase the possessor is the patient
    ("Britain condemned his arrest by Iranian police.", ("COERCE", ["IRN"], [])),
    # reciprocal event nouns from the imported synsets
    ("The negotiations between Armenia and Azerbaijan resumed.", ("CONSULT", ["ARM", "AZE"], [])),
    # a nominalisation only the import knows
    ("China's annexation of the island angered Japan.", ("COERCE", ["CHN"], [])),
    # a verb only the import knows
    ("Chadian soldiers ambushed a Nigerien convoy.", ("ASSAULT", ["TCD"], ["NER"])),
])
def test_imported_knowledge_codes_events(coder: Coder, text: str,
                                         expected: tuple[str, list[str], list[str]]) -> None:
    assert expected in _events(coder, text)


def test_imported_verbal_cooperation_needs_a_party(coder: Coder) -> None:
    # "recognize" is imported (CAMEO 051); with a situation as object it is no SUPPORT
    assert not [e for e in _events(coder, "Kenya recognized a difficult situation.") if e[0] == "SUPPORT"]
    assert ("SUPPORT", ["KEN"], ["SOM"]) in _events(coder, "Kenya recognized Somalia.")


def test_barring_entry_is_reject_and_barring_an_activity_coerce(coder: Coder) -> None:
    assert ("REJECT", ["USA"], ["ALB"]) in _events(
        coder, "The United States barred two Albanian officials from entering the country.")
    assert [e for e in _events(coder, "Iranian authorities barred women from attending matches.")
            if e[0] == "COERCE"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Chile and Peru upgraded diplomatic ties.", ("SUPPORT", ["CHL", "PER"], [])),
    ("The ruling party of Kenya expelled its deputy leader from the party.", ("SANCTION", ["KEN"], ["KEN"])),
    # a hand pattern keeps its own roles: the host is the recipient, the parties the actors
    ("Qatar hosted talks between Chad and Sudan.", ("CONSULT", ["TCD", "SDN"], ["QAT"])),
])
def test_override_patterns(coder: Coder, text: str, expected: tuple[str, list[str], list[str]]) -> None:
    assert expected in _events(coder, text)


@pytest.mark.parametrize(
    ("text", "lemma"),
    [
        ("Demonstrators booed the mayor outside city hall.", "boo"),
        ("The senator excoriated the defence minister.", "excoriate"),
        ("The opposition leader took a swipe at the president.", "swipe"),
        ("The ambassador's denunciation of the blockade angered officials.", "denunciation"),
    ],
)
def test_english_criticism_words_beyond_cameo_are_accuse(coder: Coder, text: str, lemma: str) -> None:
    record = coder.code(text, pub_date="2024-05-01")
    assert [e.event_type for e in record.events if lemma[:4] in e.trigger.text.lower()] == ["ACCUSE"], [
        (e.event_type, e.trigger.text) for e in record.events
    ]


def test_block_majority_needs_agreement_and_a_verb_that_carries_the_event() -> None:
    build = load_script("build_event_lexicon")
    rows = {
        ("SPURN", "obj", "offer", "-", "120", "REJECT", "-", "x"),
        ("SPURN", "obj", "plan", "-", "120", "REJECT", "-", "x"),
        ("SPURN", "obj", "aid", "-", "125", "REJECT", "-", "x"),
        ("SPURN", "prep:of", "talk", "-", "128", "REJECT", "-", "x"),
        ("SPARK", "obj", "dispute", "-", "110", "ACCUSE", "disapprove", "x"),
        ("SPARK", "obj", "quarrel", "-", "110", "ACCUSE", "disapprove", "x"),
        ("SPARK", "obj", "row", "-", "110", "ACCUSE", "disapprove", "x"),
        ("SPARK", "obj", "crisis", "-", "110", "ACCUSE", "disapprove", "x"),
        ("SPLIT", "obj", "a", "-", "120", "REJECT", "-", "x"),
        ("SPLIT", "obj", "b", "-", "051", "SUPPORT", "-", "x"),
        ("SPLIT", "obj", "c", "-", "036", "CONSULT", "-", "x"),
        ("SPLIT", "obj", "d", "-", "120", "REJECT", "-", "x"),
    }
    majority = build._block_majority(rows, {"dispute", "quarrel", "row"})
    assert majority["SPURN"] == ("REJECT", "-", "120")
    assert "SPARK" not in majority  # its objects name the event
    assert "SPLIT" not in majority  # no 70 % agreement


def test_refusal_verbs_come_from_a_majority_block() -> None:
    lexicon = load_lexicon(layers="imported")
    for verb in ("rule out", "disregard", "flout"):
        trigger = lexicon.trigger(verb, "V")
        assert trigger is not None and trigger.type == "REJECT" and trigger.imported, verb


def test_a_verb_with_its_own_code_keeps_only_block_patterns_of_its_type(coder: Coder) -> None:
    # CAMEO files "arrest" (173) in the APPREHEND block whose patterns were written for seizing
    # ("* PROTESTER" -> 175 violent repression); PLOVER's arrests are COERCE
    record = coder.code("Riot police arrested forty protesters outside parliament.", pub_date="2024-05-01")
    assert [(e.event_type, e.mode) for e in record.events] == [("COERCE", "arrest")]
    record = coder.code("The militia seized three hostages near the border.", pub_date="2024-05-01")
    assert [e.event_type for e in record.events] == ["ASSAULT"]
